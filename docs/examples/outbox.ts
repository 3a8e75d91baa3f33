// The outbox on its own: fresh credentials at each send, a queued request, live counts.
// Quoted in docs/offline-writes.md.
import { createOutbox, outboxHttp } from '@bulletproof/core';
import type { Note } from './app-helpers.js';

declare const auth: { token(): Promise<string> };
declare const note: Note;

export const outbox = createOutbox({
  name: 'app',
  // HTTP support, passed in so an outbox with only its own handlers does not carry it.
  http: outboxHttp({
    // Runs before every send: fresh credentials are applied at replay time and never stored.
    prepare: async (req) => {
      const headers = new Headers(req.headers);
      headers.set('Authorization', `Bearer ${await auth.token()}`);
      return new Request(req, { headers });
    },
  }),
});

await outbox.enqueueRequest(
  {
    url: '/api/notes/42',
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(note),
  },
  { channel: 'notes' }, // delivered in order within a channel, one at a time
);
outbox.stats$.subscribe((s) => {
  console.log(`${s.pending} waiting, ${s.dead} need attention`);
});
