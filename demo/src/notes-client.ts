import type { Note, NoteInput } from '../server/note.js';
import type { ChaosSettings } from '../server/chaos-settings.js';

/** Thin client for the demo API; errors carry the server's message. */
async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const text = await res.text();
    let message = `${method} ${url} failed with ${res.status}`;
    try {
      const parsed = JSON.parse(text) as { message?: string };
      if (parsed.message) message = parsed.message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new Error(message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const notesClient = {
  list: () => request<{ notes: Note[] }>('GET', '/api/notes').then((r) => r.notes),
  save: (input: NoteInput & { id: string }) =>
    request<Note>('PUT', `/api/notes/${encodeURIComponent(input.id)}`, input),
  remove: (id: string) => request<unknown>('DELETE', `/api/notes/${encodeURIComponent(id)}`),
};

export const chaosClient = {
  get: () => request<ChaosSettings>('GET', '/api/_chaos'),
  set: (settings: ChaosSettings) => request<ChaosSettings>('PUT', '/api/_chaos', settings),
};
