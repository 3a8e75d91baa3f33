// The outbox on its own: fresh credentials at each send, a queued request, live counts, and the
// "send now, else queue" recipe. Quoted in docs/offline-writes.md.
import { classifyFailure, createOutbox, fetchOk } from '@bulletproof/core';
import type { Note } from './app-helpers.js';

declare const auth: { token(): Promise<string> };
declare const note: Note;

const outbox = createOutbox({
  name: 'app',
  // Runs before every send: fresh credentials are applied at replay time and never stored.
  prepare: async (req) => {
    const headers = new Headers(req.headers);
    headers.set('Authorization', `Bearer ${await auth.token()}`);
    return new Request(req, { headers });
  },
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

// --- recipe: wrapping fetch writes ---
export async function write(url: string, init: RequestInit, channel = 'default') {
  const request = new Request(url, init);
  request.headers.set('Idempotency-Key', crypto.randomUUID()); // enqueueRequest reuses it
  try {
    return { status: 'sent' as const, response: await fetchOk(request.clone()) };
  } catch (error) {
    const failure = classifyFailure(error, { online: navigator.onLine });
    if (!failure.retryable) throw error; // a 4xx is an answer, not a reason to queue
    return { status: 'queued' as const, entry: await outbox.enqueueRequest(request, { channel }) };
  }
}
