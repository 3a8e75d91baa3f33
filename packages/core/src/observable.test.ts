import { describe, expect, it, vi } from 'vitest';
import { firstValueFrom, from, filter } from 'rxjs';
import { Emitter, ValueEmitter, observable } from './observable.js';

describe('observable()', () => {
  it('accepts a callback or an observer and stops delivering once unsubscribed', () => {
    const seen: number[] = [];
    let emit: (v: number) => void = () => {};
    const stop = vi.fn();
    const stream = observable<number>((o) => {
      emit = (v) => o.next(v);
      return stop;
    });
    const sub = stream.subscribe((v) => seen.push(v));
    emit(1);
    sub.unsubscribe();
    emit(2);
    expect(seen).toEqual([1]);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(sub.closed).toBe(true);
    sub.unsubscribe();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('runs the teardown at once when the source completes while starting', () => {
    const stop = vi.fn();
    const complete = vi.fn();
    const sub = observable<number>((o) => {
      o.next(1);
      o.complete();
      return stop;
    }).subscribe({ complete });
    expect(complete).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(sub.closed).toBe(true);
  });

  it('is accepted by rxjs from() through the interop method', async () => {
    const emitter = new Emitter<number>();
    const even = firstValueFrom(from(emitter.observable).pipe(filter((v) => v % 2 === 0)));
    emitter.next(1);
    emitter.next(4);
    await expect(even).resolves.toBe(4);
    expect(emitter.observed).toBe(false);
  });

  it('carries the interop symbol when a Symbol.observable polyfill loaded after this module', () => {
    const symbol = Symbol('observable');
    Object.defineProperty(Symbol, 'observable', { value: symbol, configurable: true });
    try {
      const stream = new Emitter<number>().observable as unknown as Record<symbol | string, () => unknown>;
      expect(stream[symbol]?.()).toBe(stream);
      expect(stream['@@observable']?.()).toBe(stream);
    } finally {
      Reflect.deleteProperty(Symbol, 'observable');
    }
  });

  it('keeps delivering to other subscribers when one throws, and reports the error', async () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const reported = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      vi.spyOn(globalThis, 'queueMicrotask').mockImplementationOnce((task) => {
        original(() => {
          try {
            task();
          } catch (error) {
            resolve(error);
          }
        });
      });
    });
    emitter.observable.subscribe(() => {
      throw new Error('listener broke');
    });
    emitter.observable.subscribe((v) => seen.push(v));
    emitter.next(7);
    expect(seen).toEqual([7]);
    await expect(reported).resolves.toMatchObject({ message: 'listener broke' });
    vi.restoreAllMocks();
  });
});

describe('Emitter', () => {
  it('multicasts to current subscribers and reports whether anyone listens', () => {
    const emitter = new Emitter<number>();
    expect(emitter.observed).toBe(false);
    const a: number[] = [];
    const b: number[] = [];
    const subA = emitter.observable.subscribe((v) => a.push(v));
    emitter.next(1);
    const subB = emitter.observable.subscribe((v) => b.push(v));
    emitter.next(2);
    subA.unsubscribe();
    emitter.next(3);
    subB.unsubscribe();
    emitter.next(4);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([2, 3]);
    expect(emitter.observed).toBe(false);
  });

  it('lets a listener unsubscribe itself while an event is delivered', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const first = emitter.observable.subscribe((v) => {
      seen.push(`first ${v}`);
      first.unsubscribe();
    });
    emitter.observable.subscribe((v) => seen.push(`second ${v}`));
    emitter.next(1);
    emitter.next(2);
    expect(seen).toEqual(['first 1', 'second 1', 'second 2']);
  });

  it('lets a subscriber unsubscribe during a delivery without skipping the others', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    const first = emitter.observable.subscribe(() => first.unsubscribe());
    emitter.observable.subscribe((v) => seen.push(v));
    emitter.next('a');
    emitter.next('b');
    expect(seen).toEqual(['a', 'b']);
  });

  it('completes current and later subscribers once complete() was called', () => {
    const emitter = new Emitter<string>();
    const early = vi.fn();
    const late = vi.fn();
    emitter.observable.subscribe({ complete: early });
    emitter.complete();
    emitter.observable.subscribe({ complete: late });
    expect(early).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
    expect(emitter.observed).toBe(false);
  });
});

describe('ValueEmitter', () => {
  it('gives a new subscriber the current value first, then the changes', () => {
    const state = new ValueEmitter('idle');
    const seen: string[] = [];
    state.next('busy');
    state.observable.subscribe((v) => seen.push(v));
    state.next('done');
    expect(seen).toEqual(['busy', 'done']);
    expect(state.value).toBe('done');
  });
});
