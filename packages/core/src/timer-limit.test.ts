import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clampDelay, MAX_TIMER_MS, setTimer, systemClock } from './clock.js';
import { createConnectivityMonitor } from './connectivity/create-connectivity-monitor.js';
import { createDegradation } from './degrade/create-degradation.js';
import { createOutbox } from './outbox/outbox.js';
import { exponentialBackoff } from './policy/backoff.js';
import { circuitBreaker } from './policy/breaker/circuit-breaker.js';
import { retry } from './policy/retry.js';
import { timeout } from './policy/timeout.js';

/**
 * Timers hold at most 2³¹−1 ms; a longer delay fires at once in Node and in browsers (or
 * after it wraps). One clamp (`clampDelay`, through `setTimer`) arms every timer of the SDK,
 * and every delay option is bounded by the same limit.
 */

const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000;

describe('the timer limit', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('clamps a delay to what a timer holds, and a negative or NaN one to 0', () => {
    expect(clampDelay(THIRTY_DAYS)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Infinity)).toBe(MAX_TIMER_MS);
    expect(clampDelay(MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(clampDelay(250)).toBe(250);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(Number.NaN)).toBe(0);
  });

  it('never lets a long timer fire at once', () => {
    const fired = vi.fn();
    setTimer(systemClock, fired, 10 * 365 * 24 * 60 * 60 * 1000);
    vi.advanceTimersByTime(60_000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('lets the longest timeout a timer holds run a short call to its end', async () => {
    const policy = timeout(MAX_TIMER_MS);
    const call = policy.execute(
      () => new Promise<string>((resolve) => systemClock.setTimeout(() => resolve('done'), 200)),
    );
    await vi.advanceTimersByTimeAsync(200);
    await expect(call).resolves.toBe('done');
  });

  it.each([
    ['timeout()', () => timeout(THIRTY_DAYS), 'ms'],
    ['retry()', () => retry({ maxRetryAfterMs: THIRTY_DAYS }), '"maxRetryAfterMs"'],
    ['exponentialBackoff()', () => exponentialBackoff({ maxMs: THIRTY_DAYS }), '"maxMs"'],
    ['circuitBreaker()', () => circuitBreaker({ name: 'b', openForMs: THIRTY_DAYS }), '"openForMs"'],
    [
      'createConnectivityMonitor()',
      () => createConnectivityMonitor({ probe: { url: '/h', intervalMs: THIRTY_DAYS } }),
      '"probe.intervalMs"',
    ],
    ['createDegradation()', () => createDegradation({ recoverAfterMs: THIRTY_DAYS }), '"recoverAfterMs"'],
    [
      'createOutbox()',
      () => createOutbox({ autoDrain: { intervalMs: THIRTY_DAYS }, indexedDB: undefined }),
      '"autoDrain.intervalMs"',
    ],
  ])('%s refuses a delay option beyond it, naming the option', (where, build, option) => {
    expect(build).toThrow(TypeError);
    expect(build).toThrow(where);
    expect(build).toThrow(option);
    expect(build).toThrow('≤ 2147483647');
  });
});
