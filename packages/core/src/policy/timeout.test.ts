import { Emitter } from '../observable.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../failure/errors.js';
import { timeout } from './timeout.js';
import type { ExecutionContext, PolicyEvent } from './types.js';
import { track } from '../test-support/track.js';

/** An operation that honours its signal: it rejects with the signal's reason when aborted. */
function cooperative(ms: number) {
  return (ctx: ExecutionContext) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => resolve('done'), ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason as Error);
      });
    });
}

describe('timeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('passes a result through and clears its timer', async () => {
    const result = track(timeout(1_000).execute(cooperative(10)));
    await vi.advanceTimersByTimeAsync(10);
    expect(result.value).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer when the operation fails, synchronously or not', async () => {
    const error = new Error('boom');
    await expect(
      timeout(1_000).execute(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    await expect(timeout(1_000).execute(() => Promise.reject(error))).rejects.toBe(error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cooperative: aborts ctx.signal at the deadline with a TimeoutError and rejects with TimeoutError', async () => {
    let signal: AbortSignal | undefined;
    const events: PolicyEvent[] = [];
    const policy = timeout(100);
    policy.events$.subscribe((e) => events.push(e));
    const result = track(
      policy.execute((ctx) => {
        signal = ctx.signal;
        return cooperative(1_000)(ctx);
      }),
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect((result.error as TimeoutError).afterMs).toBe(100);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);
    expect(events[0]).toEqual({ type: 'timeout', afterMs: 100 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cooperative: waits for an operation that ignores the signal, then still rejects with TimeoutError', async () => {
    const result = track(
      timeout(100).execute(() => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 500))),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(result.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    expect(result.error).toBeInstanceOf(TimeoutError);
  });

  it('aggressive: rejects at the deadline even if the operation never settles', async () => {
    let signal: AbortSignal | undefined;
    const result = track(
      timeout(100, { mode: 'aggressive' }).execute((ctx) => {
        signal = ctx.signal;
        return new Promise<never>(() => undefined);
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aggressive: a late rejection of the abandoned operation is not unhandled', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const result = track(
        timeout(100, { mode: 'aggressive' }).execute(
          () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('late')), 300)),
        ),
      );
      await vi.advanceTimersByTimeAsync(400);
      expect(result.error).toBeInstanceOf(TimeoutError);
      await new Promise((resolve) => process.nextTick(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('aggressive: a result before the deadline wins', async () => {
    const result = track(timeout(100, { mode: 'aggressive' }).execute(cooperative(50)));
    await vi.advanceTimersByTimeAsync(50);
    expect(result.value).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("forwards the caller's abort to ctx.signal, stops the timer and drops its listener", async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const result = track(timeout(1_000).execute(cooperative(5_000), { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe('stop');
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("aggressive: the caller's abort rejects at once, even if the operation ignores it", async () => {
    const controller = new AbortController();
    const result = track(
      timeout(1_000, { mode: 'aggressive' }).execute(() => new Promise<never>(() => undefined), {
        signal: controller.signal,
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toBe('stop');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('removes its listener from a long-lived caller signal after every call', async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const policy = timeout(1_000);
    for (let i = 0; i < 5; i++) await policy.execute(() => i, { signal: controller.signal });
    expect(add).toHaveBeenCalledTimes(5);
    expect(remove).toHaveBeenCalledTimes(5);
  });

  it('abortOnReturn: aborts ctx.signal once the call returns, success or failure, cancelling leftover work', async () => {
    for (const outcome of ['ok', 'fail'] as const) {
      let signal: AbortSignal | undefined;
      const leftover = vi.fn();
      const call = timeout(1_000, { abortOnReturn: true }).execute((ctx) => {
        signal = ctx.signal;
        ctx.signal.addEventListener('abort', leftover);
        return outcome === 'ok' ? 'done' : Promise.reject(new Error('boom'));
      });
      await call.catch(() => undefined);
      expect(signal?.aborted).toBe(true);
      expect(leftover).toHaveBeenCalledTimes(1);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('abortOnReturn: a synchronous throw aborts too; without it the signal is left alone', async () => {
    let signal: AbortSignal | undefined;
    await timeout(1_000, { abortOnReturn: true })
      .execute((ctx) => {
        signal = ctx.signal;
        throw new Error('bug');
      })
      .catch(() => undefined);
    expect(signal?.aborted).toBe(true);
    await timeout(1_000).execute((ctx) => {
      signal = ctx.signal;
      return 'done';
    });
    expect(signal?.aborted).toBe(false);
  });

  it('abortOnReturn: at the deadline the reason stays the TimeoutError', async () => {
    let signal: AbortSignal | undefined;
    const result = track(
      timeout(100, { abortOnReturn: true }).execute((ctx) => {
        signal = ctx.signal;
        return cooperative(1_000)(ctx);
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);
  });

  describe('abortOnReturn with a streamed Response', () => {
    /** A body that arrives in `chunks` parts, one per read, cut when `signal` aborts (as fetch's is). */
    function streamed(signal: AbortSignal, chunks: number): Response {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          signal.addEventListener('abort', () => controller.error(signal.reason));
        },
        pull(controller) {
          if (sent === chunks) controller.close();
          else controller.enqueue(new TextEncoder().encode(`part ${++sent};`));
        },
      });
      return new Response(body);
    }

    it('leaves the signal of a Response returned with its body unread: the caller reads all of it', async () => {
      let signal: AbortSignal | undefined;
      const response = await timeout(1_000, { abortOnReturn: true }).execute((ctx) => {
        signal = ctx.signal;
        return streamed(ctx.signal, 3);
      });
      expect(signal?.aborted).toBe(false);
      await expect(response.text()).resolves.toBe('part 1;part 2;part 3;');
      expect(vi.getTimerCount()).toBe(0);
    });

    it('aborts once a body read inside the operation is done, cancelling what else it left running', async () => {
      let signal: AbortSignal | undefined;
      const leftover = vi.fn();
      const text = await timeout(1_000, { abortOnReturn: true }).execute(async (ctx) => {
        signal = ctx.signal;
        ctx.signal.addEventListener('abort', leftover);
        const response = streamed(ctx.signal, 2);
        await response.text();
        return response;
      });
      expect(text.bodyUsed).toBe(true);
      expect(signal?.aborted).toBe(true);
      expect(leftover).toHaveBeenCalledTimes(1);
    });
  });

  it('builds no event objects while nobody listens', async () => {
    const next = vi.spyOn(Emitter.prototype, 'next');
    const result = track(timeout(10).execute(cooperative(100)));
    await vi.advanceTimersByTimeAsync(100);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(next).not.toHaveBeenCalled();
  });

  it('validates its arguments, naming them', () => {
    expect(() => timeout(0)).toThrow(TypeError);
    expect(() => timeout(-5)).toThrow(/timeout\(\): ms must be > 0 \(received -5\)/);
    expect(() => timeout(Number.NaN)).toThrow(TypeError);
    expect(() => timeout(10, { mode: 'eager' as 'aggressive' })).toThrow(/"mode"/);
  });
});
