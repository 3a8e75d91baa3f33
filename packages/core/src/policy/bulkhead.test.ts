import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BulkheadRejectedError } from '../failure/errors.js';
import { classifyFailure } from '../failure/classify.js';
import { createProtection } from '../protection/create-protection.js';
import { deferred, type Deferred } from '../test-support/deferred.js';
import { FakeWindow } from '../test-support/fake-window.js';
import { track } from '../test-support/track.js';
import { constantBackoff } from './backoff.js';
import { bulkhead } from './bulkhead.js';
import { pipeline } from './pipeline.js';
import { retry } from './retry.js';
import type { PolicyEvent } from './types.js';

/** Operations the test finishes by hand, in the order they started. */
function operations() {
  const started: { name: string; done: Deferred<string> }[] = [];
  const op = (name: string) => () => {
    const done = deferred<string>();
    started.push({ name, done });
    return done.promise;
  };
  const finish = (name: string) => started.find((s) => s.name === name)?.done.resolve(name);
  return { started, op, finish, names: () => started.map((s) => s.name) };
}

describe('bulkhead', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most `limit` calls at once', async () => {
    const b = bulkhead({ limit: 2, queue: Infinity });
    let running = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return 'ok';
    };
    const results = Promise.all(Array.from({ length: 7 }, () => b.execute(work)));
    await vi.runAllTimersAsync();
    await expect(results).resolves.toHaveLength(7);
    expect(most).toBe(2);
    expect(b.active).toBe(0);
  });

  it('starts waiting calls first come, first served, as slots free', async () => {
    const b = bulkhead({ limit: 1, queue: 3 });
    const { op, finish, names } = operations();
    const results = ['a', 'b', 'c', 'd'].map((name) => track(b.execute(op(name))));
    expect(names()).toEqual(['a']);
    for (const name of ['a', 'b', 'c']) {
      finish(name);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(names()).toEqual(['a', 'b', 'c', 'd']);
    finish('d');
    await vi.advanceTimersByTimeAsync(0);
    expect(results.map((r) => r.value)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a call beyond limit and queue with BulkheadRejectedError (bulkhead-full), without running it', async () => {
    const b = bulkhead({ limit: 1, queue: 1 });
    const events: PolicyEvent[] = [];
    b.events$.subscribe((e) => events.push(e));
    const { op } = operations();
    void b.execute(op('a'));
    void b.execute(op('b'));
    const fn = vi.fn(op('c'));
    const error = await b.execute(fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(error).toMatchObject({ name: 'BulkheadRejectedError', limit: 1, queue: 1 });
    expect(classifyFailure(error)).toMatchObject({
      category: 'bulkhead-full',
      retryable: true,
      impact: 'low',
    });
    expect(events).toContainEqual({ type: 'bulkhead-rejected', active: 1, queued: 1 });
  });

  it('with no queue (the default), refuses every call while the slots are taken', async () => {
    const b = bulkhead({ limit: 1 });
    const { op, finish } = operations();
    const first = track(b.execute(op('a')));
    await expect(b.execute(op('b'))).rejects.toBeInstanceOf(BulkheadRejectedError);
    finish('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(first.value).toBe('a');
    await expect(b.execute(() => 'c')).resolves.toBe('c');
  });

  it('reports its counts and free slots', async () => {
    const b = bulkhead({ limit: 2, queue: 2 });
    expect([b.active, b.queued, b.executionSlots, b.queueSlots]).toEqual([0, 0, 2, 2]);
    const { op, finish } = operations();
    for (const name of ['a', 'b', 'c']) void b.execute(op(name));
    expect([b.active, b.queued, b.executionSlots, b.queueSlots]).toEqual([2, 1, 0, 1]);
    finish('a');
    await vi.advanceTimersByTimeAsync(0);
    expect([b.active, b.queued, b.executionSlots, b.queueSlots]).toEqual([2, 0, 0, 2]);
    expect(bulkhead({ limit: 1, queue: Infinity }).queueSlots).toBe(Infinity);
  });

  it('takes an aborted waiting call out of the queue, rejects it with the reason, and never starts it', async () => {
    const b = bulkhead({ limit: 1, queue: 2 });
    const { op, finish, names } = operations();
    void b.execute(op('a'));
    const controller = new AbortController();
    const aborted = track(b.execute(op('b'), { signal: controller.signal }));
    const next = track(b.execute(op('c')));
    const reason = new Error('left the page');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(aborted).toEqual({ settled: true, error: reason });
    expect(b.queued).toBe(1);
    finish('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['a', 'c']);
    finish('c');
    await vi.advanceTimersByTimeAsync(0);
    expect(next.value).toBe('c');
    expect(b.active).toBe(0);
  });

  it('refuses to queue a call whose signal is already aborted', async () => {
    const b = bulkhead({ limit: 1, queue: 1 });
    const { op } = operations();
    void b.execute(op('a'));
    const reason = new Error('gone');
    const controller = new AbortController();
    const queued = track(b.execute(op('b'), { signal: controller.signal }));
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(queued.error).toBe(reason);
    expect(b.queued).toBe(0);
  });

  it('frees the slot when the operation throws synchronously, or rejects', async () => {
    const b = bulkhead({ limit: 1 });
    const bug = new Error('bug');
    await expect(
      b.execute(() => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(b.active).toBe(0);
    await expect(b.execute(() => Promise.reject(bug))).rejects.toBe(bug);
    await expect(b.execute(() => 'ok')).resolves.toBe('ok');
  });

  it('reports its refusals only: the outcome of a call is reported by the pipeline around it', async () => {
    const b = bulkhead({ limit: 1 });
    const own: PolicyEvent[] = [];
    b.events$.subscribe((e) => own.push(e));
    const api = pipeline(b);
    const piped: PolicyEvent[] = [];
    api.events$.subscribe((e) => piped.push(e));
    await b.execute(() => 'ok');
    await expect(b.execute(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const { op, finish } = operations();
    const held = b.execute(op('a'));
    await expect(api.execute(() => 'b')).rejects.toBeInstanceOf(BulkheadRejectedError);
    finish('a');
    await held;
    expect(own).toEqual([{ type: 'bulkhead-rejected', active: 1, queued: 0 }]);
    expect(piped.map((e) => e.type)).toEqual(['bulkhead-rejected', 'failure']);
  });

  describe('a call that needs the same bulkhead from inside its own slot', () => {
    it('with every slot held by its callers, waits for ever: its signal is the way out', async () => {
      const b = bulkhead({ limit: 1, queue: 1 });
      const controller = new AbortController();
      const outer = track(
        b.execute(({ signal }) => b.execute(() => 'inner', { signal }), { signal: controller.signal }),
      );
      await vi.advanceTimersByTimeAsync(60_000);
      expect(outer.settled).toBe(false);
      expect([b.active, b.queued]).toEqual([1, 1]);
      const reason = new Error('gave up');
      controller.abort(reason);
      await vi.advanceTimersByTimeAsync(0);
      // The operation handed its `ctx.signal` to the inner call: aborting the outer call takes
      // the inner one out of the queue, and the slot is freed.
      expect(outer.error).toBe(reason);
      expect([b.active, b.queued]).toEqual([0, 0]);
    });

    it('with no queue, is refused at once instead', async () => {
      const b = bulkhead({ limit: 1 });
      await expect(b.execute(() => b.execute(() => 'inner'))).rejects.toBeInstanceOf(BulkheadRejectedError);
      expect(b.active).toBe(0);
    });
  });

  it('in a pipeline behind retry: a refused call is retried later and succeeds once a slot frees', async () => {
    const b = bulkhead({ limit: 1 });
    const api = pipeline(retry({ maxAttempts: 3, backoff: constantBackoff(100) }), b);
    const { op, finish } = operations();
    const first = track(api.execute(op('a')));
    const second = track(api.execute(() => 'b'));
    await vi.advanceTimersByTimeAsync(50);
    finish('a');
    await vi.advanceTimersByTimeAsync(50);
    expect(first.value).toBe('a');
    expect(second.value).toBe('b');
  });

  it('serves as a dependency policy of createProtection', async () => {
    const api = bulkhead({ limit: 1 });
    const protection = createProtection({
      window: new FakeWindow(),
      outbox: false,
      dependencies: { api: { policy: api } },
    });
    const { op, finish } = operations();
    const first = protection.protect('load', op('a'), { dependency: 'api', silent: true });
    const refused = await protection.protect('load', op('b'), { dependency: 'api', silent: true });
    expect(refused).toMatchObject({ status: 'failed', failure: { category: 'bulkhead-full' } });
    finish('a');
    await expect(first).resolves.toMatchObject({ status: 'ok', value: 'a' });
    await protection.dispose();
  });

  it('checks its options in development', () => {
    expect(() => bulkhead({ limit: 0 })).toThrow(/bulkhead\(\): option "limit" must be ≥ 1/);
    expect(() => bulkhead({ limit: 1, queue: -1 })).toThrow(
      /option "queue" must be an integer ≥ 0 \(or Infinity\)/,
    );
    // A bulkhead measures no time: a clock would do nothing, so it is refused like any unknown option.
    expect(() => bulkhead({ limit: 1, clock: Date } as never)).toThrow(/unknown option "clock"/);
  });
});
