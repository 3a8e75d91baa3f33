import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../failure/errors.js';
import { constantBackoff } from './backoff.js';
import { bulkhead } from './bulkhead.js';
import { circuitBreaker } from './breaker/circuit-breaker.js';
import { retry } from './retry.js';
import { consecutiveFailures, countWindow, timeWindow } from './breaker/windows.js';

// The production build: options are not checked. Each case is a value the development build
// refuses; in production it must still work sensibly (or fail clearly), never lock up.
vi.mock('../dev.js', () => ({ DEV: false }));

const fail = () => Promise.reject(new HttpError(500));
const ok = () => Promise.resolve('ok');

describe('policies given options that cannot be meant, in the production build', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // Each falls back to the option's default (sane.ts).
  it('a breaker with halfOpen.probes 0 lets a probe through once openForMs has passed', async () => {
    const breaker = circuitBreaker({
      name: 'probes-0',
      window: consecutiveFailures(1),
      openForMs: 5,
      halfOpen: { probes: 0 },
    });
    await breaker.execute(fail).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    // Observed: half-open for ever, every call refused with CircuitOpenError.
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    breaker.dispose();
  });

  it('a breaker with halfOpen.successesToClose NaN closes after a good probe', async () => {
    const breaker = circuitBreaker({
      name: 'close-nan',
      window: consecutiveFailures(1),
      openForMs: 5,
      halfOpen: { successesToClose: Number.NaN },
    });
    await breaker.execute(fail).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    for (let i = 0; i < 5; i++) await breaker.execute(ok);
    // Observed: half-open for ever (calls pass, but the state never says closed).
    expect(breaker.state).toBe('closed');
    breaker.dispose();
  });

  it('retry with maxAttempts NaN gives up (at the default) instead of retrying for ever', async () => {
    let calls = 0;
    const done = retry({ maxAttempts: Number.NaN, backoff: constantBackoff(10) })
      .execute(() => {
        calls++;
        return fail();
      })
      .catch(() => 'gave up');
    await vi.advanceTimersByTimeAsync(10_000);
    // Observed: ~1000 attempts in 10 s and still going.
    expect(calls).toBeLessThan(20);
    await expect(done).resolves.toBe('gave up');
  });

  it('a count window of size 0 still opens the breaker (or the factory says why not)', async () => {
    const make = () => circuitBreaker({ name: 'size-0', window: countWindow({ size: 0, failureRate: 0.5 }) });
    let breaker;
    try {
      breaker = make();
    } catch {
      return; // A clear refusal is fine.
    }
    // Falls back to the default count window (100 calls), so it opens once that fills.
    for (let i = 0; i < 100; i++) await breaker.execute(fail).catch(() => undefined);
    // Observed: closed for ever, every failure let through.
    expect(breaker.state).toBe('open');
    breaker.dispose();
  });

  it("a breaker given the removed { kind } window, share: 'tabs' or persist: 'local' works with the defaults", async () => {
    const storage = { getItem: vi.fn(() => null), setItem: vi.fn() };
    vi.stubGlobal('localStorage', storage);
    try {
      const breaker = circuitBreaker({
        name: 'old-forms',
        window: { kind: 'consecutive', failures: 2 },
        share: 'tabs',
        persist: 'local',
      } as never);
      // The default window, five failures in a row; nothing shared, nothing stored.
      for (let i = 0; i < 4; i++) await breaker.execute(fail).catch(() => undefined);
      expect(breaker.state).toBe('closed');
      await breaker.execute(fail).catch(() => undefined);
      expect(breaker.state).toBe('open');
      expect(storage.setItem).not.toHaveBeenCalled();
      breaker.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('window factories called without their options, or with a non-object, give the default window', async () => {
    // Observed: countWindow() and timeWindow() threw "Cannot read properties of undefined".
    const made = [
      (countWindow as (o?: unknown) => ReturnType<typeof countWindow>)(),
      countWindow(null as never),
      (timeWindow as (o?: unknown) => ReturnType<typeof timeWindow>)(),
      timeWindow('60s' as never),
      consecutiveFailures({ failures: 2 } as never),
    ];
    for (const window of made) {
      const breaker = circuitBreaker({ name: 'no-options', window });
      await breaker.execute(ok);
      // The count window's default minimum is its size (100) and the time window's is 10: one
      // failure opens neither, whatever the window.
      await breaker.execute(fail).catch(() => undefined);
      expect(breaker.state).toBe('closed');
      breaker.dispose();
    }
    // The consecutive default (5 in a row) still opens.
    const breaker = circuitBreaker({ name: 'consecutive', window: consecutiveFailures(undefined as never) });
    for (let i = 0; i < 5; i++) await breaker.execute(fail).catch(() => undefined);
    expect(breaker.state).toBe('open');
    breaker.dispose();
  });

  it('a bulkhead with limit NaN, 0 or missing runs one call at a time instead of refusing every call', async () => {
    for (const limit of [Number.NaN, 0, undefined, 2.5]) {
      const b = bulkhead({ limit: limit as number, queue: 1 });
      // Observed: every call refused with BulkheadRejectedError, for ever.
      await expect(b.execute(ok)).resolves.toBe('ok');
      expect(b.executionSlots).toBe(1);
    }
  });

  it('a bulkhead with queue NaN or −1 queues no call, as by default', async () => {
    for (const queue of [Number.NaN, -1]) {
      const b = bulkhead({ limit: 1, queue });
      const held = b.execute(() => new Promise<string>((resolve) => setTimeout(() => resolve('held'), 10)));
      // Observed with NaN: an unbounded queue (`queued >= NaN` is never true).
      await expect(b.execute(ok)).rejects.toMatchObject({ name: 'BulkheadRejectedError' });
      expect(b.queueSlots).toBe(0);
      await vi.advanceTimersByTimeAsync(10);
      await expect(held).resolves.toBe('held');
    }
  });
});
