import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Failure, FailureCategory } from '../failure/types.js';
import { createRecovery } from './recovery.js';
import type { RecoveryAction, RecoveryEvent } from './types.js';
import { deferred } from '../test-support/deferred.js';

const failure = (category: FailureCategory): Failure => ({
  category,
  retryable: false,
  impact: 'high',
  message: `${category} failure`,
  cause: null,
});

const recovered = (): Promise<boolean> => Promise.resolve(true);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(10_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('running actions', () => {
  it('runs the action registered for the failure category and records it', async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => {
      vi.advanceTimersByTime(120); // the refresh takes 120 ms
      return Promise.resolve(true);
    });
    recovery.register('auth', { name: 'refresh-token', run });
    const f = failure('auth');
    await expect(recovery.recover(f)).resolves.toBe(true);
    expect(run).toHaveBeenCalledWith(f, { signal: expect.any(AbortSignal) as AbortSignal });
    expect(recovery.history()).toEqual([
      { action: 'refresh-token', category: 'auth', at: 10_000, ok: true, durationMs: 120 },
    ]);
  });

  it('ignores actions of other categories and resolves false when nothing matches', async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => Promise.resolve(true));
    recovery.register('auth', { name: 'refresh-token', run });
    await expect(recovery.recover(failure('server'))).resolves.toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(recovery.history()).toEqual([]);
  });

  it("runs '*' actions for every category", async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => Promise.resolve(true));
    recovery.register('*', { name: 'ping', run, cooldownMs: 0 });
    await recovery.recover(failure('server'));
    await recovery.recover(failure('storage'));
    expect(recovery.history().map((h) => h.category)).toEqual(['server', 'storage']);
  });

  it('runs matching actions one after another in registration order', async () => {
    const recovery = createRecovery();
    const order: string[] = [];
    const refresh = deferred<boolean>();
    recovery.register('auth', {
      name: 'refresh-token',
      run: () => {
        order.push('refresh:start');
        return refresh.promise.then((ok) => (order.push('refresh:end'), ok));
      },
    });
    recovery.register('auth', {
      name: 'resume-outbox',
      run: () => {
        order.push('resume');
        return Promise.resolve(true);
      },
    });
    const done = recovery.recover(failure('auth'));
    await Promise.resolve();
    expect(order).toEqual(['refresh:start']);
    refresh.resolve(true);
    await expect(done).resolves.toBe(true);
    expect(order).toEqual(['refresh:start', 'refresh:end', 'resume']);
  });

  it('resolves true when at least one action recovered', async () => {
    const recovery = createRecovery();
    recovery.register('network', { name: 'a', run: () => Promise.resolve(false) });
    recovery.register('network', { name: 'b', run: () => Promise.resolve(true) });
    recovery.register('network', { name: 'c', run: () => Promise.resolve(false) });
    await expect(recovery.recover(failure('network'))).resolves.toBe(true);
    expect(recovery.history().map((h) => [h.action, h.ok])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });

  it.each([
    ['returns false', () => Promise.resolve(false)],
    ['resolves a truthy non-boolean', () => Promise.resolve('yes' as unknown as boolean)],
    ['resolves nothing', () => Promise.resolve(undefined as unknown as boolean)],
    [
      'throws synchronously',
      () => {
        throw new Error('sync');
      },
    ],
    ['rejects', () => Promise.reject(new Error('async'))],
  ])('counts an action that %s as not recovered, and never rejects', async (_, run) => {
    const recovery = createRecovery();
    recovery.register('server', { name: 'x', run });
    await expect(recovery.recover(failure('server'))).resolves.toBe(false);
    expect(recovery.history()[0]?.ok).toBe(false);
    expect(recovery.stats).toMatchObject({ runs: 1, succeeded: 0 });
  });
});

describe('cooldown', () => {
  it('runs an action at most once per cooldownMs (default 30 s)', async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => Promise.resolve(true));
    recovery.register('auth', { name: 'refresh-token', run });
    await recovery.recover(failure('auth'));
    vi.advanceTimersByTime(29_999);
    await expect(recovery.recover(failure('auth'))).resolves.toBe(false);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await expect(recovery.recover(failure('auth'))).resolves.toBe(true);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('counts the cooldown from the start of a run', async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => {
      vi.advanceTimersByTime(800);
      return Promise.resolve(true);
    });
    recovery.register('server', { name: 'warm-up', run, cooldownMs: 1_000 });
    await recovery.recover(failure('server'));
    vi.advanceTimersByTime(200); // 1 000 ms after the start, 200 ms after the end
    await recovery.recover(failure('server'));
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps a separate cooldown per action', async () => {
    const recovery = createRecovery();
    const slow = vi.fn(() => Promise.resolve(true));
    const fast = vi.fn(() => Promise.resolve(true));
    recovery.register('network', { name: 'slow', run: slow, cooldownMs: 10_000 });
    recovery.register('network', { name: 'fast', run: fast, cooldownMs: 1_000 });
    await recovery.recover(failure('network'));
    vi.advanceTimersByTime(1_000);
    await recovery.recover(failure('network'));
    expect(slow).toHaveBeenCalledTimes(1);
    expect(fast).toHaveBeenCalledTimes(2);
  });

  it("a '*' action shares one cooldown across categories", async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => Promise.resolve(true));
    recovery.register('*', { name: 'any', run });
    await recovery.recover(failure('server'));
    await recovery.recover(failure('network'));
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('a cooldown of 0 lets every recovery run the action', async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => Promise.resolve(true));
    recovery.register('server', { name: 'x', run, cooldownMs: 0 });
    for (let i = 0; i < 3; i++) await recovery.recover(failure('server'));
    expect(run).toHaveBeenCalledTimes(3);
  });
});

describe('concurrent recoveries', () => {
  it('share one run of the same action', async () => {
    const recovery = createRecovery();
    const refresh = deferred<boolean>();
    const run = vi.fn(() => refresh.promise);
    recovery.register('auth', { name: 'refresh-token', run, cooldownMs: 0 });
    const calls = Array.from({ length: 5 }, () => recovery.recover(failure('auth')));
    refresh.resolve(true);
    await expect(Promise.all(calls)).resolves.toEqual([true, true, true, true, true]);
    expect(run).toHaveBeenCalledTimes(1);
    expect(recovery.history()).toHaveLength(1);
  });

  it('a joined run that fails resolves false for every caller', async () => {
    const recovery = createRecovery();
    const refresh = deferred<boolean>();
    recovery.register('auth', { name: 'refresh-token', run: () => refresh.promise });
    const a = recovery.recover(failure('auth'));
    const b = recovery.recover(failure('auth'));
    refresh.reject(new Error('refresh failed'));
    await expect(Promise.all([a, b])).resolves.toEqual([false, false]);
  });

  it('an action unregistered while an earlier one runs is not started', async () => {
    const recovery = createRecovery();
    const first = deferred<boolean>();
    const second = vi.fn(() => Promise.resolve(true));
    recovery.register('auth', { name: 'first', run: () => first.promise });
    const unregister = recovery.register('auth', { name: 'second', run: second });
    const done = recovery.recover(failure('auth'));
    unregister();
    first.resolve(false);
    await expect(done).resolves.toBe(false);
    expect(second).not.toHaveBeenCalled();
  });
});

describe('timeouts', () => {
  it('counts a run still pending after timeoutMs as failed and aborts its signal', async () => {
    const recovery = createRecovery();
    let signal!: AbortSignal;
    recovery.register('auth', {
      name: 'hangs',
      timeoutMs: 5_000,
      run: (_, ctx) => {
        signal = ctx.signal;
        return new Promise<boolean>(() => {});
      },
    });
    const done = recovery.recover(failure('auth'));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe(false);
    expect(signal.aborted).toBe(true);
    expect(recovery.history()).toEqual([
      { action: 'hangs', category: 'auth', at: 10_000, ok: false, durationMs: 5_000 },
    ]);
  });

  it('defaults the timeout to 30 s and ignores a late answer', async () => {
    const recovery = createRecovery();
    const late = deferred<boolean>();
    recovery.register('auth', { name: 'slow', run: () => late.promise });
    const done = recovery.recover(failure('auth'));
    await vi.advanceTimersByTimeAsync(30_000);
    await expect(done).resolves.toBe(false);
    late.resolve(true);
    await Promise.resolve();
    expect(recovery.stats).toMatchObject({ runs: 1, succeeded: 0 });
  });

  it('leaves no timer behind after a run settles', async () => {
    const recovery = createRecovery();
    recovery.register('auth', { name: 'quick', run: () => Promise.resolve(true) });
    await recovery.recover(failure('auth'));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('history and stats', () => {
  it('keeps only the latest historyLimit runs, oldest first', async () => {
    const recovery = createRecovery({ historyLimit: 3 });
    recovery.register('server', { name: 'x', run: () => Promise.resolve(true), cooldownMs: 0 });
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(1);
      await recovery.recover(failure('server'));
    }
    expect(recovery.history().map((h) => h.at)).toEqual([10_003, 10_004, 10_005]);
  });

  it('hands out copies of the history', async () => {
    const recovery = createRecovery();
    recovery.register('server', { name: 'x', run: () => Promise.resolve(true) });
    await recovery.recover(failure('server'));
    recovery.history()[0]!.ok = false;
    recovery.history().length = 0;
    expect(recovery.history()).toEqual([expect.objectContaining({ ok: true })]);
  });

  it('reports lifetime runs, successes and a success rate per action', async () => {
    const recovery = createRecovery({ historyLimit: 1 });
    const answers = [true, false, true, true];
    recovery.register('auth', {
      name: 'refresh-token',
      run: () => Promise.resolve(answers.shift()!),
      cooldownMs: 0,
    });
    recovery.register('server', { name: 'never-run', run: () => Promise.resolve(true) });
    for (let i = 0; i < 4; i++) await recovery.recover(failure('auth'));
    expect(recovery.stats).toEqual({
      runs: 4,
      succeeded: 3,
      actions: {
        'refresh-token': { runs: 4, succeeded: 3, successRate: 0.75 },
        'never-run': { runs: 0, succeeded: 0, successRate: null },
      },
    });
  });

  it('keeps the stats of an unregistered action', async () => {
    const recovery = createRecovery();
    const unregister = recovery.register('auth', { name: 'r', run: () => Promise.resolve(false) });
    await recovery.recover(failure('auth'));
    unregister();
    expect(recovery.stats.actions.r).toEqual({ runs: 1, succeeded: 0, successRate: 0 });
  });

  it('emits one event per run with its outcome', async () => {
    const recovery = createRecovery();
    const seen: RecoveryEvent[] = [];
    recovery.events$.subscribe((e) => seen.push(e));
    const boom = new Error('boom');
    recovery.register('auth', { name: 'ok', run: () => Promise.resolve(true) });
    recovery.register('auth', { name: 'no', run: () => Promise.resolve(false) });
    recovery.register('auth', { name: 'bad', run: () => Promise.reject(boom) });
    await recovery.recover(failure('auth'));
    expect(seen.map((e) => [e.action, e.outcome, e.ok])).toEqual([
      ['ok', 'recovered', true],
      ['no', 'not-recovered', false],
      ['bad', 'threw', false],
    ]);
    expect(seen[2]).toMatchObject({ type: 'recovery-run', category: 'auth', error: boom });
    expect(seen[0]).not.toHaveProperty('error');
  });
});

describe('registration', () => {
  it('unregister stops the action from running and is idempotent', async () => {
    const recovery = createRecovery();
    const run = vi.fn(() => Promise.resolve(true));
    const unregister = recovery.register('auth', { name: 'x', run });
    unregister();
    unregister();
    await expect(recovery.recover(failure('auth'))).resolves.toBe(false);
    expect(run).not.toHaveBeenCalled();
  });

  it('refuses a second live action with the same name, and frees the name on unregister', () => {
    const recovery = createRecovery();
    const unregister = recovery.register('auth', { name: 'x', run: () => Promise.resolve(true) });
    expect(() => recovery.register('server', { name: 'x', run: () => Promise.resolve(true) })).toThrow(
      /register\(\): action field "name" "x" is already registered/,
    );
    unregister();
    expect(() => recovery.register('server', { name: 'x', run: () => Promise.resolve(true) })).not.toThrow();
  });

  it.each([
    ['nope', { name: 'x', run: recovered }, /register\(\): category must be one of "offline"/],
    ['auth', { name: '', run: recovered }, /register\(\): action field "name" must not be empty/],
    ['auth', { name: 'x' }, /register\(\): action field "run" must be a function/],
    ['auth', { name: 'x', run: recovered, cooldownMs: -1 }, /action field "cooldownMs" must be ≥ 0/],
    ['auth', { name: 'x', run: recovered, timeoutMs: 0 }, /action field "timeoutMs" must be > 0/],
    ['auth', { name: 'x', run: recovered, timeoutMs: 2 ** 31 }, /action field "timeoutMs" must be ≤/],
  ])('rejects register(%j, %j) with a TypeError naming the field', (category, action, message) => {
    const recovery = createRecovery();
    const call = () => recovery.register(category as FailureCategory, action as RecoveryAction);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it('rejects a recover call without a valid failure with a TypeError', async () => {
    const recovery = createRecovery();
    await expect(recovery.recover({ category: 'weird' } as unknown as Failure)).rejects.toThrow(
      /recover\(\): failure field "category" must be one of/,
    );
    await expect(recovery.recover(null as unknown as Failure)).rejects.toThrow(TypeError);
  });

  it.each([
    [{ historyLimit: 0 }, /createRecovery\(\): option "historyLimit" must be ≥ 1/],
    [{ historyLimit: 2.5 }, /option "historyLimit" must be an integer/],
    [{ clock: { now: () => 0 } }, /option "clock" must be a Clock/],
    [{ cooldownMs: 5 }, /unknown option "cooldownMs"/],
  ])('rejects option %j with a TypeError naming it', (options, message) => {
    expect(() => createRecovery(options as never)).toThrow(TypeError);
    expect(() => createRecovery(options as never)).toThrow(message);
  });
});

describe('dispose', () => {
  it('aborts running actions, settles their callers with false, and stops everything', async () => {
    const recovery = createRecovery();
    let signal!: AbortSignal;
    let completed = false;
    recovery.events$.subscribe({ complete: () => (completed = true) });
    const run = vi.fn((_: Failure, ctx: { signal: AbortSignal }) => {
      signal = ctx.signal;
      return new Promise<boolean>(() => {});
    });
    recovery.register('auth', { name: 'hangs', run, cooldownMs: 0 });
    const pending = recovery.recover(failure('auth'));
    expect(vi.getTimerCount()).toBe(1);
    recovery.dispose();
    await expect(pending).resolves.toBe(false);
    expect(signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(completed).toBe(true);
    await expect(recovery.recover(failure('auth'))).resolves.toBe(false);
    expect(run).toHaveBeenCalledTimes(1);
    recovery.register('auth', { name: 'late', run: () => Promise.resolve(true) });
    await expect(recovery.recover(failure('auth'))).resolves.toBe(false);
    recovery.dispose();
  });
});
