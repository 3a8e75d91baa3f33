/* eslint-disable @typescript-eslint/require-await -- handlers return promises by contract */
import { describe, expect, it, vi } from 'vitest';
import { constantBackoff } from '../policy/backoff.js';
import { createOutbox } from './outbox.js';
import type { Outbox, OutboxOptions } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates as settle } from '../test-support/settle.js';

// The production build: options are not checked, so each must be survivable as given.
vi.mock('../dev.js', () => ({ DEV: false }));

const T0 = 1_000_000;
const bed = outboxTestBed({ fakeTimeFrom: T0 });
const make = (o: OutboxOptions): Outbox => bed.closeAfter(createOutbox({ name: 'm', ...bed.options, ...o }));

describe('outbox options that cannot be meant, in the production build', () => {
  it('still delivers with a concurrency of 0, a negative one or NaN', async () => {
    for (const concurrency of [0, -1, Number.NaN]) {
      const sent: unknown[] = [];
      const outbox = make({
        name: `c${String(concurrency)}`,
        concurrency,
        handlers: { w: async (p) => void sent.push(p) },
      });
      await outbox.enqueue('w', 1);
      await outbox.drain();
      expect(sent, `concurrency ${concurrency}`).toEqual([1]);
      expect(await outbox.list()).toEqual([]);
    }
  });

  it('keeps an in-flight write deliverable with a NaN or negative leaseMs', async () => {
    for (const leaseMs of [Number.NaN, -5]) {
      let release!: () => void;
      const outbox = make({
        name: `l${String(leaseMs)}`,
        leaseMs,
        handlers: { w: () => new Promise<void>((resolve) => (release = resolve)) },
      });
      await outbox.enqueue('w', 1);
      const draining = outbox.drain();
      await settle(5);
      const [entry] = await outbox.list();
      // Not quarantined as an unreadable record: the write is still there to send.
      expect(entry?.deadReason, `leaseMs ${leaseMs}`).toBeUndefined();
      release();
      await draining;
    }
  });

  it('keeps a failed write deliverable when the backoff or Retry-After cap is NaN', async () => {
    for (const o of [
      { backoff: { delay: () => Number.NaN } },
      { maxRetryAfterMs: Number.NaN, backoff: constantBackoff(1_000) },
    ] satisfies OutboxOptions[]) {
      let calls = 0;
      const outbox = make({
        name: `b${calls}${Object.keys(o).join()}`,
        ...o,
        handlers: {
          w: async () => {
            calls++;
            if (calls === 1) throw new TypeError('Failed to fetch');
          },
        },
      });
      await outbox.enqueue('w', 1);
      await outbox.drain();
      const [entry] = await outbox.list();
      expect(entry?.state).toBe('pending');
      expect(Number.isFinite(entry?.nextAttemptAt)).toBe(true);
    }
  });

  it('does not drain in a tight timer loop with an interval of 0 or NaN', async () => {
    for (const intervalMs of [0, Number.NaN]) {
      const outbox = make({
        name: `i${String(intervalMs)}`,
        autoDrain: { intervalMs, online: false, visible: false, afterEnqueue: false },
      });
      const drains = vi.spyOn(outbox, 'drain');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(drains.mock.calls.length, `intervalMs ${intervalMs}`).toBeLessThan(5);
      await outbox.close();
    }
  });
});
