import { Emitter } from '../observable.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, HttpError } from '../failure/errors.js';
import { constantBackoff, linearBackoff } from './backoff.js';
import { retry } from './retry.js';
import { retryBudget } from './retry-budget.js';
import type { ExecutionContext, PolicyEvent } from './types.js';
import { track } from '../test-support/track.js';
import { failedResponse } from '../failure/failed-response.js';

const serverError = () => new HttpError(503);
const networkError = () => new TypeError('Failed to fetch');

/** A deadline's error as a foreign library throws it: classified by its name. */
class TimeoutErrorLike extends Error {
  override name = 'TimeoutError';
}

describe('retry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('returns the first success without waiting; ctx.attempt starts at 1', async () => {
    const fn = vi.fn((ctx: ExecutionContext) => `attempt ${ctx.attempt}`);
    await expect(retry().execute(fn)).resolves.toBe('attempt 1');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries a retryable failure after the backoff delay, counting attempts', async () => {
    const attempts: number[] = [];
    const fn = vi.fn((ctx: ExecutionContext) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw networkError();
      return 'ok';
    });
    const result = track(retry({ backoff: constantBackoff(100) }).execute(fn));
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(result).toEqual({ settled: true, value: 'ok' });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts (the first included) with the last error', async () => {
    const errors = [serverError(), serverError(), serverError()];
    let i = 0;
    const fn = vi.fn(() => Promise.reject(errors[i++]!));
    const result = track(retry({ maxAttempts: 3, backoff: constantBackoff(10) }).execute(fn));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(3);
    expect(result.error).toBe(errors[2]);
  });

  it('does not retry a failure that is not retryable', async () => {
    const error = new HttpError(400);
    const fn = vi.fn(() => Promise.reject(error));
    await expect(retry().execute(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('retryIf decides, given the classified failure and the attempt', async () => {
    const retryIf = vi.fn(
      (f: { category: string }, attempt: number) => f.category === 'client' && attempt < 2,
    );
    const fn = vi.fn(() => Promise.reject(new HttpError(409)));
    const result = track(retry({ retryIf, maxAttempts: 5, backoff: constantBackoff(1) }).execute(fn));
    await vi.runAllTimersAsync();
    expect(result.error).toBeInstanceOf(HttpError);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(retryIf.mock.calls.map(([f, a]) => [f.category, a])).toEqual([
      ['client', 1],
      ['client', 2],
    ]);
  });

  it('waits at least Retry-After when the server sends one', async () => {
    const fn = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new HttpError(429, { headers: { 'retry-after': '5' } }))
      .mockResolvedValue('ok');
    const result = track(retry({ backoff: constantBackoff(100) }).execute(fn));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.value).toBe('ok');
  });

  it('keeps the longer backoff when Retry-After is shorter', async () => {
    const fn = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new HttpError(429, { headers: { 'retry-after': '1' } }))
      .mockResolvedValue('ok');
    const events: PolicyEvent[] = [];
    const policy = retry({ backoff: constantBackoff(3_000) });
    policy.events$.subscribe((e) => events.push(e));
    track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ delayMs: 3_000 });
  });

  it('caps a Retry-After wait at maxRetryAfterMs', async () => {
    const fn = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new HttpError(503, { headers: { 'retry-after': '3600' } }))
      .mockResolvedValue('ok');
    const result = track(retry({ backoff: constantBackoff(10), maxRetryAfterMs: 2_000 }).execute(fn));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.value).toBe('ok');
  });

  it('ignores Retry-After when respectRetryAfter is false', async () => {
    const fn = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new HttpError(429, { headers: { 'retry-after': '60' } }))
      .mockResolvedValue('ok');
    const result = track(retry({ backoff: constantBackoff(10), respectRetryAfter: false }).execute(fn));
    await vi.advanceTimersByTimeAsync(10);
    expect(result.value).toBe('ok');
  });

  it('respects a CircuitOpenError wait (retry outside a breaker)', async () => {
    const fn = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new CircuitOpenError('api', 700))
      .mockResolvedValue('ok');
    const result = track(retry({ backoff: constantBackoff(10) }).execute(fn));
    await vi.advanceTimersByTimeAsync(699);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.value).toBe('ok');
  });

  it('gives up rather than start a wait that ends past maxElapsedMs', async () => {
    const error = serverError();
    const fn = vi.fn(async () => {
      // Each attempt itself takes 200 ms.
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw error;
    });
    const events: PolicyEvent[] = [];
    const policy = retry({ maxAttempts: 100, backoff: constantBackoff(1_000), maxElapsedMs: 3_000 });
    policy.events$.subscribe((e) => events.push(e));
    const t0 = Date.now();
    let settledAt = 0;
    const result = track(policy.execute(fn).finally(() => (settledAt = Date.now() - t0)));
    await vi.runAllTimersAsync();
    // t=0..200 fail, wait to 1200; 1200..1400 fail, wait to 2400; 2400..2600 fail, a wait to 3600 > 3000: give up.
    expect(fn).toHaveBeenCalledTimes(3);
    expect(result.error).toBe(error);
    expect(settledAt).toBe(2_600);
    expect(events.filter((e) => e.type === 'give-up')).toEqual([expect.objectContaining({ attempts: 3 })]);
  });

  it('abort during a wait ends it at once, rejects with the abort reason and leaves no timer', async () => {
    const controller = new AbortController();
    const fn = vi.fn(() => Promise.reject(serverError()));
    const result = track(
      retry({ backoff: constantBackoff(10_000) }).execute(fn, { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    const reason = new Error('user navigated away');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(result).toEqual({ settled: true, error: reason });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('abort during an attempt stops retrying; the operation sees the signal', async () => {
    const controller = new AbortController();
    const fn = vi.fn(
      (ctx: ExecutionContext) =>
        new Promise<never>((_, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
        }),
    );
    const result = track(retry({ backoff: constantBackoff(1) }).execute(fn, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(1);
    expect((result.error as DOMException).name).toBe('AbortError');
  });

  it('an already-aborted signal rejects without calling the operation', async () => {
    const controller = new AbortController();
    controller.abort('gone');
    const fn = vi.fn(() => 'never');
    await expect(retry().execute(fn, { signal: controller.signal })).rejects.toBe('gone');
    expect(fn).not.toHaveBeenCalled();
  });

  it('handles synchronous throws and values', async () => {
    let n = 0;
    const result = track(
      retry({ backoff: constantBackoff(1) }).execute(() => {
        if (n++ === 0) throw networkError();
        return 42;
      }),
    );
    await vi.runAllTimersAsync();
    expect(result.value).toBe(42);
  });

  it('emits retry events (attempt, delay, failure) and one give-up', async () => {
    const events: PolicyEvent[] = [];
    const policy = retry({ maxAttempts: 3, backoff: linearBackoff({ initialMs: 100, stepMs: 100 }) });
    policy.events$.subscribe((e) => events.push(e));
    track(policy.execute(() => Promise.reject(serverError())));
    await vi.runAllTimersAsync();
    expect(events.map((e) => e.type)).toEqual(['retry', 'retry', 'give-up', 'failure']);
    expect(events[0]).toMatchObject({
      type: 'retry',
      attempt: 1,
      delayMs: 100,
      failure: { category: 'server' },
    });
    expect(events[1]).toMatchObject({ type: 'retry', attempt: 2, delayMs: 200 });
    expect(events[2]).toMatchObject({
      type: 'give-up',
      attempts: 3,
      failure: { category: 'server', status: 503 },
    });
    expect(events[3]).toMatchObject({ type: 'failure', durationMs: 300 });
  });

  it('passes the previous delay to the backoff', async () => {
    const delay = vi.fn((attempt: number, previous?: number) => (previous ?? 0) + attempt * 10);
    track(retry({ maxAttempts: 4, backoff: { delay } }).execute(() => Promise.reject(serverError())));
    await vi.runAllTimersAsync();
    expect(delay.mock.calls).toEqual([
      [1, undefined],
      [2, 10],
      [3, 30],
    ]);
  });

  it('builds no event objects while nobody listens', async () => {
    const next = vi.spyOn(Emitter.prototype, 'next');
    const policy = retry({ maxAttempts: 2, backoff: constantBackoff(1) });
    track(policy.execute(() => Promise.reject(serverError())));
    await policy.execute(() => 1);
    await vi.runAllTimersAsync();
    expect(next).not.toHaveBeenCalled();
  });

  describe('with a retry budget', () => {
    it('under a retry storm, retries stay within ratio × requests + reserve; refused ones give up with the last failure', async () => {
      const budget = retryBudget({ ratio: 0.2, minPerSecond: 0, windowMs: 10_000 });
      const policy = retry({ maxAttempts: 5, backoff: constantBackoff(10), budget });
      let calls = 0;
      const errors: unknown[] = [];
      const results = Array.from({ length: 100 }, () =>
        track(
          policy.execute(() => {
            calls++;
            const error = serverError();
            errors.push(error);
            return Promise.reject(error);
          }),
        ),
      );
      await vi.runAllTimersAsync();
      expect(results.every((r) => r.settled && r.error instanceof HttpError)).toBe(true);
      // 100 first attempts deposit 0.2 each: 20 retries in total, however many each call wanted.
      expect(calls).toBe(120);
      expect(budget.available).toBe(0);
    });

    it('never refuses a first attempt', async () => {
      const budget = retryBudget({ ratio: 0, minPerSecond: 0 });
      const fn = vi.fn(() => 'ok');
      const policy = retry({ budget });
      for (let i = 0; i < 5; i++) await policy.execute(fn);
      expect(fn).toHaveBeenCalledTimes(5);
    });

    it('emits give-up when the budget refuses', async () => {
      const budget = retryBudget({ ratio: 0, minPerSecond: 0 });
      const events: PolicyEvent[] = [];
      const policy = retry({ budget, backoff: constantBackoff(1) });
      policy.events$.subscribe((e) => events.push(e));
      const fn = vi.fn(() => Promise.reject(serverError()));
      await expect(policy.execute(fn)).rejects.toBeInstanceOf(HttpError);
      expect(fn).toHaveBeenCalledTimes(1);
      expect(events[0]).toMatchObject({ type: 'give-up', attempts: 1 });
    });

    it('budget: false means no budget', async () => {
      const fn = vi.fn<() => Promise<string>>().mockRejectedValueOnce(serverError()).mockResolvedValue('ok');
      const result = track(retry({ budget: false, backoff: constantBackoff(1) }).execute(fn));
      await vi.runAllTimersAsync();
      expect(result.value).toBe('ok');
    });
  });

  it('never retries an abort, even when retryIf would', async () => {
    const fn = vi.fn(() => Promise.reject(new DOMException('stopped', 'AbortError')));
    const result = track(retry({ retryIf: () => true, backoff: constantBackoff(1) }).execute(fn));
    await vi.runAllTimersAsync();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(result.error).toMatchObject({ name: 'AbortError' });
  });

  describe('idempotency', () => {
    it('every attempt sees the one key of the execution: the given one, or one made on first read', async () => {
      for (const opts of [{ idempotencyKey: 'k-1' }, undefined]) {
        const keys: string[] = [];
        const fn = (ctx: ExecutionContext) => {
          keys.push(ctx.idempotencyKey);
          if (ctx.attempt < 3) throw networkError();
          return 'ok';
        };
        const result = track(retry({ backoff: constantBackoff(1) }).execute(fn, opts));
        await vi.runAllTimersAsync();
        expect(result.value).toBe('ok');
        expect(keys).toHaveLength(3);
        expect(new Set(keys).size).toBe(1);
        if (opts) expect(keys[0]).toBe('k-1');
        else expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('idempotent: false retries an ambiguous failure only once the operation read the key', async () => {
      const ambiguous = [networkError(), new HttpError(500), new HttpError(504), new TimeoutErrorLike()];
      for (const error of ambiguous) {
        const silent = vi.fn(() => Promise.reject(error));
        const r1 = track(retry({ backoff: constantBackoff(1) }).execute(silent, { idempotent: false }));
        await vi.runAllTimersAsync();
        expect(silent).toHaveBeenCalledTimes(1);
        expect(r1.error).toBe(error);

        const keyed = vi.fn((ctx: ExecutionContext) =>
          Promise.reject(Object.assign(error, { k: ctx.idempotencyKey })),
        );
        const r2 = track(retry({ backoff: constantBackoff(1) }).execute(keyed, { idempotent: false }));
        await vi.runAllTimersAsync();
        expect(keyed).toHaveBeenCalledTimes(3);
        expect(r2.settled).toBe(true);
      }
    });

    it('idempotent: false still retries what never reached the server (a 503, a 429)', async () => {
      for (const error of [new HttpError(503), new HttpError(429)]) {
        const fn = vi.fn(() => Promise.reject(error));
        track(
          retry({ backoff: constantBackoff(1), respectRetryAfter: false }).execute(fn, {
            idempotent: false,
          }),
        );
        await vi.runAllTimersAsync();
        expect(fn).toHaveBeenCalledTimes(3);
      }
    });
  });

  describe('failureOf: values that are failures', () => {
    const response = (status: number, headers?: HeadersInit) => new Response(null, { status, headers });

    it('retries a value failureOf calls a failure, and returns the first good value', async () => {
      const statuses = [503, 502, 200];
      const fn = vi.fn(() => response(statuses.shift()!));
      const result = track(retry({ backoff: constantBackoff(10), failureOf: failedResponse }).execute(fn));
      await vi.runAllTimersAsync();
      expect(fn).toHaveBeenCalledTimes(3);
      expect((result.value as Response).status).toBe(200);
    });

    it('resolves with the last value when it gives up (the caller asked for values)', async () => {
      const events: PolicyEvent[] = [];
      const policy = retry({ maxAttempts: 2, backoff: constantBackoff(10), failureOf: failedResponse });
      policy.events$.subscribe((e) => events.push(e));
      const last = response(500);
      const values = [response(500), last];
      const result = track(policy.execute(() => values.shift()!));
      await vi.runAllTimersAsync();
      expect(result).toEqual({ settled: true, value: last });
      expect(events.map((e) => e.type)).toEqual(['retry', 'give-up', 'success']);
    });

    it('does not retry a value whose failure is not retryable (a 404)', async () => {
      const fn = vi.fn(() => response(404));
      const result = track(retry({ failureOf: failedResponse }).execute(fn));
      await vi.runAllTimersAsync();
      expect(fn).toHaveBeenCalledTimes(1);
      expect((result.value as Response).status).toBe(404);
    });

    it("waits the server's Retry-After of a failed value", async () => {
      const fn = vi.fn(() => (fn.mock.calls.length === 1 ? response(429, { 'retry-after': '5' }) : 'ok'));
      const result = track(retry({ backoff: constantBackoff(10), failureOf: failedResponse }).execute(fn));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(fn).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(result.value).toBe('ok');
    });

    it('settles as the last attempt did: a thrown error after a failed value rejects', async () => {
      const error = networkError();
      const outcomes = [() => response(503), () => Promise.reject(error)];
      const result = track(
        retry({ maxAttempts: 2, backoff: constantBackoff(1), failureOf: failedResponse }).execute(() =>
          outcomes.shift()!(),
        ),
      );
      await vi.runAllTimersAsync();
      expect(result.error).toBe(error);
    });

    it('reads any value: a GraphQL body with errors is retried, null and undefined mean success', async () => {
      const bodies: { errors?: unknown[] | null; data?: string }[] = [
        { errors: [{ message: 'busy' }] },
        { errors: null, data: 'x' },
      ];
      const failureOf = (v: unknown) => {
        const errors = (v as { errors?: unknown[] | null }).errors;
        return errors && new HttpError(503, { body: errors });
      };
      const fn = vi.fn(() => bodies.shift()!);
      const result = track(retry({ backoff: constantBackoff(1), failureOf }).execute(fn));
      await vi.runAllTimersAsync();
      expect(fn).toHaveBeenCalledTimes(2);
      expect(result.value).toEqual({ errors: null, data: 'x' });
    });
  });

  it('validates options at creation, naming the option', () => {
    expect(() => retry({ maxAttempts: 0 })).toThrow(TypeError);
    expect(() => retry({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => retry({ maxAttempts: 1.5 })).toThrow(/maxAttempts/);
    expect(() => retry({ backoff: {} as never })).toThrow(/"backoff"/);
    expect(() => retry({ retryIf: 'yes' as never })).toThrow(/"retryIf"/);
    expect(() => retry({ maxRetryAfterMs: -1 })).toThrow(/"maxRetryAfterMs"/);
    expect(() => retry({ maxElapsedMs: Number.NaN })).toThrow(/"maxElapsedMs"/);
    expect(() => retry({ budget: true as never })).toThrow(/"budget"/);
    expect(() => retry({ budget: {} as never })).toThrow(
      'retry(): option "budget" must be false or a RetryBudget (see retryBudget()) (received an object)',
    );
    expect(() => retry({ maxAttempts: Infinity, maxElapsedMs: 1_000 })).not.toThrow();
  });
});
