import { describe, expect, it } from 'vitest';
import { manualClock } from '../test-support/manual-clock.js';
import { isLastGood, lastGood, type LastGoodStorage } from './last-good.js';

function memoryStorage(): LastGoodStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const refusing: LastGoodStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('lastGood', () => {
  it('recalls the last answer it was given, with when it was saved', () => {
    const clock = manualClock(1_000);
    const storage = memoryStorage();
    const notes = lastGood<string[]>('notes', { storage, clock });
    expect(notes.recall()).toBeUndefined();
    notes.remember(['a']);
    clock.advance(500);
    notes.remember(['a', 'b']);
    clock.advance(60_000);
    expect(notes.recall()).toEqual({ value: ['a', 'b'], savedAt: 1_500 });
    // Another tier (another tab, after a reload) with the same key and storage sees it too.
    expect(lastGood<string[]>('notes', { storage, clock }).recall()?.value).toEqual(['a', 'b']);
  });

  it('serves nothing older than maxAgeMs, and drops what a clock put in the future', () => {
    const clock = manualClock(10_000);
    const storage = memoryStorage();
    const tier = lastGood<number>('n', { storage, clock, maxAgeMs: 5_000 });
    tier.remember(1);
    clock.advance(5_001);
    expect(tier.recall()).toBeUndefined();
    storage.setItem(
      'bulletproof:last-good:n',
      JSON.stringify({ v: 1, at: clock.now() + 3_600_000, value: 2 }),
    );
    expect(tier.recall()).toBeUndefined();
    expect(storage.data.size).toBe(0);
  });

  it('drops stored junk and what parse refuses, instead of serving it', () => {
    const clock = manualClock(0);
    const storage = memoryStorage();
    const parse = (saved: unknown) => {
      if (!Array.isArray(saved)) throw new TypeError('not a list');
      return saved as string[];
    };
    const tier = lastGood<string[]>('k', { storage, clock, parse });
    for (const raw of [
      '{not json',
      '{"v":"2","at":0,"value":[]}',
      '{"v":1,"at":"x","value":[]}',
      '{"v":1,"at":0,"value":7}',
    ]) {
      storage.setItem('bulletproof:last-good:k', raw);
      expect(tier.recall(), raw).toBeUndefined();
      expect(storage.data.has('bulletproof:last-good:k'), raw).toBe(false);
    }
  });

  it('keeps the answer in memory when the storage refuses, and never throws', () => {
    const clock = manualClock(0);
    const tier = lastGood<{ id: number }>('refused', { storage: refusing, clock });
    expect(() => tier.remember({ id: 1 })).not.toThrow();
    expect(tier.recall()).toEqual({ value: { id: 1 }, savedAt: 0 });
    expect(() => tier.forget()).not.toThrow();
    expect(tier.recall()).toBeUndefined();
  });

  it('does not save what is not JSON or is longer than maxChars', () => {
    const storage = memoryStorage();
    const tier = lastGood<unknown>('big', { storage, maxChars: 50, clock: manualClock(0) });
    tier.remember({ n: 10n });
    tier.remember('x'.repeat(100));
    expect(storage.data.size).toBe(0);
    expect(tier.recall()).toBeUndefined();
  });

  it('forgets on request, and is told apart from a plain fallback value', () => {
    const storage = memoryStorage();
    const tier = lastGood<number>('f', { storage, clock: manualClock(0) });
    tier.remember(3);
    tier.forget();
    expect(tier.recall()).toBeUndefined();
    expect(isLastGood(tier)).toBe(true);
    expect(isLastGood({ key: 'f', remember() {}, recall() {}, forget() {} })).toBe(false);
  });

  it('refuses an empty key and bad options by name', () => {
    expect(() => lastGood('')).toThrow('lastGood(): key must not be empty (received "")');
    expect(() => lastGood('k', { maxAgeMs: 0 })).toThrow(/option "maxAgeMs" must be > 0/);
    expect(() => lastGood('k', { storage: {} as LastGoodStorage })).toThrow(
      /option "storage" must be false or a Storage/,
    );
    expect(() => lastGood('k', { maxAge: 1 } as never)).toThrow(/unknown option "maxAge"/);
  });
});
