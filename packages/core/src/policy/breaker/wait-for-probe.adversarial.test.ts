import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError } from '../../failure/errors.js';
import { track } from '../../test-support/track.js';
import { circuitBreaker, type BreakerOptions } from './circuit-breaker.js';
import { consecutiveFailures } from './windows.js';

const down = () => Promise.reject(new TypeError('Failed to fetch'));

/** A breaker opened by one failure, whose opening of 1 s has passed: the next call is a probe. */
async function halfOpenable(extra: Partial<BreakerOptions> = {}) {
  const breaker = circuitBreaker({
    name: 'probe-waiters',
    openForMs: 1000,
    window: consecutiveFailures(1),
    halfOpen: { waitForProbe: true },
    ...extra,
  });
  await breaker.execute(down).catch(() => undefined);
  expect(breaker.state).toBe('open');
  await vi.advanceTimersByTimeAsync(1000);
  return breaker;
}

describe('halfOpen.waitForProbe, attacked', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // The hung-probe rule (a probe out longer than the opening counts as failed) was only
  // applied when a new call arrived: calls already waiting waited for ever.
  it('calls waiting on a probe that never settles are refused once the probe is overdue', async () => {
    const breaker = await halfOpenable();
    track(breaker.execute(() => new Promise(() => undefined)));
    const waiters = Array.from({ length: 3 }, () => track(breaker.execute(() => Promise.resolve('w'))));
    await vi.advanceTimersByTimeAsync(999);
    expect(waiters.some((w) => w.settled)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('open');
    for (const w of waiters) expect(w.error).toBeInstanceOf(CircuitOpenError);
  });

  // A `failureOf` that threw while judging a probe's value left the probe counted in flight:
  // the calls waiting on it were never woken.
  it('a failureOf that throws on a probe rejects that call with its error and wakes the waiters', async () => {
    const bug = new Error('predicate bug');
    const breaker = await halfOpenable({
      failureOf: (v) => {
        if (v === 'first') throw bug;
        return undefined;
      },
    });
    const probe = track(breaker.execute(() => Promise.resolve('first')));
    const waiter = track(breaker.execute(() => Promise.resolve('second')));
    await vi.advanceTimersByTimeAsync(0);
    expect(probe.error).toBe(bug);
    // The thrown error says nothing of the dependency (unknown is not counted): the waiter
    // becomes the next probe, succeeds and closes the breaker.
    expect(waiter.value).toBe('second');
    expect(breaker.state).toBe('closed');
  });

  it('a failureOf that throws in the closed state rejects the call and counts as that error', async () => {
    const bug = new Error('predicate bug');
    const breaker = circuitBreaker({
      name: 'closed-throwing-predicate',
      window: consecutiveFailures(1),
      countIf: () => true,
      failureOf: () => {
        throw bug;
      },
    });
    await expect(breaker.execute(() => Promise.resolve('v'))).rejects.toBe(bug);
    expect(breaker.state).toBe('open');
  });
});
