/**
 * The package's streams: the standard Observable shape (`subscribe` with a callback or
 * an observer, returning an `unsubscribe`-able subscription) plus the interop method
 * under `Symbol.observable` / `"@@observable"`, so `from(x)` in rxjs, and every library
 * that follows the Observable proposal, accepts any stream of this package as it is.
 * Operators are left to those libraries: the core itself needs none.
 */

declare global {
  interface SymbolConstructor {
    /** The Observable interop symbol, when a polyfill or the platform defines it. */
    readonly observable: symbol;
  }
}

/** What a subscriber may be told: each value, an error that ends the stream, or its end. */
export interface Observer<T> {
  /** A new value. */
  next(value: T): void;
  /** The stream failed and ends. The package's own streams never fail. */
  error(error: unknown): void;
  /** The stream ended (its owner was disposed): no value follows. */
  complete(): void;
}

/** One subscriber's connection to a stream. */
export interface Subscription {
  /** Stops the values and releases what the subscription held. Calling it again does nothing. */
  unsubscribe(): void;
  /** True once unsubscribed or once the stream ended. */
  readonly closed: boolean;
}

/**
 * A stream of values: every `…$` property of the package is one. Subscribe with a
 * callback or an observer; rxjs `from(stream)` (or any library that follows the
 * Observable proposal) adopts it as it is, for operators.
 */
export interface Observable<T> {
  /** Starts receiving values; a stream of the current value delivers it at once. */
  subscribe(observer?: Partial<Observer<T>> | ((value: T) => void) | null): Subscription;
  /** Observable interop: returns this stream (what rxjs `from()` looks for). */
  [Symbol.observable](): Observable<T>;
}

type Teardown = (() => void) | void;

// Where the interop method lives: the string key that rxjs and other libraries fall back
// to, and the standard symbol when it is defined. The symbol is looked up for each stream, so
// streams made after a `Symbol.observable` polyfill loads carry it too.
const INTEROP = '@@observable';

/** Rethrows a subscriber's error outside the delivery loop, so other subscribers still get the value. */
function report(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * A stream whose `subscribe` runs `start` for each subscriber; what `start` returns is
 * run when that subscriber unsubscribes or the stream completes.
 */
export function observable<T>(start: (observer: Observer<T>) => Teardown): Observable<T> {
  const self = (): Observable<T> => stream;
  const stream = {
    subscribe(target?: Partial<Observer<T>> | ((value: T) => void) | null): Subscription {
      const handlers = typeof target === 'function' ? { next: target } : (target ?? {});
      let closed = false;
      let teardown: Teardown;
      const close = () => {
        if (closed) return;
        closed = true;
        teardown?.();
      };
      const subscription: Subscription = {
        unsubscribe: close,
        get closed() {
          return closed;
        },
      };
      // A handler that throws is reported, never thrown into the producer: the other
      // subscribers still get the value, the end or the error, and the owner stays sound.
      // Called as a method of `handlers`: an observer such as an rxjs Subscriber needs its `this`.
      const call = (kind: keyof Observer<T>, value?: unknown) => {
        try {
          (handlers as Partial<Record<keyof Observer<T>, (value: unknown) => void>>)[kind]?.(value);
        } catch (error) {
          report(error);
        }
      };
      const cleanup = start({
        next: (value) => {
          if (!closed) call('next', value);
        },
        error: (error) => {
          if (closed) return;
          close();
          if (handlers.error) call('error', error);
          else report(error);
        },
        complete: () => {
          if (closed) return;
          close();
          call('complete');
        },
      });
      // The source may have completed while starting: its teardown must run at once.
      if (subscription.closed) cleanup?.();
      else teardown = cleanup;
      return subscription;
    },
    // Where `Symbol.observable` is not defined, both keys are the string one.
    [(typeof Symbol === 'function' ? Symbol.observable : undefined) ?? INTEROP]: self,
    [INTEROP]: self,
  } as unknown as Observable<T>;
  return stream;
}

/**
 * A multicast source: every `next` goes to every current subscriber. `observed` lets a
 * hot path skip building a value nobody would receive. The subscriber list is copied
 * on change, so a subscriber may unsubscribe (or subscribe another) during a delivery.
 */
export class Emitter<T> {
  protected observers: ReadonlyArray<Observer<T>> = [];
  private done = false;

  readonly observable: Observable<T> = observable((observer) => {
    if (this.done) {
      observer.complete();
      return;
    }
    this.observers = [...this.observers, observer];
    this.onSubscribe(observer);
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
    };
  });

  get observed(): boolean {
    return this.observers.length > 0;
  }

  /** Sends `value` to every current subscriber. */
  next(value: T): void {
    for (const observer of this.observers) observer.next(value);
  }

  /** Ends the stream: subscribers are told and let go, later subscribers complete at once. */
  complete(): void {
    if (this.done) return;
    this.done = true;
    const observers = this.observers;
    this.observers = [];
    for (const observer of observers) observer.complete();
  }

  /** Runs for each new subscriber, before any `next`: what a subclass sends first. */
  protected onSubscribe(_observer: Observer<T>): void {}
}

/** A current value and its changes: a new subscriber gets the current value first. */
export class ValueEmitter<T> extends Emitter<T> {
  constructor(private current: T) {
    super();
  }

  get value(): T {
    return this.current;
  }

  /** Counts `next` calls, so a delivery knows when a subscriber sent a newer value from inside it. */
  #sent = 0;

  /**
   * Makes `value` the current value and sends it to every subscriber. A subscriber that calls
   * `next` while `value` is being delivered has already sent the newer value to everyone:
   * `value` then goes no further, so no subscriber ends on a value that is no longer current.
   */
  override next(value: T): void {
    const sent = ++this.#sent;
    this.current = value;
    for (const observer of this.observers) {
      if (sent !== this.#sent) return;
      observer.next(value);
    }
  }

  /** Gives a new subscriber the current value. */
  protected override onSubscribe(observer: Observer<T>): void {
    observer.next(this.current);
  }
}
