import { literal, object, optional } from '../check/schema.js';
import { type Clock, setTimer } from '../clock.js';
import { TimeoutError } from '../failure/errors.js';
import { NEVER_ABORTED, PolicyBase, rejected, runNext, type Call, type ChainLink } from './base.js';
import type { Operation, Policy } from './types.js';
import { clockSchema, parseOptions, positiveMsSchema } from '../validate.js';
import { DEV } from '../dev.js';

export interface TimeoutOptions {
  /**
   * `cooperative` (default): at the deadline `ctx.signal` is aborted and the call rejects with
   * `TimeoutError` once the operation settles. `aggressive`: the call rejects at the
   * deadline, and the operation, told through `ctx.signal`, is left to finish on its own.
   */
  mode?: 'cooperative' | 'aggressive';
  clock?: Clock;
}

const schema = () =>
  optional(
    object<TimeoutOptions>({
      mode: optional(literal('cooperative', 'aggressive')),
      clock: optional(clockSchema),
    }),
  );

const ignore = () => undefined;
const expired = (ms: number) => new TimeoutError(undefined, ms);

class TimeoutPolicy extends PolicyBase {
  readonly #ms: number;
  readonly #aggressive: boolean;

  constructor(ms: number, aggressive: boolean, clock: Clock | undefined) {
    super(clock);
    this.#ms = ms;
    this.#aggressive = aggressive;
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
    // Every path out goes through here: the timer and the listener never outlive the call.
    const cleanup = () => {
      clock.clearTimeout(handle);
      if (outer !== NEVER_ABORTED) outer.removeEventListener('abort', onOuterAbort);
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
      cleanup();
      return rejected(error);
    }

    const settled = inner.then(
      (value) => {
        cleanup();
        if (timedOut) throw expired(ms);
        return value;
      },
      (error: unknown) => {
        cleanup();
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
  return new TimeoutPolicy(ms, o?.mode === 'aggressive', o?.clock);
}
