import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../backoff.js';
import { persistInLocalStorage, type StorageLike } from './persist.js';
import { shareAcrossTabs, type BroadcastChannelConstructor, type BroadcastChannelLike } from './tab-share.js';
import { MAX_TIMER_MS } from '../../clock.js';
import { HttpError } from '../../failure/errors.js';
import { circuitBreaker, type BreakerOptions, type CircuitBreaker } from './circuit-breaker.js';
import { consecutiveFailures, countWindow, timeWindow } from './windows.js';

/**
 * State a breaker did not compute itself — read back after a reload, or sent by another tab —
 * may come from a device clock that was wrong then, or from a foreign script. It must never hold
 * the breaker open longer than this breaker's own opening would, nor make it deaf to later changes.
 */

const T0 = 1_000_000;
const YEAR = 365 * 24 * 3600 * 1000;
const ok = () => Promise.resolve('ok');

function storageWith(record: object): StorageLike {
  const data = new Map([['bulletproof:breaker:api', JSON.stringify({ v: 1, ...record })]]);
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** One tab's channel, and a way to post to it as another tab (or a foreign script) would. */
function channelPair(): { Channel: BroadcastChannelConstructor; inject(data: unknown): void } {
  const listeners: Array<(e: MessageEvent) => void> = [];
  class Channel implements BroadcastChannelLike {
    postMessage(): void {}
    close(): void {}
    addEventListener(_type: 'message', listener: (e: MessageEvent) => void): void {
      listeners.push(listener);
    }
  }
  return {
    Channel,
    inject: (data) => {
      for (const l of listeners) l({ data } as MessageEvent);
    },
  };
}

describe('a breaker given state from storage or another tab', () => {
  const breakers: CircuitBreaker[] = [];
  const make = (o: Partial<BreakerOptions>) => {
    const b = circuitBreaker({
      name: 'api',
      window: consecutiveFailures(1),
      openForMs: 10_000,
      ...o,
    });
    breakers.push(b);
    return b;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    for (const b of breakers.splice(0)) b.dispose();
    vi.useRealTimers();
  });

  it('restored with an openUntil years ahead, probes again once its own openForMs has passed', async () => {
    const storage = storageWith({ state: 'open', opens: 1, at: T0, openedAt: T0, openUntil: T0 + 10 * YEAR });
    const b = make({ persist: persistInLocalStorage({ storage }) });
    expect(b.state).toBe('open');
    vi.advanceTimersByTime(10_000);
    await expect(b.execute(ok)).resolves.toBe('ok');
    expect(b.state).toBe('closed');
  });

  it('restored with a growing openForMs, is bounded by what that backoff would give', async () => {
    const storage = storageWith({ state: 'open', opens: 2, at: T0, openUntil: T0 + YEAR, lastOpenMs: YEAR });
    const openForMs = exponentialBackoff({ initialMs: 1_000, maxMs: 60_000, jitter: 'none' });
    const b = make({ persist: persistInLocalStorage({ storage }), openForMs });
    vi.advanceTimersByTime(60_000);
    await expect(b.execute(ok)).resolves.toBe('ok');
  });

  it('written when the device clock ran a year ahead, still hears the other tabs', () => {
    const { Channel, inject } = channelPair();
    const storage = storageWith({ state: 'open', opens: 1, at: T0 + YEAR, openUntil: T0 + YEAR + 10_000 });
    const b = make({
      persist: persistInLocalStorage({ storage }),
      share: shareAcrossTabs({ BroadcastChannel: Channel }),
    });
    vi.advanceTimersByTime(1_000);
    // Another tab probed and closed the breaker just now.
    inject({ v: 1, type: 'state', id: 'other', record: { state: 'closed', opens: 0, at: T0 + 1_000 } });
    expect(b.state).toBe('closed');
  });

  it('told by another tab that it is open for ten years, probes again after its own openForMs', async () => {
    const { Channel, inject } = channelPair();
    const b = make({ share: shareAcrossTabs({ BroadcastChannel: Channel }) });
    inject({
      v: 1,
      type: 'state',
      id: 'other',
      record: { state: 'open', opens: 1, at: T0, openedAt: T0, openUntil: T0 + 10 * YEAR },
    });
    expect(b.state).toBe('open');
    vi.advanceTimersByTime(10_000);
    await expect(b.execute(ok)).resolves.toBe('ok');
  });

  it('told of a transition stamped far in the future, still follows the next real one', () => {
    const { Channel, inject } = channelPair();
    const b = make({ share: shareAcrossTabs({ BroadcastChannel: Channel }) });
    inject({ v: 1, type: 'state', id: 'other', record: { state: 'closed', opens: 0, at: T0 + 10 * YEAR } });
    vi.advanceTimersByTime(1_000);
    // Another tab's breaker tripped just now.
    const record = { state: 'open', opens: 1, at: T0 + 1_000, openedAt: T0 + 1_000, openUntil: T0 + 11_000 };
    inject({ v: 1, type: 'state', id: 'other', record });
    expect(b.snapshot).toMatchObject({ state: 'open', openUntil: T0 + 11_000 });
  });

  describe('garbage, NaN, negative or huge counts, future times, prototype keys', () => {
    const consecutive = { kind: 'consecutive', failures: 0, slowCalls: 0, calls: 0 };
    const saved = { v: 1, state: 'closed', opens: 0, at: T0, window: consecutive };
    const fail = () => Promise.reject(new HttpError(500));

    /** A breaker given `initialState`, checked to work as a fresh one would: it opens on its first failure. */
    async function expectFresh(initialState: unknown, label: string): Promise<void> {
      const b = make({ initialState: initialState as BreakerOptions['initialState'] });
      expect(b.snapshot, label).toMatchObject({ state: 'closed', failures: 0, calls: 0, slowCalls: 0 });
      await expect(b.execute(ok)).resolves.toBe('ok');
      await b.execute(fail).catch(() => undefined);
      expect(b.state, label).toBe('open');
    }

    it('ignores garbage of every type, without throwing', async () => {
      const throwing = Object.defineProperty({ v: 1 }, 'state', {
        get() {
          throw new Error('hostile getter');
        },
        enumerable: true,
      });
      const garbage: Array<[string, unknown]> = [
        ['a number', 42],
        ['an array', [saved]],
        ['a function', () => saved],
        ['NaN at', { ...saved, state: 'open', at: NaN, openUntil: T0 + 1_000 }],
        ['Infinity at', { ...saved, state: 'open', at: Infinity, openUntil: T0 + 1_000 }],
        ['a string count', { ...saved, state: 'open', opens: '1', openUntil: T0 + 1_000 }],
        ['negative openings', { ...saved, state: 'open', opens: -1, openUntil: T0 + 1_000 }],
        ['fractional openings', { ...saved, state: 'open', opens: 0.5, openUntil: T0 + 1_000 }],
        ['an open state without openUntil', { ...saved, state: 'open' }],
        ['a window that is a string', { ...saved, window: 'ffff' }],
        ['a window of negative counts', { ...saved, window: { ...consecutive, calls: -3 } }],
        ['a window of NaN counts', { ...saved, window: { ...consecutive, failures: NaN } }],
        ['a window beyond exact integers', { ...saved, window: { ...consecutive, calls: 1e300 } }],
        ['a getter that throws', throwing],
      ];
      for (const [label, initialState] of garbage) await expectFresh(initialState, label);
    });

    it('refuses saved windows that are huge, sparse or of counts beyond exact integers', () => {
      const count = countWindow({ size: 10, failureRate: 0.5 });
      const time = timeWindow({ durationMs: 10_000, failureRate: 0.5 });
      const epoch = Math.floor(T0 / 1_000);
      const windows: Array<[string, BreakerOptions['window'], unknown]> = [
        [
          'a count window of ten million',
          count,
          { kind: 'count', size: 10, outcomes: new Array(10_000_000) },
        ],
        // Holes are skipped by every(): they must not pass for outcomes.
        ['a sparse count window', count, { kind: 'count', size: 10, outcomes: new Array(10) }],
        ['sparse time buckets', time, { kind: 'time', durationMs: 10_000, epoch, buckets: new Array(30) }],
        [
          'time buckets of huge counts',
          time,
          { kind: 'time', durationMs: 10_000, epoch, buckets: Array.from({ length: 30 }, () => 1e300) },
        ],
      ];
      for (const [label, window, saved] of windows) {
        const b = make({
          window,
          initialState: { v: 1, state: 'closed', opens: 0, at: T0, window: saved } as never,
        });
        expect(b.snapshot, label).toMatchObject({ failures: 0, calls: 0, slowCalls: 0 });
      }
    });

    it('restored with a huge count of openings, its next opening is still one a timer can hold', async () => {
      // A linear backoff with no bound: the n-th opening lasts n seconds.
      const openForMs = { delay: (n: number) => n * 1_000 };
      const b = make({
        openForMs,
        initialState: {
          v: 1,
          state: 'open',
          opens: 1e15,
          at: T0,
          openedAt: T0,
          openUntil: T0 + 1_000,
          window: consecutive,
        } as never,
      });
      vi.advanceTimersByTime(1_000);
      await b.execute(fail).catch(() => undefined);
      expect(b.state).toBe('open');
      expect((b.snapshot.openUntil ?? 0) - Date.now()).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(b.toJSON().lastOpenMs).toBeLessThanOrEqual(MAX_TIMER_MS);
    });

    it('stamped in the future, gives back only times up to now', () => {
      const b = make({
        initialState: {
          v: 1,
          state: 'open',
          opens: 1,
          at: T0 + YEAR,
          openedAt: T0 + YEAR,
          openUntil: T0 + YEAR + 5_000,
          window: consecutive,
        } as never,
      });
      const json = b.toJSON();
      expect(json.at).toBeLessThanOrEqual(T0);
      expect(json.openedAt).toBeLessThanOrEqual(T0);
      expect(json.openUntil).toBeLessThanOrEqual(T0 + 10_000);
    });

    it('prototype keys in saved state or a message pollute nothing and do not pass for fields', async () => {
      const text = `{"v":1,"state":"closed","opens":0,"at":${T0},"__proto__":{"state":"open","polluted":true},
        "constructor":{"prototype":{"polluted":true}},
        "window":{"kind":"consecutive","failures":0,"slowCalls":0,"calls":0,"__proto__":{"failures":0,"polluted":true}}}`;
      const initialState = JSON.parse(text) as unknown;
      const { Channel, inject } = channelPair();
      const b = make({
        initialState: initialState as never,
        share: shareAcrossTabs({ BroadcastChannel: Channel }),
      });
      inject(
        JSON.parse(
          `{"v":1,"type":"state","id":"other","record":{"__proto__":{"state":"open","opens":1,"at":${T0},"openUntil":${T0 + 5_000}}}}`,
        ),
      );
      expect(b.state).toBe('closed');
      const json = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
      expect(Object.keys(json)).not.toContain('__proto__');
      expect(Object.keys(json)).not.toContain('constructor');
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      await b.execute(fail).catch(() => undefined);
      expect(b.state).toBe('open');
    });
  });
});
