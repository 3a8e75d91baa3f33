import { describe, expect, it } from 'vitest';
import { consecutiveRun, countRing, timeRing } from './windows.js';
import { timeBuckets } from '../time-buckets.js';

describe('CountWindow', () => {
  it('keeps exact running counts across many wrap-arounds of a large ring', () => {
    const size = 10_000;
    const window = countRing(size, 1, size, undefined);
    const outcomes: boolean[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 35_000; i++) {
      const failed = random() < 0.3;
      outcomes.push(failed);
      window.record(failed, false);
    }
    const last = outcomes.slice(-size);
    expect(window.counts()).toEqual({ failures: last.filter(Boolean).length, calls: size, slowCalls: 0 });
  });

  it('evaluates slow and failed calls separately', () => {
    const window = countRing(4, 0.75, 4, 0.5);
    expect(window.record(false, true)).toBe(false);
    expect(window.record(true, false)).toBe(false);
    expect(window.record(false, false)).toBe(false);
    // 2 slow of 4 = 50 %: open; failures (1/4) would not.
    expect(window.record(false, true)).toBe(true);
  });
});

describe('rates judged on the call that adds to them', () => {
  it('a success never trips the failure rate, in a count or a time window', () => {
    const count = countRing(4, 0.5, 4, undefined);
    const time = timeRing(1_000, 0.5, 4, undefined);
    for (const w of [count, time]) {
      expect([w.record(true, false, 0), w.record(true, false, 0), w.record(false, false, 0)]).toEqual([
        false,
        false,
        false,
      ]);
      // Fourth call: 2 of 4 failed, at the threshold, but the call is a success.
      expect(w.record(false, false, 0)).toBe(false);
      expect(w.record(true, false, 0)).toBe(true);
    }
  });

  it('a slow success may trip the slow-call rate, not the failure rate', () => {
    const window = countRing(2, 0.5, 2, 1);
    expect(window.record(true, false)).toBe(false);
    // 1 of 2 failed (at the failure threshold), 1 of 2 slow (below the slow one): closed.
    expect(window.record(false, true)).toBe(false);
    // 2 of 2 slow, this call slow: open.
    expect(window.record(false, true)).toBe(true);
  });
});

describe('ConsecutiveWindow', () => {
  it('counts the current run of bad calls', () => {
    const window = consecutiveRun(3);
    expect([window.record(true, false), window.record(false, true), window.record(false, false)]).toEqual([
      false,
      false,
      false,
    ]);
    expect([window.record(true, false), window.record(true, false), window.record(true, false)]).toEqual([
      false,
      false,
      true,
    ]);
    expect(window.counts()).toEqual({ failures: 3, calls: 6, slowCalls: 0 });
  });
});

describe('TimeWindow and TimeBuckets', () => {
  it('slides bucket by bucket', () => {
    const window = timeRing(1_000, 1, 1, undefined);
    window.record(true, false, 0);
    window.record(false, false, 450);
    expect(window.counts(999)).toEqual({ failures: 1, calls: 2, slowCalls: 0 });
    expect(window.counts(1_000)).toEqual({ failures: 0, calls: 1, slowCalls: 0 });
    expect(window.counts(1_500)).toEqual({ failures: 0, calls: 0, slowCalls: 0 });
  });

  it('tolerates a clock that steps backwards', () => {
    const buckets = timeBuckets(1_000, 10, 1);
    buckets.add(0, buckets.advance(5_000));
    buckets.add(0, buckets.advance(4_000));
    expect(buckets.total(0)).toBe(2);
    buckets.advance(5_999);
    expect(buckets.total(0)).toBe(2);
    buckets.advance(6_000);
    expect(buckets.total(0)).toBe(0);
  });
});
