import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { constantBackoff } from '../policy/backoff.js';
import { circuitBreaker } from '../policy/breaker/circuit-breaker.js';
import { retry } from '../policy/retry.js';
import { consecutiveFailures } from '../policy/breaker/windows.js';

/** A stand-in for a fetch Response: `ok`, `status` and nothing else. */
const response = (status: number) => ({ ok: status < 400, status });

describe('failureOf returning a boolean', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // `(r) => !r.ok` reads like a predicate; the value `false` used to be taken for an error
  // (a success judged a failure), and `true` for an unknown error nobody retries.
  it('retry: true retries the value as its own failure, false is a success', async () => {
    const statuses = [503, 503, 200];
    let calls = 0;
    const done = retry({
      maxAttempts: 3,
      backoff: constantBackoff(10),
      failureOf: (r) => !(r as { ok: boolean }).ok,
    }).execute(() => Promise.resolve(response(statuses[calls++] ?? 200)));
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toEqual(response(200));
    expect(calls).toBe(3);
  });

  it('breaker: false is a success even when countIf counts everything; true counts the value', async () => {
    const breaker = circuitBreaker({
      name: 'boolean-failure-of',
      window: consecutiveFailures(1),
      countIf: () => true,
      failureOf: (r) => !(r as { ok: boolean }).ok,
    });
    await breaker.execute(() => Promise.resolve(response(200)));
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => Promise.resolve(response(503)));
    expect(breaker.state).toBe('open');
  });

  it('breaker with the default countIf counts a value called a failure by `true` as what it is (a 503)', async () => {
    const breaker = circuitBreaker({
      name: 'boolean-failure-of-default',
      window: consecutiveFailures(1),
      failureOf: (r) => !(r as { ok: boolean }).ok,
    });
    await breaker.execute(() => Promise.resolve(response(503)));
    expect(breaker.state).toBe('open');
  });

  // An async predicate answers every value with a promise, which used to be taken for an error.
  it('an async failureOf is refused (development build) instead of calling every value a failure', async () => {
    const failureOf = () => Promise.resolve(undefined);
    await expect(retry({ failureOf }).execute(() => 'v')).rejects.toThrow(/synchronously/);
    await expect(circuitBreaker({ name: 'async-failure-of', failureOf }).execute(() => 'v')).rejects.toThrow(
      /synchronously/,
    );
  });
});
