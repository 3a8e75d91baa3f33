import { afterEach, describe, expect, it, vi } from 'vitest';
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

// What a storage refused stays in this page's memory: each test starts without it.
afterEach(() => lastGood('list', { storage: false }).forget());

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

/** Another tab: the module afresh, so its memory of answers the storage refused is its own. */
async function otherTab(): Promise<typeof lastGood> {
  vi.resetModules();
  return (await import('./last-good.js')).lastGood;
}

describe('lastGood in two tabs sharing one storage', () => {
  it('serves the newer answer another tab saved, with no storage event needed', async () => {
    const clock = manualClock(1_000);
    const storage = memoryStorage();
    const here = lastGood<string>('list', { storage, clock });
    const there = (await otherTab())<string>('list', { storage, clock });
    here.remember('mine');
    clock.advance(1_000);
    there.remember('theirs');
    expect(here.recall()).toEqual({ value: 'theirs', savedAt: 2_000 });
  });

  it('leaves an envelope of a newer version alone, and does not serve it', () => {
    const storage = memoryStorage();
    const newer = JSON.stringify({ v: 2, at: 1_000, value: { items: [], cursor: 'x' } });
    storage.data.set(KEY, newer);
    expect(lastGood('list', { storage, clock: manualClock(2_000) }).recall()).toBeUndefined();
    // The tab running the newer version still finds its copy.
    expect(storage.data.get(KEY)).toBe(newer);
  });

  it('a tab whose storage is full keeps its newer answer in memory without deleting the copy another tab serves', async () => {
    const clock = manualClock(1_000);
    const storage = memoryStorage();
    const here = lastGood<string>('list', { storage, clock });
    const there = (await otherTab())<string>('list', { storage, clock });
    there.remember('theirs');
    storage.full = true;
    clock.advance(1_000);
    here.remember('mine');
    expect(here.recall()).toEqual({ value: 'mine', savedAt: 2_000 });
    expect(there.recall()).toEqual({ value: 'theirs', savedAt: 1_000 });
    // Room again: whichever saves next is the newest for both.
    storage.full = false;
    clock.advance(1_000);
    there.remember('theirs, later');
    expect(here.recall()?.value).toBe('theirs, later');
  });
});
