// One dependency per kind of call, each from a preset: the calls then get the policy, the
// loudness and the kind that suit them. Quoted in docs/presets.md.
import { createOutbox, createProtection, fetchOk, outboxHttp, presets } from '@bulletproof/core';
import { readCachedNotes, session, type Note } from './app-helpers.js';

const protection = createProtection({
  dependencies: {
    api: presets.read({ critical: true }), // 10 s × 3 attempts, breaker on the last 20 calls
    saves: presets.write(), // 15 s × 2, writes: repeated after a lost answer only with their key
    uploads: presets.upload({ concurrency: 3 }), // 3 at a time, the rest wait their turn
    auth: presets.authRefresh(), // concurrent refreshes share one; critical, silent
    maps: presets.thirdParty({ timeoutMs: 8_000 }), // one try, let go at the deadline, silent
  },
  // Writes queued as requests (`offline: { type: 'http' }`).
  outbox: (parts) => createOutbox({ ...parts, http: outboxHttp() }),
});

// A read: retried, answered from the cache when the server can't.
export const notes = await protection.protect(
  'load notes',
  async ({ signal }) => (await fetchOk('/api/notes', { signal })).json() as Promise<Note[]>,
  { dependency: 'api', fallback: readCachedNotes },
);

// A write: it sends its key, so a retry after a lost answer is safe; `offline` keeps it in the
// outbox when it cannot be delivered now.
export async function saveNote(note: Note) {
  const url = `/api/notes/${note.id}`;
  const headers = { 'content-type': 'application/json' };
  const body = JSON.stringify(note);
  return protection.protect(
    'save note',
    ({ signal, idempotencyKey }) =>
      fetchOk(url, {
        method: 'PUT',
        headers: { ...headers, 'Idempotency-Key': idempotencyKey },
        body,
        signal,
      }),
    { dependency: 'saves', offline: { type: 'http', payload: { url, method: 'PUT', headers, body } } },
  );
}

// An upload: a write (the `uploads` preset says so), retried after a lost answer only because
// it sends its key. No outbox: a large file is the app's to keep; the user is told if it fails.
export function upload(file: File) {
  return protection.protect(
    'upload',
    ({ signal, idempotencyKey }) =>
      fetchOk(`/api/files/${encodeURIComponent(file.name)}`, {
        method: 'PUT',
        headers: { 'Idempotency-Key': idempotencyKey },
        body: file,
        signal,
      }),
    { dependency: 'uploads' },
  );
}

// A session refresh: ten components that meet a 401 at once cause one refresh, not ten.
export const refreshSession = () =>
  protection.protect('refresh session', () => session.refresh(), { dependency: 'auth' });

// A third-party script: it loads, or the app goes on without it (its `fallback`).
function loadScript(src: string, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement('script'), { src, async: true });
    script.onload = () => {
      resolve(true);
    };
    // A NetworkError counts towards the breaker: after 3 in a row the script is left alone a minute.
    script.onerror = () => {
      reject(new DOMException(`${src} did not load`, 'NetworkError'));
    };
    signal.addEventListener('abort', () => {
      script.remove();
    });
    document.head.append(script);
  });
}
export const mapsLoaded = await protection.protect(
  'load maps',
  ({ signal }) => loadScript('https://maps.example.com/sdk.js', signal),
  { dependency: 'maps', fallback: false },
);
