// Every preset: its defaults, options that override them, composing in a pipeline, serving as
// a createProtection dependency, and a bad option refused by name.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyFailure } from '../failure/classify.js';
import { HttpError } from '../failure/errors.js';
import { constantBackoff } from '../policy/backoff.js';
import { circuitBreaker } from '../policy/breaker/circuit-breaker.js';
import type { ExecutionContext, Policy, PolicyEvent } from '../policy/types.js';
import { pipeline } from '../policy/pipeline.js';
import { timeout } from '../policy/timeout.js';
import { findBreaker } from '../protection/dependencies.js';
import { createProtection } from '../protection/create-protection.js';
import { FakeWindow } from '../test-support/fake-window.js';
import { manualClock } from '../test-support/manual-clock.js';
import { presets } from './presets.js';
import { consecutiveFailures, countWindow } from '../policy/breaker/windows.js';

type Name = keyof typeof presets;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** How a call ended, after the clock ran `ms`. */
async function outcome<T>(pending: Promise<T>, ms = 600_000) {
  const settled = pending.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, failure: classifyFailure(error) }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

/** Runs `fn` through `policy`, counting its attempts. */
async function attempts(policy: Policy, fn: () => Promise<unknown>, ms?: number) {
  let count = 0;
  const result = await outcome(
    policy.execute(() => (count++, fn())),
    ms,
  );
  return { count, result };
}

/** An operation that settles only when its signal aborts, as fetch does. */
const hang = ({ signal }: ExecutionContext) =>
  new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error));
  });

/** How long until a hanging attempt is given up (ms), or undefined if not within `limit`. */
async function timeoutOf(policy: Policy, fn: (ctx: ExecutionContext) => Promise<never> = hang) {
  const start = Date.now();
  let end: number | undefined;
  void policy.execute(fn).catch(() => (end = Date.now()));
  for (let i = 0; i < 300 && end === undefined; i++) await vi.advanceTimersByTimeAsync(1_000);
  return end === undefined ? undefined : end - start;
}

/** How many failing calls open the breaker: the next one is refused without running. */
async function failuresToOpen(policy: Policy) {
  for (let n = 0; n < 50; n++) {
    // No time passes: an open breaker stays open.
    const { count, result } = await attempts(policy, () => Promise.reject(new HttpError(500)), 0);
    if (count === 0) return result.ok ? -1 : result.failure.category === 'circuit-open' ? n : -1;
  }
  return Infinity;
}

const DEFAULTS: Record<
  Name,
  {
    timeoutMs: number;
    attempts: number;
    opensAfter: number;
    critical: boolean;
    silent: boolean;
    kind: string;
  }
> = {
  read: { timeoutMs: 10_000, attempts: 3, opensAfter: 5, critical: false, silent: false, kind: 'read' },
  write: { timeoutMs: 15_000, attempts: 2, opensAfter: 5, critical: false, silent: false, kind: 'write' },
  upload: { timeoutMs: 120_000, attempts: 2, opensAfter: 3, critical: false, silent: false, kind: 'write' },
  telemetry: { timeoutMs: 5_000, attempts: 1, opensAfter: 3, critical: false, silent: true, kind: 'write' },
  authRefresh: { timeoutMs: 5_000, attempts: 2, opensAfter: 3, critical: true, silent: true, kind: 'write' },
  thirdParty: { timeoutMs: 5_000, attempts: 1, opensAfter: 3, critical: false, silent: true, kind: 'read' },
};
const NAMES = Object.keys(DEFAULTS) as Name[];

describe.each(NAMES)('presets.%s()', (name) => {
  const d = DEFAULTS[name];
  const make = presets[name];

  it('applies its defaults', async () => {
    expect(make()).toMatchObject({ critical: d.critical, silent: d.silent, kind: d.kind });
    // A 503 is retryable and cannot have been applied: every preset retries it up to its attempts.
    expect((await attempts(make().policy, () => Promise.reject(new HttpError(503)))).count).toBe(d.attempts);
    expect(await timeoutOf(make({ maxAttempts: 1 }).policy)).toBe(d.timeoutMs);
    expect(await failuresToOpen(make({ maxAttempts: 1 }).policy)).toBe(d.opensAfter);
    expect(findBreaker(make().policy)?.snapshot.name).toBe(name);
  });

  it('applies overrides', async () => {
    const clock = manualClock(0);
    const p = make({
      name: 'mine',
      timeoutMs: 1_000,
      maxAttempts: 4,
      backoff: constantBackoff(10),
      breaker: { window: consecutiveFailures(1) },
      critical: !d.critical,
      silent: !d.silent,
    });
    expect(p).toMatchObject({ critical: !d.critical, silent: !d.silent, kind: d.kind });
    expect((await attempts(p.policy, () => Promise.reject(new HttpError(503)))).count).toBe(4);
    expect(findBreaker(p.policy)?.snapshot).toMatchObject({ name: 'mine', state: 'open' });
    expect(await timeoutOf(make({ maxAttempts: 1, timeoutMs: 1_000, breaker: false }).policy)).toBe(1_000);
    expect(await failuresToOpen(make({ maxAttempts: 1, breaker: false }).policy)).toBe(Infinity);
    // An injected clock drives its timers.
    const clocked = make({ maxAttempts: 1, timeoutMs: 50, clock }).policy.execute(hang);
    clocked.catch(() => undefined);
    clock.advance(50);
    await expect(clocked).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('composes in a pipeline', async () => {
    const events: PolicyEvent[] = [];
    const composed = pipeline(timeout(60_000), make({ backoff: constantBackoff(0) }).policy);
    composed.events$.subscribe((e) => events.push(e));
    let calls = 0;
    const result = await outcome(
      composed.execute(() =>
        ++calls < d.attempts ? Promise.reject(new HttpError(503)) : Promise.resolve('ok'),
      ),
    );
    expect(result).toEqual({ ok: true, value: 'ok' });
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(d.attempts - 1);
    expect(events.at(-1)).toMatchObject({ type: 'success' });
  });

  it('serves as a createProtection dependency', async () => {
    const p = createProtection({ window: new FakeWindow(), outbox: false, dependencies: { dep: make() } });
    const calls: unknown[] = [];
    p.events$.subscribe((e) => {
      if (e.type === 'call') calls.push(e);
    });
    try {
      expect(p.status().dependencies.dep).toMatchObject({ critical: d.critical, breaker: { name } });
      const failing = p.protect('call', () => Promise.reject(new Error('bug')), { dependency: 'dep' });
      // The failure's toast lasts seconds: look before they pass.
      const result = await outcome(failing, 0);
      expect(result).toMatchObject({ ok: true, value: { status: 'failed' } });
      expect(calls).toEqual([expect.objectContaining({ kind: d.kind, status: 'failed' })]);
      expect(p.messages.visible.toasts).toHaveLength(d.silent ? 0 : 1);
    } finally {
      await p.dispose();
    }
  });

  it('refuses a bad option by name', () => {
    const where = `presets.${name}()`;
    expect(() => make({ timeoutMs: 0 })).toThrow(`${where}: option "timeoutMs" must be > 0 (received 0)`);
    expect(() => make({ retries: 3 } as never)).toThrow(`${where}: unknown option "retries"`);
    expect(() => make({ maxAttempts: 1.5 })).toThrow(`${where}: option "maxAttempts" must be`);
    expect(() => make({ breaker: { window: countWindow({ size: 0, failureRate: 0.5 }) } })).toThrow(
      'countWindow(): option "size" must be',
    );
    expect(() => make({ breaker: { window: { kind: 'count', size: 0 } } as never })).toThrow(
      `${where}: option "breaker.window" must be made by countWindow(`,
    );
    expect(() => make({ breaker: 'off' as never })).toThrow(
      `${where}: option "breaker" must be false, breaker options or a CircuitBreaker (received "off")`,
    );
  });
});

describe('presets share a breaker when given one', () => {
  it('one backend, one breaker: failed reads pause the writes too', async () => {
    const api = circuitBreaker({ name: 'api', window: consecutiveFailures(2) });
    const read = presets.read({ breaker: api, maxAttempts: 1 });
    const write = presets.write({ breaker: api });
    expect(await failuresToOpen(read.policy)).toBe(2);
    const { count, result } = await attempts(write.policy, () => Promise.resolve('saved'));
    expect(count).toBe(0);
    expect(result).toMatchObject({ ok: false, failure: { category: 'circuit-open' } });
  });
});

describe('presets.upload()', () => {
  /** Starts `n` uploads that finish when told; returns how many run and a way to finish one. */
  function uploads(policy: Policy, n: number) {
    const finish: Array<() => void> = [];
    const settled = Array.from({ length: n }, () =>
      outcome(
        policy.execute(
          () =>
            new Promise<string>((resolve) => {
              finish.push(() => resolve('done'));
            }),
        ),
        0,
      ),
    );
    return { running: () => finish.length, finish, settled };
  }

  it('runs 2 at a time by default; the rest wait their turn', async () => {
    const u = uploads(presets.upload().policy, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(u.running()).toBe(2);
    u.finish[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(u.running()).toBe(3);
  });

  it('takes its concurrency and queue from options, and refuses one too many', async () => {
    const u = uploads(presets.upload({ concurrency: 1, queue: 1 }).policy, 3);
    await vi.advanceTimersByTimeAsync(0);
    expect(u.running()).toBe(1);
    expect(await u.settled[2]).toMatchObject({ ok: false, failure: { category: 'bulkhead-full' } });
    expect(() => presets.upload({ concurrency: 0 })).toThrow(
      'presets.upload(): option "concurrency" must be',
    );
    expect(() => presets.upload({ queue: -1 })).toThrow(
      'presets.upload(): option "queue" must be an integer ≥ 0 (or Infinity) (received -1)',
    );
    expect(() => presets.upload({ queue: Infinity })).not.toThrow();
  });
});

describe('presets.authRefresh()', () => {
  it('concurrent refreshes share one call', async () => {
    const refresh = presets.authRefresh().policy;
    let calls = 0;
    const fn = () => new Promise<string>((resolve) => setTimeout(() => resolve(`token-${++calls}`), 100));
    const all = Promise.all([refresh.execute(fn), refresh.execute(fn), refresh.execute(fn)]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await all).toEqual(['token-1', 'token-1', 'token-1']);
    expect(await outcome(refresh.execute(fn))).toEqual({ ok: true, value: 'token-2' });
  });

  it('does not send again a refresh the server may have applied', async () => {
    const refresh = presets.authRefresh().policy;
    const lost = await attempts(refresh, () => Promise.reject(new TypeError('Failed to fetch')));
    expect(lost.count).toBe(1);
    const busy = await attempts(refresh, () => Promise.reject(new HttpError(503)));
    expect(busy.count).toBe(2);
  });
});

describe('presets.thirdParty()', () => {
  it('lets go of an operation that ignores its signal at the deadline', async () => {
    const ignoresSignal = () => new Promise<never>(() => undefined);
    expect(await timeoutOf(presets.thirdParty().policy, ignoresSignal)).toBe(5_000);
    // A read's cooperative timeout waits for the operation to settle.
    expect(await timeoutOf(presets.read({ maxAttempts: 1 }).policy, ignoresSignal)).toBeUndefined();
  });
});
