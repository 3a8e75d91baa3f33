import { act, render, renderHook } from '@testing-library/react';
import type { ExecutionContext, ProtectedResult } from '@bulletproof/core';
import { StrictMode, useEffect } from 'react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import { deferred } from '../../../core/src/test-support/deferred.js';
import { entry, fakeProtection } from '../test-utils/fake-protection.js';
import type { FakeProtection } from '../test-utils/fake-protection.js';
import { useBulletproof } from './useBulletproof.js';
import type { UseBulletproofOptions } from './useBulletproof.js';

function setup<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
  o?: UseBulletproofOptions<T> | ((...args: A) => UseBulletproofOptions<T>),
  protection: FakeProtection = fakeProtection(),
  strict = true,
) {
  const wrapper = ({ children }: { children: ReactNode }) => {
    const tree = <BulletproofProvider protection={protection}>{children}</BulletproofProvider>;
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
  const hook = renderHook(() => useBulletproof('save', fn, o), { wrapper });
  return { ...hook, protection };
}

describe('useBulletproof', () => {
  it('goes idle → running → succeeded and resolves run with the result', async () => {
    const gate = deferred<string>();
    const { result, protection } = setup((id: number) => gate.promise.then((v) => `${v}:${id}`));
    expect(result.current.state).toBe('idle');
    expect(result.current.result).toBeUndefined();

    let call!: Promise<ProtectedResult<string>>;
    act(() => {
      call = result.current.run(7);
    });
    expect(result.current.state).toBe('running');
    expect(protection.calls[0]?.name).toBe('save');

    await act(async () => {
      gate.resolve('saved');
      await call;
    });
    expect(await call).toEqual({ status: 'ok', value: 'saved:7' });
    expect(result.current.state).toBe('succeeded');
    expect(result.current.result).toEqual({ status: 'ok', value: 'saved:7' });
  });

  it.each([
    ['queued', { status: 'queued', entry: entry('e1') }],
    [
      'fallback',
      {
        status: 'fallback',
        value: 'cached',
        failure: { category: 'network', retryable: true, impact: 'medium', message: 'x', cause: null },
      },
    ],
    [
      'failed',
      {
        status: 'failed',
        failure: {
          category: 'server',
          retryable: true,
          impact: 'high',
          status: 500,
          message: 'x',
          cause: null,
        },
      },
    ],
  ] as const)('maps a %s result to its state', async (state, outcome) => {
    // The queued entry is still in the outbox: it stays `queued` until it leaves.
    const protection = fakeProtection({ outbox: [entry('e1')] });
    protection.protect = vi.fn(() => Promise.resolve(outcome)) as FakeProtection['protect'];
    const { result } = setup(() => Promise.resolve('x'), undefined, protection);
    await act(async () => {
      await result.current.run();
    });
    expect(result.current.state).toBe(state);
    expect(result.current.result).toEqual(outcome);
  });

  it.each([
    ['delivered by whoever drains', 'synced', 'delivered', () => []],
    [
      'refused by the server',
      'failed',
      'dead',
      () => [entry('e1', { state: 'dead', deadReason: 'rejected' })],
    ],
  ] as const)('follows a queued write to its end: %s → %s', async (_how, state, settled, remaining) => {
    const protection = fakeProtection({ outbox: [entry('e1')] });
    const queued: ProtectedResult<string> = { status: 'queued', entry: entry('e1') };
    protection.protect = vi.fn(() => Promise.resolve(queued));
    const { result } = setup(() => Promise.resolve('x'), undefined, protection);
    await act(async () => {
      await result.current.run();
    });
    expect(result.current.state).toBe('queued');
    // Another tab, a reloaded page or the service worker empties the shared store.
    await act(async () => {
      protection.outbox!.set([...remaining()]);
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(result.current.state).toBe(state);
    expect(result.current.settled).toBe(settled);
    expect(result.current.result).toEqual(queued);
  });

  it('with keepAll, says synced only once every queued write is delivered, not the first of them', async () => {
    const protection = fakeProtection({ outbox: [entry('e1'), entry('e2')] });
    let n = 0;
    protection.protect = vi.fn(() =>
      Promise.resolve({ status: 'queued' as const, entry: entry(`e${String(++n)}`) }),
    );
    const { result } = setup(() => Promise.resolve('x'), { keepAll: true }, protection);
    await act(async () => {
      await Promise.all([result.current.run(), result.current.run()]);
    });
    expect(result.current.state).toBe('queued');
    // The first write is delivered; the second still waits.
    await act(async () => {
      protection.outbox!.set([entry('e2')]);
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(result.current.state).toBe('queued');
    await act(async () => {
      protection.outbox!.set([]);
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(result.current.state).toBe('synced');
  });

  it('passes the options to protect, with its own abort signal', async () => {
    const { result, protection } = setup(() => Promise.resolve(1), {
      dependency: 'api',
      kind: 'write',
      offline: { type: 'note', payload: { a: 1 } },
      silent: true,
      keepAll: false,
    });
    await act(async () => {
      await result.current.run();
    });
    const options = protection.calls[0]!.options;
    expect(options).toMatchObject({
      dependency: 'api',
      kind: 'write',
      offline: { type: 'note' },
      silent: true,
    });
    expect(options.signal).toBeInstanceOf(AbortSignal);
    expect('keepAll' in options).toBe(false);
  });

  it('calls fn with the execution context as `this`, so it can pass the signal on', async () => {
    let seen: AbortSignal | undefined;
    const { result, protection } = setup(function (this: ExecutionContext, x: number) {
      seen = this.signal;
      return Promise.resolve(x * 2);
    });
    await act(async () => {
      expect(await result.current.run(21)).toEqual({ status: 'ok', value: 42 });
    });
    expect(seen).toBe(protection.calls[0]!.ctx.signal);
  });

  it('ignores the result of a call superseded by a newer one', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const gates = [first, second];
    const { result } = setup(() => gates.shift()!.promise);
    let p1!: Promise<ProtectedResult<string>>;
    let p2!: Promise<ProtectedResult<string>>;
    act(() => {
      p1 = result.current.run();
      p2 = result.current.run();
    });
    await act(async () => {
      second.resolve('new');
      await p2;
    });
    expect(result.current).toMatchObject({ state: 'succeeded', result: { value: 'new' } });
    await act(async () => {
      first.resolve('old');
      // The superseded call's own caller still gets its result.
      expect(await p1).toEqual({ status: 'ok', value: 'old' });
    });
    expect(result.current).toMatchObject({ state: 'succeeded', result: { value: 'new' } });
  });

  it('with keepAll, applies every result as it arrives and stays running while any call is in flight', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const gates = [first, second];
    const { result } = setup(() => gates.shift()!.promise, { keepAll: true });
    let p1!: Promise<unknown>;
    let p2!: Promise<unknown>;
    act(() => {
      p1 = result.current.run();
      p2 = result.current.run();
    });
    await act(async () => {
      second.resolve('b');
      await p2;
    });
    expect(result.current).toMatchObject({ state: 'running', result: { value: 'b' } });
    await act(async () => {
      first.resolve('a');
      await p1;
    });
    expect(result.current).toMatchObject({ state: 'succeeded', result: { value: 'a' } });
  });

  it('reset goes back to idle and drops results still in flight', async () => {
    const gate = deferred<string>();
    const { result } = setup(() => gate.promise);
    let call!: Promise<unknown>;
    act(() => {
      call = result.current.run();
    });
    act(() => {
      result.current.reset();
    });
    expect(result.current.state).toBe('idle');
    await act(async () => {
      gate.resolve('late');
      await call;
    });
    expect(result.current.state).toBe('idle');
    expect(result.current.result).toBeUndefined();
  });

  it('keeps run and reset stable across renders, and uses the newest fn', async () => {
    let suffix = 'a';
    const { result, rerender } = setup(() => Promise.resolve(suffix));
    const { run, reset } = result.current;
    suffix = 'b';
    rerender();
    expect(result.current.run).toBe(run);
    expect(result.current.reset).toBe(reset);
    await act(async () => {
      expect(await result.current.run()).toEqual({ status: 'ok', value: 'b' });
    });
  });

  it('aborts calls in flight on unmount and never updates state afterwards', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const gate = deferred<string>();
    const { result, unmount, protection } = setup(() => gate.promise);
    let call!: Promise<ProtectedResult<string>>;
    act(() => {
      call = result.current.run();
    });
    const signal = protection.calls[0]!.options.signal!;
    expect(signal.aborted).toBe(false);
    unmount();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('AbortError');
    gate.reject(signal.reason);
    await expect(call).resolves.toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('leaves calls running on unmount when abortOnUnmount is false', () => {
    const gate = deferred<string>();
    const { result, unmount, protection } = setup(() => gate.promise, { abortOnUnmount: false });
    act(() => {
      void result.current.run();
    });
    unmount();
    expect(protection.calls[0]!.options.signal!.aborted).toBe(false);
  });

  it('takes options as a function of the call’s arguments', async () => {
    const { result, protection } = setup(
      (note: { id: string }) => Promise.resolve(note.id),
      (note) => ({
        offline: { type: 'note.save', payload: note },
        abortOnUnmount: false,
      }),
    );
    await act(async () => {
      await result.current.run({ id: 'n1' });
      await result.current.run({ id: 'n2' });
    });
    expect(protection.calls.map((c) => c.options.offline?.payload)).toEqual([{ id: 'n1' }, { id: 'n2' }]);
    expect('abortOnUnmount' in protection.calls[0]!.options).toBe(false);
  });

  it('forwards an abort of the caller’s own signal', () => {
    const outer = new AbortController();
    const { result, protection } = setup(() => new Promise<string>(() => {}), { signal: outer.signal });
    act(() => {
      void result.current.run();
    });
    const inner = protection.calls[0]!.options.signal!;
    expect(inner).not.toBe(outer.signal);
    outer.abort('stop');
    expect(inner.aborted).toBe(true);
    expect(inner.reason).toBe('stop');
  });

  it('a call its caller cancels leaves no trace: state and result are what they were before it', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const gates = [first, second];
    const outer = new AbortController();
    const { result } = setup(() => gates.shift()!.promise, { signal: outer.signal });
    let call!: Promise<ProtectedResult<string>>;
    act(() => {
      call = result.current.run();
    });
    await act(async () => {
      first.resolve('one');
      await call;
    });
    expect(result.current).toMatchObject({ state: 'succeeded', result: { value: 'one' } });
    act(() => {
      call = result.current.run();
    });
    expect(result.current).toMatchObject({ state: 'running', result: { value: 'one' } });
    await act(async () => {
      outer.abort(new DOMException('stopped', 'AbortError'));
      second.reject(new DOMException('stopped', 'AbortError'));
      await call;
    });
    expect(await call).toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(result.current.state).toBe('succeeded');
    expect(result.current.result).toEqual({ status: 'ok', value: 'one' });
  });

  it('a first call its caller cancels goes back to idle', async () => {
    const outer = new AbortController();
    const { result } = setup(() => Promise.reject(new DOMException('stopped', 'AbortError')), {
      signal: outer.signal,
    });
    outer.abort(new DOMException('stopped', 'AbortError'));
    await act(async () => {
      expect(await result.current.run()).toMatchObject({ status: 'cancelled' });
    });
    expect(result.current.state).toBe('idle');
    expect(result.current.result).toBeUndefined();
  });

  it('a StrictMode double mount cancels the first call: no error state, no fallback, nothing posted', async () => {
    const protection = fakeProtection();
    const fallback = vi.fn(() => 'cached');
    const fn = vi.fn(
      (ctx?: unknown) =>
        new Promise<string>((resolve, reject) => {
          const { signal } = ctx as ExecutionContext;
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => reject(signal.reason as Error));
          setTimeout(() => resolve('fresh'), 0);
        }),
    );
    const states: string[] = [];
    function Loader() {
      const { run, state } = useBulletproof(
        'load',
        function (this: ExecutionContext) {
          return fn(this);
        },
        { fallback },
      );
      states.push(state);
      useStartOnMount(run);
      return <p>{state}</p>;
    }
    const { container } = render(
      <StrictMode>
        <BulletproofProvider protection={protection}>
          <Loader />
        </BulletproofProvider>
      </StrictMode>,
    );
    await act(async () => {
      await Promise.all(protection.calls.map((c) => c.outcome.catch(() => undefined)));
    });
    expect(protection.calls).toHaveLength(2);
    await expect(protection.calls[0]!.outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(fallback).not.toHaveBeenCalled();
    expect(states).not.toContain('failed');
    expect(states).not.toContain('fallback');
    expect(protection.messages.visible).toEqual({ banners: [], toasts: [] });
    expect(container.textContent).toBe('succeeded');
  });

  it('a call started from a mount effect survives StrictMode’s simulated unmount exactly once', async () => {
    const protection = fakeProtection();
    const fn = vi.fn((ctx?: unknown) => Promise.resolve(ctx));
    function Loader() {
      const { run, state } = useBulletproof('load', fn);
      // Started in an effect: StrictMode mounts, unmounts and mounts it again.
      useStartOnMount(run);
      return <p>{state}</p>;
    }
    const { container } = render(
      <StrictMode>
        <BulletproofProvider protection={protection}>
          <Loader />
        </BulletproofProvider>
      </StrictMode>,
    );
    await act(async () => {
      await Promise.all(protection.calls.map((c) => c.outcome.catch(() => undefined)));
    });
    expect(protection.calls.length).toBe(2);
    expect(protection.calls[0]!.options.signal!.aborted).toBe(true);
    expect(protection.calls[1]!.options.signal!.aborted).toBe(false);
    expect(container.textContent).toBe('succeeded');
  });

  it('rejects run and shows failed when protect itself throws (misuse)', async () => {
    const protection = fakeProtection();
    protection.protect = () => Promise.reject(new TypeError('protect: unknown dependency "nope"'));
    const { result } = setup(() => Promise.resolve(1), { dependency: 'nope' }, protection);
    await act(async () => {
      await expect(result.current.run()).rejects.toThrow(/unknown dependency/);
    });
    expect(result.current.state).toBe('failed');
    expect(result.current.result).toMatchObject({
      status: 'failed',
      failure: { message: expect.stringMatching(/unknown dependency/) },
    });
  });

  it('turns a synchronous throw of protect into a rejection of run', async () => {
    const protection = fakeProtection();
    protection.protect = () => {
      throw new TypeError('protect: this Protection was disposed');
    };
    const { result } = setup(() => Promise.resolve(1), undefined, protection);
    await act(async () => {
      await expect(result.current.run()).rejects.toThrow(/disposed/);
    });
    expect(result.current.state).toBe('failed');
  });

  it('keeps the previous result while a new call runs', async () => {
    const gates = [deferred<string>(), deferred<string>()];
    const [first, second] = gates;
    const { result } = setup(() => gates.shift()!.promise);
    let call!: Promise<unknown>;
    act(() => {
      call = result.current.run();
    });
    await act(async () => {
      first!.resolve('one');
      await call;
    });
    act(() => {
      call = result.current.run();
    });
    expect(result.current).toMatchObject({ state: 'running', result: { value: 'one' } });
    await act(async () => {
      second!.resolve('two');
      await call;
    });
    expect(result.current).toMatchObject({ state: 'succeeded', result: { value: 'two' } });
  });

  it('explains a missing provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => useBulletproof('x', () => Promise.resolve(1)))).toThrow(
      /useProtection needs a <BulletproofProvider/,
    );
    vi.restoreAllMocks();
  });
});

function useStartOnMount(run: () => Promise<unknown>) {
  useEffect(() => {
    void run();
  }, [run]);
}
