// Recipe: send now when possible, queue when the failure is worth retrying, with one
// Idempotency-Key for both. `outbox` is the one from outbox.ts. Quoted in docs/offline-writes.md.
import { classifyFailure, fetchOk } from '@bulletproof/core';
import { outbox } from './outbox.js';

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
