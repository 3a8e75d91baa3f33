import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { retryBudget } from './retry-budget.js';

function manualClock(start = 0): Clock & { t: number } {
  return {
    t: start,
    now() {
      return this.t;
    },
    setTimeout: () => 0,
    clearTimeout: () => undefined,
  };
}

describe('retryBudget', () => {
  it('allows the reserve (minPerSecond × window) with no traffic, then refuses', () => {
    const clock = manualClock();
    const budget = retryBudget({ ratio: 0.2, minPerSecond: 1, windowMs: 5_000, clock });
    expect(budget.available).toBe(5);
    for (let i = 0; i < 5; i++) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    expect(budget.available).toBe(0);
  });

  it('adds ratio × recent requests to the reserve', () => {
    const clock = manualClock();
    const budget = retryBudget({ ratio: 0.2, minPerSecond: 0, windowMs: 10_000, clock });
    for (let i = 0; i < 15; i++) budget.recordRequest();
    expect(budget.available).toBe(3);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('forgets requests and retries older than the window', () => {
    const clock = manualClock(1_000_000);
    const budget = retryBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 1_000, clock });
    for (let i = 0; i < 10; i++) budget.recordRequest();
    for (let i = 0; i < 5; i++) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    clock.t += 1_000;
    // Both the deposits and the withdrawals have expired.
    expect(budget.available).toBe(0);
    for (let i = 0; i < 4; i++) budget.recordRequest();
    expect(budget.available).toBe(2);
  });

  it('slides: part of the window expires, part remains', () => {
    const clock = manualClock(0);
    const budget = retryBudget({ ratio: 1, minPerSecond: 0, windowMs: 1_000, clock });
    for (let i = 0; i < 4; i++) budget.recordRequest();
    clock.t = 500;
    for (let i = 0; i < 6; i++) budget.recordRequest();
    expect(budget.available).toBe(10);
    clock.t = 1_050;
    expect(budget.available).toBe(6);
    clock.t = 1_600;
    expect(budget.available).toBe(0);
  });

  it('uses the documented defaults: ratio 0.2, 10 per second over 10 s', () => {
    const clock = manualClock();
    const budget = retryBudget({ clock });
    expect(budget.available).toBe(100);
    for (let i = 0; i < 50; i++) budget.recordRequest();
    expect(budget.available).toBe(110);
  });

  it('validates its options, naming the option', () => {
    expect(() => retryBudget({ ratio: -1 })).toThrow(/retryBudget\(\): option "ratio"/);
    expect(() => retryBudget({ windowMs: 0 })).toThrow(/"windowMs"/);
    expect(() => retryBudget({ clock: {} as Clock })).toThrow(/"clock"/);
  });
});
