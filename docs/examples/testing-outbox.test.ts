// Testing code that uses the outbox, in Vitest: a fresh fake IndexedDB per test, fetch replaced,
// and nothing running on its own (no automatic drain, Web Locks, tab channel or window
// events), so the test decides when things happen. Quoted in docs/testing.md.
import { createOutbox, outboxHttp } from '@bulletproof/core';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, expect, it, vi } from 'vitest';
import type { Outbox } from '@bulletproof/core';

let outbox: Outbox | undefined;
afterEach(async () => {
  await outbox?.close(); // its timers and database connection must not leak into the next test
  vi.useRealTimers();
});

it('keeps a write that failed on the network, and delivers it once with its key', async () => {
  const fetch = vi
    .fn<typeof globalThis.fetch>()
    .mockRejectedValueOnce(new TypeError('Failed to fetch'))
    .mockResolvedValue(new Response(null, { status: 204 }));
  outbox = createOutbox({
    indexedDB: new IDBFactory(),
    http: outboxHttp({ fetch }),
    autoDrain: false,
    locks: false,
    BroadcastChannel: false,
    window: false,
  });

  await outbox.enqueueRequest({ url: 'https://api.example/notes/1', method: 'PUT', body: '{}' });
  expect((await outbox.drain()).retried).toBe(1);
  expect(outbox.stats.pending).toBe(1);

  // The retry waits out a backoff: move time on instead of sleeping.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 60_000);
  expect((await outbox.drain()).delivered).toBe(1);

  const [first, second] = fetch.mock.calls.map(([request]) => request as Request);
  expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
});
