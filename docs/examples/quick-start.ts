// The README's end-to-end example without React: a read with a fallback, a write through the
// outbox, the user's messages and a feature gate.
import { createOutbox, createPredictor, createProtection, fetchOk, outboxHttp } from '@bulletproof/core';
import { readCachedNotes, render, showBasicSearch, showSavedLocally } from './app-helpers.js';
import type { Note } from './app-helpers.js';

const protection = createProtection({
  connectivity: { probe: { url: '/api/health' } }, // confirms "online"; detects lie-fi and captive portals
  dependencies: { api: { critical: true } }, // default policy: breaker → retry ×3 (no wait past 30 s) → 10 s timeout
  degradation: { features: { search: 'minimal', attachments: 'moderate' } },
  outbox: (parts) => createOutbox({ ...parts, http: outboxHttp() }), // queues writes that cannot be sent now
  predictor: createPredictor, // warns before a dependency fails (risk in the status, predictions)
});

// A read: the cached copy when the server can't answer.
const notes = await protection.protect(
  'load notes',
  async ({ signal }) => (await fetchOk('/api/notes', { signal })).json() as Promise<Note[]>,
  { dependency: 'api', fallback: readCachedNotes },
);
if (notes.status === 'ok' || notes.status === 'fallback') console.log(`${notes.value.length} notes`);

// A write: sent now if possible, else kept in IndexedDB and replayed later. Every attempt and
// the replay carry the call's one Idempotency-Key, so a server that honours it applies it once.
export async function saveNote(note: Note) {
  const url = `/api/notes/${note.id}`;
  const headers = { 'content-type': 'application/json' }; // stored with the body, sent on every replay
  const body = JSON.stringify(note);
  const result = await protection.protect(
    'save note',
    ({ signal, idempotencyKey }) =>
      fetchOk(url, {
        method: 'PUT',
        headers: { ...headers, 'Idempotency-Key': idempotencyKey },
        body,
        signal,
      }),
    { dependency: 'api', offline: { type: 'http', payload: { url, method: 'PUT', headers, body } } },
  );
  if (result.status === 'queued') showSavedLocally();
  return result;
}

protection.messages.visible$.subscribe(({ banners, toasts }) => {
  render(banners, toasts);
});
if (!protection.degradation.isAvailable('search')) showBasicSearch();
