import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../backoff.js';
import { persistInLocalStorage, type StorageLike } from './persist.js';
import { shareAcrossTabs, type BroadcastChannelConstructor, type BroadcastChannelLike } from './tab-share.js';
import { circuitBreaker, type BreakerOptions, type CircuitBreaker } from './circuit-breaker.js';
import { consecutiveFailures } from './windows.js';

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
});
