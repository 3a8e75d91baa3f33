import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff, linearBackoff } from './backoff.js';

/** Polly's V2 formula, restated here independently of the implementation. */
function pollyV2(t: number): number {
  return Math.pow(2, t) * Math.tanh(Math.sqrt(4 * t));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('constantBackoff', () => {
  it('returns the same delay for every attempt', () => {
    const b = constantBackoff(250);
    expect([1, 2, 10, 10_000].map((a) => b.delay(a))).toEqual([250, 250, 250, 250]);
  });

  it('rejects a negative or non-finite delay, naming the problem', () => {
    expect(() => constantBackoff(-1)).toThrow(TypeError);
    expect(() => constantBackoff(Number.NaN)).toThrow(/constantBackoff\(\)/);
  });
});

describe('linearBackoff', () => {
  it('grows by stepMs per attempt and stops at maxMs', () => {
    const b = linearBackoff({ initialMs: 100, stepMs: 50, maxMs: 220 });
    expect([1, 2, 3, 4, 10_000].map((a) => b.delay(a))).toEqual([100, 150, 200, 220, 220]);
  });

  it('is unbounded without maxMs but stays finite', () => {
    const b = linearBackoff({ initialMs: 0, stepMs: 10 });
    expect(b.delay(10_000)).toBe(99_990);
  });

  it('validates its options', () => {
    expect(() => linearBackoff({ initialMs: 1, stepMs: -1 })).toThrow(/"stepMs"/);
    expect(() => linearBackoff(undefined as unknown as { initialMs: number; stepMs: number })).toThrow(
      TypeError,
    );
  });
});

describe('exponentialBackoff', () => {
  it('without jitter doubles from initialMs up to maxMs', () => {
    const b = exponentialBackoff({ initialMs: 100, jitter: 'none', maxMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map((a) => b.delay(a))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('defaults to 200 ms, ×2, 30 s cap', () => {
    const b = exponentialBackoff({ jitter: 'none' });
    expect(b.delay(1)).toBe(200);
    expect(b.delay(2)).toBe(400);
    expect(b.delay(20)).toBe(30_000);
  });

  it('full jitter spreads uniformly over [0, d]', () => {
    let r = 0;
    const b = exponentialBackoff({ initialMs: 100, jitter: 'full', random: () => r });
    expect(b.delay(3)).toBe(0);
    r = 0.5;
    expect(b.delay(3)).toBe(200);
    r = 0.999;
    expect(b.delay(3)).toBeCloseTo(399.6);
  });

  it('equal jitter spreads over [d/2, d]', () => {
    let r = 0;
    const b = exponentialBackoff({ initialMs: 100, jitter: 'equal', random: () => r });
    expect(b.delay(2)).toBe(100);
    r = 0.5;
    expect(b.delay(2)).toBe(150);
  });

  it("decorrelated jitter follows Polly's V2 formula", () => {
    const draws = [0.3, 0.8];
    let i = 0;
    const b = exponentialBackoff({ initialMs: 1_000, random: () => draws[i++ % draws.length]! });
    // First retry: from 0 to f(0 + 0.3).
    expect(b.delay(1)).toBeCloseTo((pollyV2(0.3) / 1.4) * 1_000, 6);
    // Third retry: from f(1 + 0.8) (previous interval) to f(2 + 0.3) (this one); draws: this, then previous.
    i = 0;
    expect(b.delay(3)).toBeCloseTo(((pollyV2(2.3) - pollyV2(1.8)) / 1.4) * 1_000, 6);
  });

  it("decorrelated jitter: each delay is distributed as in Polly's stateful sequence, median first delay ≈ initialMs", () => {
    // Polly's sequence, simulated: t = n + U, delay = (f(t) − f(previous t)) / 1.4 × initialMs.
    const runs = 4_001;
    const polly: number[][] = [[], [], [], [], [], []];
    for (let run = 0; run < runs; run++) {
      let previous = 0;
      for (let n = 0; n < 6; n++) {
        const next = pollyV2(n + Math.random());
        polly[n]!.push(((next - previous) / 1.4) * 1_000);
        previous = next;
      }
    }
    const b = exponentialBackoff({ initialMs: 1_000, maxMs: 1e9 });
    for (let attempt = 1; attempt <= 6; attempt++) {
      const ours = median(Array.from({ length: runs }, () => b.delay(attempt)));
      const theirs = median(polly[attempt - 1]!);
      expect(ours / theirs, `attempt ${attempt}`).toBeGreaterThan(0.9);
      expect(ours / theirs, `attempt ${attempt}`).toBeLessThan(1.1);
    }
    const first = median(Array.from({ length: runs }, () => b.delay(1)));
    // f(0.5) / 1.4 ≈ 0.897: the "median first retry delay" of Polly is this close to initialMs.
    expect(first).toBeGreaterThan(850);
    expect(first).toBeLessThan(950);
  });

  it('every jitter yields a finite delay within maxMs, even at attempt 10 000 and beyond', () => {
    for (const jitter of ['decorrelated', 'full', 'equal', 'none'] as const) {
      const b = exponentialBackoff({ jitter, maxMs: 5_000 });
      for (const attempt of [1, 2, 30, 1_023, 1_024, 1_025, 10_000, Number.MAX_SAFE_INTEGER, Infinity]) {
        for (let k = 0; k < 20; k++) {
          const d = b.delay(attempt);
          expect(Number.isFinite(d), `${jitter} @ ${attempt}`).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(5_000);
        }
      }
    }
  });

  it('reads odd attempt numbers sensibly instead of producing NaN', () => {
    const b = exponentialBackoff({ initialMs: 100, jitter: 'none' });
    expect(b.delay(0)).toBe(100);
    expect(b.delay(Number.NaN)).toBe(100);
    expect(b.delay(2.7)).toBe(200);
  });

  it('an initialMs of 0 means no wait', () => {
    for (const jitter of ['decorrelated', 'full', 'equal', 'none'] as const) {
      expect(exponentialBackoff({ initialMs: 0, jitter }).delay(10)).toBe(0);
    }
  });

  it('validates its options, naming the option', () => {
    expect(() => exponentialBackoff({ factor: 0.5 })).toThrow(/"factor" must be ≥ 1/);
    expect(() => exponentialBackoff({ jitter: 'random' as 'full' })).toThrow(/"jitter" must be one of/);
    expect(() => exponentialBackoff({ maxMs: -5 })).toThrow(/"maxMs"/);
  });
});
