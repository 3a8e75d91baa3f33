// The Protection of react-quick.tsx: queued 'note.save' entries are replayed by this handler,
// with the key the first attempt sent.
import { createOutbox, createProtection, fetchOk, outboxHttp } from '@bulletproof/core';
import type { Note } from './app-helpers.js';

export const protection = createProtection({
  connectivity: { probe: { url: '/api/health' } },
  // The outbox, made from the protection's clock and connectivity (`parts`).
  outbox: (parts) =>
    createOutbox({
      ...parts,
      http: outboxHttp(), // for writes queued as requests (`offline: { type: 'http' }`)
      handlers: {
        'note.save': (note: Note, { idempotencyKey, signal }) =>
          fetchOk(`/api/notes/${note.id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'Idempotency-Key': idempotencyKey },
            body: JSON.stringify(note),
            signal,
          }),
      },
    }),
});
