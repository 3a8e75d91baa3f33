import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from './outbox.js';
import type { OutboxHandler } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates as settle } from '../test-support/settle.js';

/**
 * `drain()` joins the drain under way. The one who started it may abort it with its own
 * signal — that must not cancel what the others asked for: a "Sync now" that joined, or the
 * automatic drain an `enqueue` requested meanwhile.
 */

const bed = outboxTestBed({ fakeTimeFrom: 1_000_000 });

/** Hangs the first delivery until it is aborted; delivers every later one. */
function firstHangs(delivered: unknown[]): OutboxHandler {
  let calls = 0;
  return async (payload, ctx) => {
    if (calls++ === 0) {
      await new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
      });
    }
    delivered.push(payload);
  };
}

describe('drain() joined while the drain under way is aborted by its own caller', () => {
  it('a caller that joined without a signal still gets a drain that delivers', async () => {
    const delivered: unknown[] = [];
    const outbox = bed.closeAfter(
      createOutbox({ name: 'j', ...bed.options, handlers: { w: firstHangs(delivered) } }),
    );
    await outbox.enqueue('w', 'note');
    const cancel = new AbortController();
    const started = outbox.drain({ signal: cancel.signal });
    await settle();
    const joined = outbox.drain();
    cancel.abort();
    await started;
    expect(await joined).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(delivered).toEqual(['note']);
  });

  it('a write enqueued meanwhile is still drained automatically', async () => {
    const delivered: unknown[] = [];
    const outbox = bed.closeAfter(
      createOutbox({
        name: 'j',
        ...bed.options,
        autoDrain: { intervalMs: false, online: false, visible: false },
        handlers: { w: firstHangs(delivered) },
      }),
    );
    await outbox.enqueue('w', 'first', { channel: 'a' });
    // A user's "Sync now", with a signal, starts before the automatic drain the enqueue asked for.
    const cancel = new AbortController();
    const started = outbox.drain({ signal: cancel.signal });
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    await outbox.enqueue('w', 'second', { channel: 'b' });
    cancel.abort();
    await started;
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(0);
      await settle();
    }
    expect([...delivered].sort()).toEqual(['first', 'second']);
  });
});
