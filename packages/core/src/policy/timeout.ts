import { boolean, literal, object, optional } from '../check/schema.js';
import { type Clock, setTimer } from '../clock.js';
import { TimeoutError } from '../failure/errors.js';
import { NEVER_ABORTED, PolicyBase, rejected, runNext, type Call, type ChainLink } from './base.js';
import type { Operation, Policy } from './types.js';
import { clockSchema, parseOptions, positiveMsSchema } from '../validate.js';
import { DEV } from '../dev.js';

/** Options of `timeout`: what happens to the call and the operation at the deadline. */
export interface TimeoutOptions {
  /**
   * `cooperative` (default): at the deadline `ctx.signal` is aborted and the call rejects with
   * `TimeoutError` once the operation settles. `aggressive`: the call rejects at the
   * deadline, and the operation, told through `ctx.signal`, is left to finish on its own.
   */
  mode?: 'cooperative' | 'aggressive';
  /**
   * Abort `ctx.signal` as soon as the call returns, whether it succeeded or failed, so work the
   * operation left running (a request it raced, a stream it did not finish) is cancelled.
   * Default false. A `Response` returned with its body unread keeps its signal, since aborting
   * it would cut the body the caller is about to read: read the body inside the operation
   * when its leftovers must be cancelled too. Not for other values that keep using the signal
   * (a stream of your own, an object holding an unread `Response`).
   */
  abortOnReturn?: boolean;
  clock?: Clock;
}

const schema = () =>
  optional(
    object<TimeoutOptions>({
      mode: optional(literal('cooperative', 'aggressive')),
      abortOnReturn: optional(boolean),
      clock: optional(clockSchema),
    }),
  );

const ignore = () => undefined;

/** A `Response` whose body is still to be read: aborting its signal now would cut that body. */
const unreadBody = (value: unknown): boolean =>
  typeof Response === 'function' && value instanceof Response && value.body !== null && !value.bodyUsed;
const expired = (ms: number) => new TimeoutError(undefined, ms);

class TimeoutPolicy extends PolicyBase {
  readonly #ms: number;
  readonly #aggressive: boolean;
  readonly #abortOnReturn: boolean;

  constructor(ms: number, o: TimeoutOptions | undefined) {
    super(o?.clock);
    this.#ms = ms;
    this.#aggressive = o?.mode === 'aggressive';
    this.#abortOnReturn = o?.abortOnReturn === true;
  }

  run<T>(
    fn: Operation<T>,
    outer: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    const controller = new AbortController();
    const ms = this.#ms;
    const clock = this.clock;
    let timedOut = false;
    let rejectEarly: ((reason: unknown) => void) | undefined;
    const abortOnReturn = this.#abortOnReturn;
    // Every path out goes through here: the timer and the listener never outlive the call.
    // `returned`: the operation has returned (with `value`, when it resolved), and what it left
    // running is cancelled if asked.
    const cleanup = (returned?: boolean, value?: unknown) => {
      clock.clearTimeout(handle);
      if (outer !== NEVER_ABORTED) outer.removeEventListener('abort', onOuterAbort);
      if (returned && abortOnReturn && !unreadBody(value)) controller.abort();
    };
    // The caller's abort wins over the deadline: the operation is told why it stops.
    const onOuterAbort = () => {
      cleanup();
      controller.abort(outer.reason);
      rejectEarly?.(outer.reason);
    };
    const handle = setTimer(
      clock,
      () => {
        cleanup();
        timedOut = true;
        const error = expired(ms);
        controller.abort(error);
        if (this.events.observed) this.events.next({ type: 'timeout', afterMs: ms });
        rejectEarly?.(error);
      },
      ms,
    );
    if (outer !== NEVER_ABORTED) outer.addEventListener('abort', onOuterAbort, { once: true });

    let inner: Promise<T>;
    try {
      inner = Promise.resolve(runNext(fn, controller.signal, attempt, chain, index + 1, call));
    } catch (error) {
      cleanup(true);
      return rejected(error);
    }

    const settled = inner.then(
      (value) => {
        cleanup(true, value);
        if (timedOut) throw expired(ms);
        return value;
      },
      (error: unknown) => {
        cleanup(true);
        if (timedOut) throw expired(ms);
        throw error;
      },
    );
    if (!this.#aggressive) return settled;

    // Aggressive: whichever comes first, the operation settling or the deadline (or the
    // caller's abort). The losing operation's outcome is observed so it is never unhandled.
    settled.catch(ignore);
    return new Promise<T>((resolve, reject) => {
      rejectEarly = reject;
      settled.then(resolve, reject);
    });
  }
}

/**
 * Bounds how long the operation may take. The operation sees the deadline as
 * `ctx.signal` aborting with a `TimeoutError` reason; the call rejects with `TimeoutError`.
 * One timer per call, always cleared.
 */
export function timeout(ms: number, o?: TimeoutOptions): Policy {
  if (DEV) {
    parseOptions(positiveMsSchema, ms, 'timeout()', 'ms');
    parseOptions(schema(), o, 'timeout()');
  }
  return new TimeoutPolicy(ms, o);
}
