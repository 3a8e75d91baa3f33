// A manual Clock: time moves, and timers fire, only when the test says so. Every factory takes
// `clock`, so breakers, backoffs, degradation and messages can be driven step by step.
// Quoted in docs/testing.md.
import { circuitBreaker, consecutiveFailures, createDegradation } from '@bulletproof/core';
import type { Clock } from '@bulletproof/core';
import { expect, it } from 'vitest';

function manualClock(start = 0) {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++nextId, { at: now + ms, fn });
      return nextId;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  };
  /** Moves time forward by `ms`, firing each timer that falls due, in time order. */
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  return { clock, advance };
}

it('steps down one level per calm period', () => {
  const { clock, advance } = manualClock();
  const degradation = createDegradation({ features: { search: 'moderate' }, recoverAfterMs: 10_000, clock });
  degradation.propose('severe', ['offline']);
  degradation.propose('none', []);
  expect(degradation.state.level).toBe('severe');
  advance(10_000);
  expect(degradation.state.level).toBe('moderate');
  advance(20_000);
  expect(degradation.isAvailable('search')).toBe(true);
});

it('opens a breaker, then lets one trial call through once its pause is over', async () => {
  const { clock, advance } = manualClock();
  const breaker = circuitBreaker({
    name: 'api',
    window: consecutiveFailures(2),
    openForMs: 5_000,
    clock,
  });
  const failing = () => Promise.reject(new TypeError('Failed to fetch'));
  for (let i = 0; i < 2; i++) await breaker.execute(failing).catch(() => undefined);
  expect(breaker.state).toBe('open');
  advance(5_000);
  await breaker.execute(() => Promise.resolve('ok'));
  expect(breaker.state).toBe('closed');
});
