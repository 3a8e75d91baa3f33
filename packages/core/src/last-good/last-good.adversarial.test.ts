import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { manualClock } from '../test-support/manual-clock.js';
import { lastGood, type LastGoodStorage } from './last-good.js';

function memoryStorage(): LastGoodStorage & { data: Map<string, string>; full: boolean } {
  const data = new Map<string, string>();
  const storage = {
    data,
    full: false,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (storage.full) throw new DOMException('full', 'QuotaExceededError');
      data.set(k, v);
    },
    removeItem: (k: string) => void data.delete(k),
  };
  return storage;
}

const KEY = 'bulletproof:last-good:list';

describe('lastGood against stored data and clocks it did not expect', () => {
  it('serves the newest answer when the storage refused it and still holds an older one', () => {
    const clock = manualClock(1_000);
    const storage = memoryStorage();
    const tier = lastGood<string>('list', { storage, clock });
    tier.remember('old');
    storage.full = true;
    clock.advance(1_000);
    tier.remember('new');
    expect(tier.recall()).toEqual({ value: 'new', savedAt: 2_000 });
  });

  it('drops envelopes of the wrong shape instead of serving them', () => {
    const clock = manualClock(10_000);
    for (const raw of [
      'not json',
      'null',
      '[]',
      '"text"',
      JSON.stringify({ v: 1, at: '5', value: 1 }),
      JSON.stringify({ v: 1, at: -1, value: 1 }),
      JSON.stringify({ v: '1', at: 5, value: 1 }),
      JSON.stringify({ v: 1, value: 1 }),
      '['.repeat(100_000) + ']'.repeat(100_000),
    ]) {
      const storage = memoryStorage();
      storage.data.set(KEY, raw);
      expect(lastGood('list', { storage, clock }).recall(), raw.slice(0, 30)).toBeUndefined();
      expect(storage.data.has(KEY)).toBe(false);
    }
  });

  it('does not parse a stored answer longer than it would ever save', () => {
    const storage = memoryStorage();
    storage.data.set(KEY, JSON.stringify({ v: 1, at: 1_000, value: 'x'.repeat(1_000) }));
    expect(lastGood('list', { storage, maxChars: 100, clock: manualClock(2_000) }).recall()).toBeUndefined();
  });

  it('does not serve an answer saved in the future, and serves again once the clock catches up', () => {
    const storage = memoryStorage();
    let now = 1_000_000;
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
    const tier = lastGood<string>('list', { storage, clock });
    tier.remember('a');
    // The clock is set back a day (the user, a wrong NTP answer).
    now -= 86_400_000;
    expect(tier.recall()).toBeUndefined();
    // Small differences between tabs' clocks are tolerated.
    now = 1_000_000 - 30_000;
    tier.remember('b');
    now = 1_000_000 - 60_000;
    expect(tier.recall()?.value).toBe('b');
  });
});
