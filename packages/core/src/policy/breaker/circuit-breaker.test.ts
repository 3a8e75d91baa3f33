import { Emitter } from '../../observable.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, HttpError, TimeoutError } from '../../failure/errors.js';
import { exponentialBackoff } from '../backoff.js';
import { circuitBreaker, type BreakerOptions, type CircuitBreaker } from './circuit-breaker.js';
import type { BreakerSnapshot, PolicyEvent } from '../types.js';
import { deferred } from '../../test-support/deferred.js';
import { track } from '../../test-support/track.js';
import { failedResponse } from '../../failure/failed-response.js';
import { consecutiveFailures, countWindow, timeWindow } from './windows.js';
import { persistInLocalStorage } from './persist.js';
import { shareAcrossTabs } from './tab-share.js';

const fail = () => Promise.reject(new HttpError(500));
const ok = () => Promise.resolve('ok');

/** An operation that settles when the test says so. */
function pendingOperation() {
  const d = deferred<string>();
  return { ...d, fn: () => d.promise };
}

/** An operation that takes `ms` of (fake) time. */
const taking =
  (ms: number, outcome: 'ok' | 'fail' = 'ok') =>
  () =>
    new Promise<string>((resolve, reject) =>
      setTimeout(() => (outcome === 'ok' ? resolve('ok') : reject(new HttpError(500))), ms),
    );

async function failTimes(breaker: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) await breaker.execute(fail).catch(() => undefined);
}

describe('circuitBreaker', () => {
  const breakers: CircuitBreaker[] = [];
  const make = (o: BreakerOptions) => {
    const b = circuitBreaker(o);
    breakers.push(b);
    return b;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    for (const b of breakers.splice(0)) b.dispose();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  describe('consecutive window (default: 5 failures, 30 s open)', () => {
    it('opens after 5 failures in a row and rejects with CircuitOpenError without calling fn', async () => {
      const breaker = make({ name: 'api' });
      await failTimes(breaker, 4);
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
      const fn = vi.fn(ok);
      const error = await breaker.execute(fn).catch((e: unknown) => e);
      expect(fn).not.toHaveBeenCalled();
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({ breaker: 'api', retryAfterMs: 30_000 });
      expect(breaker.snapshot).toMatchObject({
        state: 'open',
        openedAt: 1_000_000,
        openUntil: 1_030_000,
        failures: 5,
      });
    });

    it('a success resets the run', async () => {
      const breaker = make({ name: 'api' });
      await failTimes(breaker, 4);
      await breaker.execute(ok);
      await failTimes(breaker, 4);
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot.failures).toBe(4);
    });

    it('failures not counted (a 404, an abort, a bug) leave the breaker as it is', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(2) });
      await failTimes(breaker, 1);
      await breaker.execute(() => Promise.reject(new HttpError(404))).catch(() => undefined);
      await breaker.execute(() => Promise.reject(new DOMException('x', 'AbortError'))).catch(() => undefined);
      await breaker.execute(() => Promise.reject(new Error('bug'))).catch(() => undefined);
      expect(breaker.snapshot).toMatchObject({ state: 'closed', failures: 1, calls: 1 });
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
    });

    it('counts network, timeout, server and rate-limited failures by default', async () => {
      const errors = [
        new TypeError('Failed to fetch'),
        new HttpError(504),
        new HttpError(429),
        new HttpError(502),
      ];
      const breaker = make({ name: 'api', window: consecutiveFailures(4) });
      for (const error of errors) await breaker.execute(() => Promise.reject(error)).catch(() => undefined);
      expect(breaker.state).toBe('open');
    });

    it('counts an operation that a deadline aborted (it rejects with a plain AbortError), not a caller abort', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1) });
      const abortable = (ctx: { signal: AbortSignal }) =>
        new Promise<never>((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        );
      const caller = new AbortController();
      const p1 = breaker.execute(abortable, { signal: caller.signal });
      caller.abort();
      await expect(p1).rejects.toMatchObject({ name: 'AbortError' });
      expect(breaker.state).toBe('closed');

      const deadline = new AbortController();
      const p2 = breaker.execute(abortable, { signal: deadline.signal });
      deadline.abort(new TimeoutError());
      await expect(p2).rejects.toMatchObject({ name: 'AbortError' });
      expect(breaker.state).toBe('open');
    });

    it('never counts a caller’s abort, even when countIf would', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        countIf: () => true,
      });
      const caller = new AbortController();
      const pending = breaker.execute(
        (ctx) =>
          new Promise<never>((_, reject) =>
            ctx.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
          ),
        { signal: caller.signal },
      );
      caller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(breaker.snapshot).toMatchObject({ state: 'closed', calls: 0 });
    });

    it('countIf replaces the default', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(2),
        countIf: (f) => f.status === 404,
      });
      await failTimes(breaker, 3);
      expect(breaker.state).toBe('closed');
      for (let i = 0; i < 2; i++)
        await breaker.execute(() => Promise.reject(new HttpError(404))).catch(() => undefined);
      expect(breaker.state).toBe('open');
    });
  });

  describe('open → half-open → closed, driven by timestamps', () => {
    it('uses no timer: stays open until a call arrives after openUntil, which becomes the probe', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      await failTimes(breaker, 1);
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(999);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfterMs: 1 });
      vi.advanceTimersByTime(5_000);
      expect(breaker.state).toBe('open');
      const events: PolicyEvent[] = [];
      breaker.events$.subscribe((e) => events.push(e));
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
      expect(events.filter((e) => e.type === 'breaker-state')).toEqual([
        { type: 'breaker-state', breaker: 'api', from: 'open', to: 'half-open' },
        { type: 'breaker-state', breaker: 'api', from: 'half-open', to: 'closed' },
      ]);
      expect(breaker.snapshot).toEqual({ name: 'api', state: 'closed', failures: 0, calls: 0, slowCalls: 0 });
    });

    it('a wall clock set back does not stretch an opening by the length of the jump', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
      vi.setSystemTime(1_000_000 - 3_600_000);
      expect(await breaker.execute(ok)).toBe('ok');
      expect(breaker.state).toBe('closed');
    });

    it('a failed probe opens again for another openForMs', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      await failTimes(breaker, 1);
      expect(breaker.snapshot).toMatchObject({ state: 'open', openedAt: 1_001_000, openUntil: 1_002_000 });
    });

    it('half-open admits `probes` concurrent callers and rejects the rest', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        openForMs: 1_000,
        halfOpen: { probes: 2 },
      });
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      const first = pendingOperation();
      const second = pendingOperation();
      const p1 = track(breaker.execute(first.fn));
      const p2 = track(breaker.execute(second.fn));
      const third = vi.fn(ok);
      const p3 = track(breaker.execute(third));
      await vi.advanceTimersByTimeAsync(0);
      expect(breaker.state).toBe('half-open');
      expect(third).not.toHaveBeenCalled();
      expect(p3.error).toBeInstanceOf(CircuitOpenError);
      expect((p3.error as CircuitOpenError).retryAfterMs).toBe(0);
      first.resolve('a');
      await vi.advanceTimersByTimeAsync(0);
      expect(p1.value).toBe('a');
      // successesToClose defaults to 1: the first successful probe closes it.
      expect(breaker.state).toBe('closed');
      second.resolve('b');
      await vi.advanceTimersByTimeAsync(0);
      expect(p2.value).toBe('b');
      expect(breaker.state).toBe('closed');
    });

    it('one probe at a time by default; the slot frees when the probe settles', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        openForMs: 1_000,
        halfOpen: { successesToClose: 2 },
      });
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      const probe = pendingOperation();
      const p1 = track(breaker.execute(probe.fn));
      await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
      probe.resolve('one');
      await vi.advanceTimersByTimeAsync(0);
      expect(p1.value).toBe('one');
      expect(breaker.state).toBe('half-open');
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
    });

    it('a probe that hangs longer than an opening counts as failed, so the breaker is not stuck half-open', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      const hung = pendingOperation();
      track(breaker.execute(hung.fn));
      vi.advanceTimersByTime(999);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfterMs: 0 });
      expect(breaker.state).toBe('half-open');
      vi.advanceTimersByTime(1);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ retryAfterMs: 1_000 });
      expect(breaker.state).toBe('open');
      // The hung probe settling later changes nothing.
      hung.resolve('finally');
      await vi.advanceTimersByTimeAsync(0);
      expect(breaker.state).toBe('open');
      vi.advanceTimersByTime(1_000);
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
    });

    it('a probe that fails with an uncounted failure frees its slot and changes nothing', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      await breaker.execute(() => Promise.reject(new HttpError(404))).catch(() => undefined);
      expect(breaker.state).toBe('half-open');
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect(breaker.state).toBe('closed');
    });

    it('a Backoff as openForMs lengthens repeated openings and starts over once closed', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        openForMs: exponentialBackoff({ initialMs: 1_000, jitter: 'none' }),
      });
      const lengths: number[] = [];
      const openFor = () => breaker.snapshot.openUntil! - breaker.snapshot.openedAt!;
      await failTimes(breaker, 1);
      lengths.push(openFor());
      for (let i = 0; i < 3; i++) {
        vi.advanceTimersByTime(openFor());
        await failTimes(breaker, 1);
        lengths.push(openFor());
      }
      expect(lengths).toEqual([1_000, 2_000, 4_000, 8_000]);
      vi.advanceTimersByTime(openFor());
      await breaker.execute(ok);
      await failTimes(breaker, 1);
      expect(openFor()).toBe(1_000);
    });
  });

  describe('halfOpen.waitForProbe', () => {
    const waiting = () =>
      make({
        name: 'api',
        window: consecutiveFailures(1),
        openForMs: 1_000,
        halfOpen: { waitForProbe: true },
      });

    async function probing(breaker: CircuitBreaker) {
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      const probe = pendingOperation();
      const probeCall = track(breaker.execute(probe.fn));
      expect(breaker.state).toBe('half-open');
      return { probe, probeCall };
    }

    it('calls arriving during the probe wait for it, and run once it succeeds', async () => {
      const breaker = waiting();
      const { probe, probeCall } = await probing(breaker);
      const fn = vi.fn(ok);
      const waiters = [track(breaker.execute(fn)), track(breaker.execute(fn))];
      await vi.advanceTimersByTimeAsync(0);
      expect(fn).not.toHaveBeenCalled();
      expect(waiters[0]?.settled).toBe(false);
      probe.resolve('probe ok');
      await vi.advanceTimersByTimeAsync(0);
      expect(probeCall.value).toBe('probe ok');
      expect(breaker.state).toBe('closed');
      expect(fn).toHaveBeenCalledTimes(2);
      expect(waiters.map((w) => w.value)).toEqual(['ok', 'ok']);
    });

    it('they reject with CircuitOpenError when the probe fails, without running', async () => {
      const breaker = waiting();
      const { probe } = await probing(breaker);
      const fn = vi.fn(ok);
      const waiter = track(breaker.execute(fn));
      probe.reject(new HttpError(500));
      await vi.advanceTimersByTimeAsync(0);
      expect(breaker.state).toBe('open');
      expect(fn).not.toHaveBeenCalled();
      expect(waiter.error).toBeInstanceOf(CircuitOpenError);
    });

    it("a waiting caller's abort rejects it alone", async () => {
      const breaker = waiting();
      const { probe } = await probing(breaker);
      const controller = new AbortController();
      const reason = new Error('navigated away');
      const aborted = track(breaker.execute(ok, { signal: controller.signal }));
      const other = track(breaker.execute(ok));
      controller.abort(reason);
      await vi.advanceTimersByTimeAsync(0);
      expect(aborted.error).toBe(reason);
      expect(other.settled).toBe(false);
      probe.resolve('ok');
      await vi.advanceTimersByTimeAsync(0);
      expect(other.value).toBe('ok');
    });

    it('a probe that ends without a verdict (a 404) lets the next waiting call probe', async () => {
      const breaker = waiting();
      const { probe } = await probing(breaker);
      const next = pendingOperation();
      const waiter = track(breaker.execute(next.fn));
      probe.reject(new HttpError(404));
      await vi.advanceTimersByTimeAsync(0);
      expect(breaker.state).toBe('half-open');
      next.resolve('ok');
      await vi.advanceTimersByTimeAsync(0);
      expect(waiter.value).toBe('ok');
      expect(breaker.state).toBe('closed');
    });

    it('is off by default: a call during the probe fails at once', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      await probing(breaker);
      await expect(breaker.execute(ok)).rejects.toMatchObject({ name: 'CircuitOpenError', retryAfterMs: 0 });
    });
  });

  describe('calls in flight across a state change', () => {
    it('a breaker that opens while calls are in flight ignores their late outcomes', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(2), openForMs: 1_000 });
      const slowSuccess = pendingOperation();
      const slowFailure = pendingOperation();
      const s = track(breaker.execute(slowSuccess.fn));
      const f = track(breaker.execute(slowFailure.fn));
      await failTimes(breaker, 2);
      expect(breaker.state).toBe('open');
      const openUntil = breaker.snapshot.openUntil;
      slowSuccess.resolve('late');
      slowFailure.reject(new HttpError(500));
      await vi.advanceTimersByTimeAsync(0);
      // The callers still get their outcomes; the breaker is not closed or re-opened by them.
      expect(s.value).toBe('late');
      expect(f.error).toBeInstanceOf(HttpError);
      expect(breaker.state).toBe('open');
      expect(breaker.snapshot.openUntil).toBe(openUntil);
    });

    it('a success admitted while closed does not close a half-open breaker', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 1_000 });
      const old = pendingOperation();
      track(breaker.execute(old.fn));
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      const probe = pendingOperation();
      track(breaker.execute(probe.fn));
      expect(breaker.state).toBe('half-open');
      old.resolve('stale');
      await vi.advanceTimersByTimeAsync(0);
      expect(breaker.state).toBe('half-open');
      probe.reject(new HttpError(503));
      await vi.advanceTimersByTimeAsync(0);
      expect(breaker.state).toBe('open');
    });
  });

  describe('count window', () => {
    it('opens when the failure rate over the last `size` calls reaches failureRate, after minimumCalls', async () => {
      const breaker = make({
        name: 'api',
        window: countWindow({ size: 10, failureRate: 0.5, minimumCalls: 4 }),
      });
      await failTimes(breaker, 3);
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      // 4 of 4 ≥ 50 %, judged on the failure that reached minimumCalls.
      expect(breaker.state).toBe('open');
    });

    it('never opens on a success: a threshold reached as one arrives is a recovery', async () => {
      const breaker = make({
        name: 'api',
        window: countWindow({ size: 5, failureRate: 0.5, minimumCalls: 5 }),
      });
      const changes: PolicyEvent[] = [];
      breaker.events$.subscribe((e) => {
        if (e.type === 'breaker-state') changes.push(e);
      });
      // F F F S: 4 calls, below minimumCalls. The next success completes the window at 3 of 5.
      await failTimes(breaker, 3);
      await breaker.execute(ok);
      await breaker.execute(ok);
      expect(breaker.snapshot).toMatchObject({ state: 'closed', failures: 3, calls: 5 });
      // A full window where a success evicts a success: still 3 of 5, still closed.
      await breaker.execute(ok);
      expect(breaker.snapshot).toMatchObject({ state: 'closed', failures: 2, calls: 5 });
      expect(changes).toEqual([]);
      // The dependency failing again is judged as usual: F evicts F twice (2 of 5), then S (3 of 5).
      await failTimes(breaker, 2);
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
    });

    it('stays closed below the rate', async () => {
      const breaker = make({
        name: 'api',
        window: countWindow({ size: 10, failureRate: 0.5, minimumCalls: 4 }),
      });
      for (let i = 0; i < 20; i++) {
        if (i % 4 === 0) await failTimes(breaker, 1);
        else await breaker.execute(ok);
      }
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot).toMatchObject({ calls: 10 });
    });

    it('forgets calls that slid out of the window', async () => {
      const breaker = make({ name: 'api', window: countWindow({ size: 4, failureRate: 0.5 }) });
      // F S S F: 2/4 would open; but fill differently: F S S S (1/4), then S evicts F (0/4).
      await failTimes(breaker, 1);
      for (let i = 0; i < 4; i++) await breaker.execute(ok);
      expect(breaker.snapshot).toMatchObject({ failures: 0, calls: 4 });
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
    });

    it('minimumCalls defaults to the window size', async () => {
      const breaker = make({ name: 'api', window: countWindow({ size: 5, failureRate: 0.2 }) });
      await failTimes(breaker, 4);
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
    });

    it('starts a fresh window after closing', async () => {
      const breaker = make({
        name: 'api',
        window: countWindow({ size: 4, failureRate: 0.5 }),
        openForMs: 10,
      });
      await failTimes(breaker, 4);
      vi.advanceTimersByTime(10);
      await breaker.execute(ok);
      expect(breaker.snapshot).toMatchObject({ state: 'closed', failures: 0, calls: 0 });
      await failTimes(breaker, 2);
      expect(breaker.state).toBe('closed');
    });
  });

  describe('time window', () => {
    it('opens on the failure rate of the last durationMs once minimumCalls is reached', async () => {
      const breaker = make({
        name: 'api',
        window: timeWindow({ durationMs: 10_000, failureRate: 0.5, minimumCalls: 4 }),
      });
      await failTimes(breaker, 2);
      vi.advanceTimersByTime(3_000);
      await breaker.execute(ok);
      expect(breaker.state).toBe('closed');
      vi.advanceTimersByTime(3_000);
      // 2 of 4 ≥ 50 %, but reached by a success: a recovery, not a reason to open.
      await breaker.execute(ok);
      expect(breaker.snapshot).toMatchObject({ state: 'closed', failures: 2, calls: 4 });
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
    });

    it('forgets calls older than durationMs', async () => {
      const breaker = make({
        name: 'api',
        window: timeWindow({ durationMs: 10_000, failureRate: 0.5, minimumCalls: 4 }),
      });
      await failTimes(breaker, 3);
      vi.advanceTimersByTime(10_000);
      expect(breaker.snapshot).toMatchObject({ failures: 0, calls: 0 });
      for (let i = 0; i < 3; i++) await breaker.execute(ok);
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot).toMatchObject({ failures: 1, calls: 4 });
    });

    it('minimumCalls defaults to 10', async () => {
      const breaker = make({ name: 'api', window: timeWindow({ durationMs: 60_000, failureRate: 0.5 }) });
      await failTimes(breaker, 9);
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('open');
    });

    it('a clock jumping far ahead (a tab asleep for hours) empties the window in O(buckets)', async () => {
      const breaker = make({
        name: 'api',
        window: timeWindow({ durationMs: 1_000, failureRate: 0.5, minimumCalls: 2 }),
      });
      await failTimes(breaker, 1);
      vi.setSystemTime(Date.now() + 10 * 3_600_000);
      await failTimes(breaker, 1);
      expect(breaker.snapshot).toMatchObject({ state: 'closed', failures: 1, calls: 1 });
    });
  });

  describe('slow calls', () => {
    it('opens when the share of slow calls reaches slowCall.rate, even if they succeed', async () => {
      const breaker = make({
        name: 'api',
        window: countWindow({ size: 4, failureRate: 1 }),
        slowCall: { thresholdMs: 100, rate: 0.5 },
      });
      const run = (ms: number) => {
        const p = breaker.execute(taking(ms));
        return vi.advanceTimersByTimeAsync(ms).then(() => p);
      };
      await run(10);
      await run(150);
      await run(10);
      expect(breaker.state).toBe('closed');
      expect(breaker.snapshot.slowCalls).toBe(1);
      await run(101);
      expect(breaker.state).toBe('open');
    });

    it('a call at exactly the threshold is not slow', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        slowCall: { thresholdMs: 100, rate: 1 },
      });
      const p = breaker.execute(taking(100));
      await vi.advanceTimersByTimeAsync(100);
      await p;
      expect(breaker.state).toBe('closed');
    });

    it('in a consecutive window a slow call counts as a failure', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(2),
        slowCall: { thresholdMs: 100, rate: 1 },
      });
      for (let i = 0; i < 2; i++) {
        const p = breaker.execute(taking(200));
        await vi.advanceTimersByTimeAsync(200);
        await p;
      }
      expect(breaker.state).toBe('open');
    });

    it('a slow probe re-opens the breaker', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        slowCall: { thresholdMs: 100, rate: 1 },
        openForMs: 1_000,
      });
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(1_000);
      const p = breaker.execute(taking(500));
      await vi.advanceTimersByTimeAsync(500);
      await expect(p).resolves.toBe('ok');
      expect(breaker.state).toBe('open');
    });
  });

  describe('failureOf: values that are failures', () => {
    it('counts a value failureOf calls a failure, and passes the value on', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(2),
        failureOf: failedResponse,
      });
      const unavailable = new Response(null, { status: 503 });
      await expect(breaker.execute(() => unavailable)).resolves.toBe(unavailable);
      expect(breaker.snapshot.failures).toBe(1);
      await breaker.execute(() => new Response(null, { status: 500 }));
      expect(breaker.state).toBe('open');
    });

    it('leaves the breaker as it is for a value whose failure countIf does not count (a 404)', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        failureOf: failedResponse,
      });
      await breaker.execute(() => new Response(null, { status: 404 }));
      await breaker.execute(() => new Response('ok'));
      expect(breaker.state).toBe('closed');
    });

    it('a failed value of a half-open probe reopens the breaker', async () => {
      const breaker = make({
        name: 'api',
        window: consecutiveFailures(1),
        openForMs: 1_000,
        failureOf: failedResponse,
      });
      await breaker.execute(() => new Response(null, { status: 502 }));
      expect(breaker.state).toBe('open');
      vi.advanceTimersByTime(1_000);
      await breaker.execute(() => new Response(null, { status: 502 }));
      expect(breaker.state).toBe('open');
    });
  });

  describe('isolate and reset', () => {
    it('isolate() holds the breaker open (reference-counted) until every release', async () => {
      const breaker = make({ name: 'api' });
      const releaseA = breaker.isolate();
      const releaseB = breaker.isolate();
      expect(breaker.state).toBe('isolated');
      const fn = vi.fn(ok);
      const error = await breaker.execute(fn).catch((e: unknown) => e);
      expect(fn).not.toHaveBeenCalled();
      expect(error).toMatchObject({ name: 'CircuitOpenError', retryAfterMs: Infinity });
      releaseA();
      releaseA();
      expect(breaker.state).toBe('isolated');
      vi.advanceTimersByTime(3_600_000);
      expect(breaker.state).toBe('isolated');
      releaseB();
      expect(breaker.state).toBe('closed');
      await expect(breaker.execute(ok)).resolves.toBe('ok');
    });

    it('isolating an open breaker, then releasing, closes it', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1) });
      await failTimes(breaker, 1);
      const release = breaker.isolate();
      expect(breaker.state).toBe('isolated');
      release();
      expect(breaker.state).toBe('closed');
    });

    it('reset() closes with an empty window and voids earlier releases', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(2) });
      await failTimes(breaker, 2);
      expect(breaker.state).toBe('open');
      breaker.reset();
      expect(breaker.snapshot).toEqual({ name: 'api', state: 'closed', failures: 0, calls: 0, slowCalls: 0 });
      const stale = breaker.isolate();
      breaker.reset();
      const held = breaker.isolate();
      stale();
      expect(breaker.state).toBe('isolated');
      held();
      expect(breaker.state).toBe('closed');
      await failTimes(breaker, 1);
      breaker.reset();
      await failTimes(breaker, 1);
      expect(breaker.state).toBe('closed');
    });
  });

  describe('observing', () => {
    it('state$ gives the current snapshot, then one per state change', async () => {
      const breaker = make({ name: 'api', window: consecutiveFailures(1), openForMs: 100 });
      const seen: BreakerSnapshot[] = [];
      const sub = breaker.state$.subscribe((s) => seen.push(s));
      await failTimes(breaker, 1);
      vi.advanceTimersByTime(100);
      await breaker.execute(ok);
      sub.unsubscribe();
      expect(seen.map((s) => s.state)).toEqual(['closed', 'open', 'half-open', 'closed']);
      expect(seen[1]).toMatchObject({
        name: 'api',
        openedAt: 1_000_000,
        openUntil: 1_000_100,
        failures: 1,
        calls: 1,
      });
    });

    it('builds no event or snapshot objects while nobody listens', async () => {
      const next = vi.spyOn(Emitter.prototype, 'next');
      const breaker = make({
        name: 'api',
        window: countWindow({ size: 10, failureRate: 0.5, minimumCalls: 2 }),
      });
      await breaker.execute(ok);
      await failTimes(breaker, 3);
      expect(breaker.state).toBe('open');
      expect(next).not.toHaveBeenCalled();
    });
  });

  it('validates options at creation, naming the option', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{}, /"name"/],
      [{ name: '' }, /"name"/],
      [
        { name: 'x', window: { kind: 'sliding' } },
        /"window" must be a window made by consecutiveFailures\(\)/,
      ],
      [{ name: 'x', slowCall: { thresholdMs: 100, rate: 2 } }, /"slowCall\.rate"/],
      [{ name: 'x', openForMs: -1 }, /"openForMs"/],
      [{ name: 'x', halfOpen: { probes: 0 } }, /"halfOpen\.probes"/],
      [{ name: 'x', countIf: true }, /"countIf"/],
      [{ name: 'x', share: 'window' }, /"share"/],
      [{ name: 'x', persist: 'session' }, /"persist"/],
    ];
    for (const [options, message] of bad) {
      expect(() => circuitBreaker(options as BreakerOptions), JSON.stringify(options)).toThrow(TypeError);
      expect(() => circuitBreaker(options as BreakerOptions), JSON.stringify(options)).toThrow(message);
    }
  });

  it('validates each window at its factory, naming the option', () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => consecutiveFailures(0), /consecutiveFailures\(\): failures must be ≥ 1/],
      [() => countWindow({ size: 10, failureRate: 0 }), /countWindow\(\): option "failureRate" must be > 0/],
      [() => countWindow({ size: 10, failureRate: 50 }), /"failureRate" must be ≤ 1/],
      [
        () => countWindow({ size: 10, failureRate: 0.5, minimumCalls: 11 }),
        /"minimumCalls" must not exceed size/,
      ],
      [() => timeWindow({ durationMs: 0, failureRate: 0.5 }), /timeWindow\(\): option "durationMs"/],
    ];
    for (const [make, message] of bad) {
      expect(make).toThrow(TypeError);
      expect(make).toThrow(message);
    }
  });

  it("names what replaces share: 'tabs', persist: 'local' and the options that moved with them", () => {
    const make = (o: object) => () => circuitBreaker({ name: 'x', ...o });
    expect(make({ share: 'tabs' })).toThrow(
      `circuitBreaker(): option "share" must be made by shareAcrossTabs(): the 'tabs' string was removed (received "tabs")`,
    );
    expect(make({ persist: 'local' })).toThrow(
      `circuitBreaker(): option "persist" must be made by persistInLocalStorage(): the 'local' string was removed (received "local")`,
    );
    expect(make({ BroadcastChannel: BroadcastChannel })).toThrow(
      'option "BroadcastChannel" must be given to shareAcrossTabs({ BroadcastChannel })',
    );
    expect(make({ localStorage: {} })).toThrow(
      'option "localStorage" must be given to persistInLocalStorage({ storage })',
    );
    expect(() => shareAcrossTabs({ BroadcastChannel: 'x' as never })).toThrow(
      'shareAcrossTabs(): option "BroadcastChannel" must be a constructor',
    );
    expect(() => persistInLocalStorage({ storage: {} as never })).toThrow(
      'persistInLocalStorage(): option "storage" must be a Storage',
    );
    expect(make({ share: false, persist: false })).not.toThrow();
  });

  it('names the factory that replaces a removed { kind } window', () => {
    expect(() =>
      circuitBreaker({ name: 'x', window: { kind: 'count', size: 10, failureRate: 0.5 } } as never),
    ).toThrow(
      /"window" must be made by countWindow\(\{ size, failureRate, minimumCalls \}\): the \{ kind: 'count' \} form was removed/,
    );
    expect(() =>
      circuitBreaker({ name: 'x', window: { kind: 'consecutive', failures: 3 } } as never),
    ).toThrow(/consecutiveFailures\(failures\)/);
    expect(() =>
      circuitBreaker({ name: 'x', window: { kind: 'time', durationMs: 1, failureRate: 1 } } as never),
    ).toThrow(/timeWindow\(\{ durationMs, failureRate, minimumCalls \}\)/);
  });
});
