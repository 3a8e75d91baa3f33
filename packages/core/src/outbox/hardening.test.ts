/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import { describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS } from '../clock.js';
import { HttpError } from '../failure/errors.js';
import { backoff } from '../policy/backoff.js';
import { createOutbox } from './outbox.js';
import { DEFAULT_MAX_RETRY_AFTER_MS } from './options.js';
import type { Outbox, OutboxEvent, OutboxOptions } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates as settle } from '../test-support/settle.js';

/**
 * Hostile servers and broken storage against the outbox: each case is a defect once seen
 * (a spin, a hang, a write that could not be sent again) and must stay fixed.
 */

const T0 = 1_000_000;
const DAY = 24 * 60 * 60 * 1000;
const noJitter = backoff.exponential({ initialMs: 1_000, maxMs: 300_000, jitter: 'none' });
const bed = outboxTestBed({ fakeTimeFrom: T0 });

function make(o: OutboxOptions = {}): Outbox {
  return bed.closeAfter(createOutbox({ name: 'h', ...bed.options, backoff: noJitter, ...o }));
}

function record(outbox: Outbox): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  outbox.events$.subscribe((e) => events.push(e));
  return events;
}

describe('a huge Retry-After', () => {
  it('is capped (one hour by default) and does not make the outbox drain in a loop', async () => {
    let calls = 0;
    const outbox = make({
      autoDrain: { intervalMs: false, online: false, visible: false },
      handlers: {
        w: async () => {
          calls++;
          // Thirty days: beyond what a timer holds (2³¹−1 ms), so an uncapped wait fires at once.
          throw new HttpError(503, { headers: { 'retry-after': String(30 * 24 * 3600) } });
        },
      },
    });
    const drains = vi.spyOn(outbox, 'drain');
    await outbox.enqueue('w', 1);
    for (let i = 0; i < 40; i++) {
      await vi.advanceTimersByTimeAsync(50);
      await settle(2);
    }
    expect(calls).toBe(1);
    expect(drains.mock.calls.length).toBeLessThanOrEqual(2);
    const [entry] = await outbox.list();
    expect(entry?.state).toBe('pending');
    // Due again an hour after the failed attempt (made within the first few ticks).
    expect(entry?.nextAttemptAt).toBeGreaterThanOrEqual(T0 + DEFAULT_MAX_RETRY_AFTER_MS);
    expect(entry?.nextAttemptAt).toBeLessThan(T0 + DEFAULT_MAX_RETRY_AFTER_MS + 2_000);
  });

  it('takes its cap from maxRetryAfterMs, which no more than a timer can hold', async () => {
    const outbox = make({
      maxRetryAfterMs: 10_000,
      handlers: {
        w: async () => {
          throw new HttpError(429, { headers: { 'retry-after': '86400' } });
        },
      },
    });
    await outbox.enqueue('w', 1);
    await outbox.drain();
    expect((await outbox.list())[0]?.nextAttemptAt).toBe(T0 + 10_000);
    expect(() => createOutbox({ ...bed.options, maxRetryAfterMs: MAX_TIMER_MS + 1 })).toThrow(
      'option "maxRetryAfterMs" must be ≤ 2147483647',
    );
    expect(() => createOutbox({ ...bed.options, autoDrain: { intervalMs: 30 * DAY } })).toThrow(
      'option "autoDrain.intervalMs"',
    );
  });

  it('dead-letters (expired) a write whose wait would end past its maxAge, at once', async () => {
    const outbox = make({
      maxAgeMs: DAY,
      maxRetryAfterMs: 2 * DAY,
      handlers: {
        w: async () => {
          throw new HttpError(503, { headers: { 'retry-after': String(2 * 24 * 3600) } });
        },
      },
    });
    const events = record(outbox);
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 1 });
    const [entry] = await outbox.list();
    expect(entry).toMatchObject({ state: 'dead', deadReason: 'expired', attempts: 1 });
    expect(entry?.lastFailure).toMatchObject({ status: 503 });
    expect(events.some((e) => e.type === 'dead-lettered' && e.reason === 'expired')).toBe(true);
  });
});

describe('retry() of an expired entry', () => {
  it('gives it a fresh maxAge, so the next drain sends it', async () => {
    const sent: unknown[] = [];
    let up = false;
    const outbox = make({
      maxAgeMs: DAY,
      handlers: {
        w: async (p: unknown) => {
          if (!up) throw new HttpError(503);
          sent.push(p);
        },
      },
    });
    await outbox.enqueue('w', 'note');
    await outbox.drain(); // fails, rescheduled
    vi.setSystemTime(T0 + 2 * DAY); // a long offline stretch
    expect(await outbox.drain()).toMatchObject({ dead: 1 });
    expect((await outbox.list())[0]).toMatchObject({ state: 'dead', deadReason: 'expired' });
    up = true;
    expect(await outbox.retry('dead')).toBe(1);
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(sent).toEqual(['note']);
    expect(await outbox.list()).toEqual([]);
  });

  it('counts the fresh age from the retry: it expires again a maxAge later', async () => {
    const outbox = make({
      maxAgeMs: DAY,
      handlers: {
        w: async () => {
          throw new HttpError(503);
        },
      },
    });
    const entry = await outbox.enqueue('w', 1);
    vi.setSystemTime(T0 + 2 * DAY);
    await outbox.drain();
    await outbox.retry([entry.id]);
    vi.setSystemTime(T0 + 2 * DAY + DAY - 10_000);
    expect(await outbox.drain()).toMatchObject({ retried: 1, dead: 0 });
    // Its created time is still when the user wrote it.
    expect((await outbox.list())[0]?.createdAt).toBe(T0);
    vi.setSystemTime(T0 + 3 * DAY);
    expect(await outbox.drain()).toMatchObject({ dead: 1 });
  });
});
