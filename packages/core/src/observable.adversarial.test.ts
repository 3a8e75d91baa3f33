import { firstValueFrom, from, Subject, take, takeUntil, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter, observable, ValueEmitter } from './observable.js';

/** Subscribers that misbehave on purpose, and rxjs operators driving the streams. */
describe('streams under hostile subscribers', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Errors a subscriber throws are rethrown in a microtask: collect them instead of failing the run. */
  const reported = (): unknown[] => {
    const errors: unknown[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => {
      try {
        task();
      } catch (error) {
        errors.push(error);
      }
    });
    return errors;
  };

  it('completes every subscriber, and the owner, when one throws on complete', () => {
    const errors = reported();
    const emitter = new Emitter<number>();
    const later = vi.fn();
    emitter.observable.subscribe({
      complete: () => {
        throw new Error('complete handler');
      },
    });
    emitter.observable.subscribe({ complete: later });
    expect(() => emitter.complete()).not.toThrow();
    expect(later).toHaveBeenCalledOnce();
    expect(errors).toEqual([new Error('complete handler')]);
  });

  it('reports an error handler that throws, without throwing into the producer', () => {
    const errors = reported();
    let fail!: (error: unknown) => void;
    // Through the bare observable(): the only producer that calls `error`.
    const stream = observable<number>((observer) => {
      fail = (error) => observer.error(error);
    });
    stream.subscribe({
      error: () => {
        throw new Error('error handler');
      },
    });
    expect(() => fail(new Error('source'))).not.toThrow();
    expect(errors).toEqual([new Error('error handler')]);
  });

  it('gives every subscriber the latest value last when a subscriber calls next() while one is delivered', () => {
    const emitter = new ValueEmitter(0);
    const seen: number[] = [];
    emitter.observable.subscribe((v) => {
      if (v === 1) emitter.next(2);
    });
    emitter.observable.subscribe((v) => seen.push(v));
    emitter.next(1);
    expect(emitter.value).toBe(2);
    // The second subscriber must end on the current value, not on the one it interrupted.
    expect(seen.at(-1)).toBe(2);
  });

  it('delivers in order to a subscriber that calls next() during the initial replay', () => {
    const emitter = new ValueEmitter(0);
    const seen: number[] = [];
    emitter.observable.subscribe((v) => {
      seen.push(v);
      if (v === 0) emitter.next(1);
    });
    expect(seen).toEqual([0, 1]);
    expect(emitter.value).toBe(1);
  });

  it('skips a subscriber unsubscribed by another during a delivery', () => {
    const emitter = new Emitter<number>();
    const second = vi.fn();
    emitter.observable.subscribe(() => subscription.unsubscribe());
    const subscription = emitter.observable.subscribe(second);
    emitter.next(1);
    expect(second).not.toHaveBeenCalled();
    expect(emitter.observed).toBe(true);
  });

  it('completes at once a subscriber added from a complete handler', () => {
    const emitter = new Emitter<number>();
    const late = vi.fn();
    emitter.observable.subscribe({ complete: () => emitter.observable.subscribe({ complete: late }) });
    emitter.complete();
    expect(late).toHaveBeenCalledOnce();
    expect(emitter.observed).toBe(false);
  });

  it('lets go of every subscriber after complete and after unsubscribe', () => {
    const emitter = new ValueEmitter(0);
    const a = emitter.observable.subscribe(() => {});
    emitter.observable.subscribe(() => {});
    a.unsubscribe();
    a.unsubscribe();
    expect(emitter.observed).toBe(true);
    emitter.complete();
    expect(emitter.observed).toBe(false);
    expect(emitter.observable.subscribe(() => {}).closed).toBe(true);
  });

  it('works with rxjs from(), firstValueFrom, take and takeUntil', async () => {
    const emitter = new ValueEmitter(1);
    await expect(firstValueFrom(from(emitter.observable))).resolves.toBe(1);
    // take(1) ends during the synchronous replay: the subscription must still be released.
    from(emitter.observable).pipe(take(1)).subscribe();
    expect(emitter.observed).toBe(false);

    const stop = new Subject<void>();
    const values: number[] = [];
    from(emitter.observable)
      .pipe(takeUntil(stop))
      .subscribe((v) => values.push(v));
    emitter.next(2);
    stop.next();
    emitter.next(3);
    expect(values).toEqual([1, 2]);
    expect(emitter.observed).toBe(false);

    const all = firstValueFrom(from(emitter.observable).pipe(toArray()));
    emitter.next(4);
    emitter.complete();
    await expect(all).resolves.toEqual([3, 4]);
  });
});
