import { Emitter } from '../observable.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, HttpError, TimeoutError } from '../failure/errors.js';
import { constantBackoff } from './backoff.js';
import { circuitBreaker } from './breaker/circuit-breaker.js';
import { fallback } from './fallback.js';
import { pipeline } from './pipeline.js';
import { retry } from './retry.js';
import { timeout } from './timeout.js';
import type { ExecuteOptions, ExecutionContext, Operation, Policy, PolicyEvent } from './types.js';
import { track } from '../test-support/track.js';
import { consecutiveFailures } from './breaker/windows.js';

/** A policy written by someone else, against the public interface only: it logs around the call. */
function tracer(name: string, log: string[]): Policy {
  const events = new Emitter<PolicyEvent>();
  return {
    events$: events.observable,
    async execute<T>(fn: Operation<T>, opts?: ExecuteOptions): Promise<T> {
      log.push(`${name}>`);
      try {
        return await fn({
          signal: opts?.signal ?? new AbortController().signal,
          attempt: 1,
          idempotencyKey: 'k',
        });
      } finally {
        log.push(`<${name}`);
      }
    },
  };
}

describe('pipeline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('runs the first policy outermost', async () => {
    const log: string[] = [];
    const policy = pipeline(tracer('a', log), tracer('b', log), tracer('c', log));
    await policy.execute(() => log.push('fn'));
    expect(log).toEqual(['a>', 'b>', 'c>', 'fn', '<c', '<b', '<a']);
  });

  it('mixes built-in and foreign policies in order', async () => {
    const log: string[] = [];
    let n = 0;
    const policy = pipeline(
      tracer('outer', log),
      retry({ backoff: constantBackoff(1) }),
      tracer('inner', log),
    );
    const result = track(
      policy.execute((ctx) => {
        log.push(`fn#${ctx.attempt}`);
        if (n++ === 0) throw new HttpError(503);
        return 'ok';
      }),
    );
    await vi.runAllTimersAsync();
    expect(result.value).toBe('ok');
    expect(log).toEqual(['outer>', 'inner>', 'fn#1', '<inner', 'inner>', 'fn#2', '<inner', '<outer']);
  });

  it('retry outside a breaker: every attempt goes through the breaker and sees its attempt number', async () => {
    const breaker = circuitBreaker({
      name: 'p1',
      window: consecutiveFailures(2),
      openForMs: 10_000,
    });
    const attempts: number[] = [];
    const policy = pipeline(retry({ maxAttempts: 4, backoff: constantBackoff(100) }), breaker);
    const result = track(
      policy.execute((ctx) => {
        attempts.push(ctx.attempt);
        return Promise.reject(new HttpError(500));
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    // Two failures open the breaker; the third attempt is refused by it without calling fn,
    // and the CircuitOpenError's wait (10 s) is longer than the 1 s this test waits.
    expect(attempts).toEqual([1, 2]);
    expect(breaker.state).toBe('open');
    expect(result.settled).toBe(false);
    breaker.dispose();
  });

  it('timeout inside retry bounds each attempt; timeout outside bounds them all', async () => {
    const slow = (ctx: ExecutionContext) =>
      new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => resolve('ok'), 150);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(ctx.signal.reason as Error);
        });
      });
    const perAttempt = vi.fn(slow);
    const inner = track(
      pipeline(retry({ maxAttempts: 3, backoff: constantBackoff(0) }), timeout(100)).execute(perAttempt),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(perAttempt).toHaveBeenCalledTimes(3);
    expect(inner.error).toBeInstanceOf(TimeoutError);

    const overall = vi.fn(slow);
    const outer = track(
      pipeline(timeout(100), retry({ maxAttempts: 3, backoff: constantBackoff(0) })).execute(overall),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    // The overall deadline aborts the signal: retry stops at once.
    expect(overall).toHaveBeenCalledTimes(1);
    expect(outer.error).toBeInstanceOf(TimeoutError);
  });

  it('fallback outermost answers for the whole chain', async () => {
    const breaker = circuitBreaker({ name: 'p2', window: consecutiveFailures(1) });
    const policy = pipeline(fallback('offline copy'), breaker);
    await expect(policy.execute(() => Promise.reject(new HttpError(500)))).resolves.toBe('offline copy');
    const fn = vi.fn(() => 'fresh');
    await expect(policy.execute(fn)).resolves.toBe('offline copy');
    expect(fn).not.toHaveBeenCalled();
  });

  it('passes the caller signal through untouched and shares one never-aborted signal otherwise', async () => {
    const policy = pipeline(retry(), circuitBreaker({ name: 'p3' }));
    const controller = new AbortController();
    const seen: AbortSignal[] = [];
    await policy.execute((ctx) => seen.push(ctx.signal), { signal: controller.signal });
    await policy.execute((ctx) => seen.push(ctx.signal));
    await policy.execute((ctx) => seen.push(ctx.signal));
    expect(seen[0]).toBe(controller.signal);
    // No AbortController per call on the hot path: the same idle signal is reused.
    expect(seen[1]).toBe(seen[2]);
    expect(seen[1]!.aborted).toBe(false);
  });

  it('flattens nested pipelines, keeping the order', async () => {
    const log: string[] = [];
    const policy = pipeline(tracer('a', log), pipeline(tracer('b', log), tracer('c', log)), tracer('d', log));
    await policy.execute(() => log.push('fn'));
    expect(log).toEqual(['a>', 'b>', 'c>', 'd>', 'fn', '<d', '<c', '<b', '<a']);
  });

  it('an empty pipeline runs the operation, turning a synchronous throw into a rejection', async () => {
    await expect(pipeline().execute(() => 3)).resolves.toBe(3);
    const error = new Error('sync');
    await expect(
      pipeline().execute(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it("merges its policies' events with its own success/failure, once per call", async () => {
    const breaker = circuitBreaker({ name: 'p4', window: consecutiveFailures(1) });
    const policy = pipeline(retry({ maxAttempts: 2, backoff: constantBackoff(10) }), breaker);
    const events: PolicyEvent[] = [];
    const subscription = policy.events$.subscribe((e) => events.push(e));
    const result = track(policy.execute(() => Promise.reject(new HttpError(500))));
    await vi.runAllTimersAsync();
    expect(result.error).toBeInstanceOf(CircuitOpenError);
    expect(events.map((e) => e.type)).toEqual(['breaker-state', 'retry', 'give-up', 'failure']);
    expect(events[0]).toMatchObject({ breaker: 'p4', from: 'closed', to: 'open' });
    events.length = 0;
    breaker.reset();
    await policy.execute(() => 'ok');
    expect(events.map((e) => e.type)).toEqual(['breaker-state', 'success']);
    expect(events[0]).toMatchObject({ from: 'open', to: 'closed' });
    subscription.unsubscribe();
  });

  it('builds no event objects on the hot path while nobody listens', async () => {
    const next = vi.spyOn(Emitter.prototype, 'next');
    const policy = pipeline(retry(), circuitBreaker({ name: 'p5' }), timeout(1_000));
    for (let i = 0; i < 3; i++) await policy.execute(() => i);
    expect(next).not.toHaveBeenCalled();
  });

  it('rejects arguments that are not policies', () => {
    expect(() => pipeline(retry(), {} as Policy)).toThrow(/argument 1 must be a Policy/);
  });
});
