import { custom, number, object, optional } from '../check/schema.js';
import { BulkheadRejectedError } from '../failure/errors.js';
import { ChainPolicy, NEVER_ABORTED, rejected, runNext, type Call, type ChainLink } from './base.js';
import type { Operation, Policy } from './types.js';
import { parseOptions } from '../validate.js';
import { DEV } from '../dev.js';
import { countOr } from '../sane.js';

/** Options of `bulkhead()`. */
export interface BulkheadOptions {
  /** How many calls run at once: an integer ≥ 1. */
  limit: number;
  /** How many calls may wait for a slot, first come first served: an integer ≥ 0 or `Infinity`. Default 0. */
  queue?: number;
}

/** A policy that runs at most `limit` calls at once (see `bulkhead()`); its `events$` reports refusals only. */
export interface Bulkhead extends Policy {
  /** Calls running now. */
  readonly active: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
  /** Free execution slots: `limit − active`. */
  readonly executionSlots: number;
  /** Free places in the queue: `queue − queued` (`Infinity` for an unbounded queue). */
  readonly queueSlots: number;
}

const schema = () =>
  object<BulkheadOptions>({
    limit: number({ int: true, gte: 1 }),
    queue: optional(
      custom<number>(
        (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0),
        'an integer ≥ 0 (or Infinity)',
      ),
    ),
  });

class BulkheadPolicy extends ChainPolicy implements Bulkhead {
  #active = 0;
  /**
   * Starters of the waiting calls, in arrival order (a Set keeps it and removes an aborted one
   * in O(1)). A starter returns false when its caller has aborted: the slot goes to the next.
   */
  readonly #waiting = new Set<() => boolean>();
  readonly #limit: number;
  readonly #queue: number;

  constructor(o: BulkheadOptions) {
    super();
    // Unchecked in the production build (see sane.ts): a limit that cannot be meant runs one
    // call at a time rather than refusing every call, or queueing them all for ever.
    this.#limit = countOr(o.limit, 1, 1, true);
    this.#queue = countOr(o.queue, 0, 0, true);
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.size;
  }

  get executionSlots(): number {
    return this.#limit - this.#active;
  }

  get queueSlots(): number {
    return this.#queue - this.#waiting.size;
  }

  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    if (this.#active < this.#limit) return this.#start(fn, signal, attempt, chain, index, call);
    if (signal.aborted) return rejected(signal.reason);
    if (this.#waiting.size >= this.#queue) {
      if (this.events.observed)
        this.events.next({ type: 'bulkhead-rejected', active: this.#active, queued: this.#waiting.size });
      return rejected(new BulkheadRejectedError(this.#limit, this.#queue));
    }
    return new Promise<T>((resolve, reject) => {
      // The abort listener runs as the caller aborts: the call leaves the queue before any
      // slot could start it.
      const onAbort = () => {
        this.#waiting.delete(start);
        reject(signal.reason as Error);
      };
      const start = () => {
        if (signal !== NEVER_ABORTED) signal.removeEventListener('abort', onAbort);
        if (signal.aborted) {
          reject(signal.reason as Error);
          return false;
        }
        this.#start(fn, signal, attempt, chain, index, call).then(resolve, reject);
        return true;
      };
      this.#waiting.add(start);
      if (signal !== NEVER_ABORTED) signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #start<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    this.#active++;
    let result: T | Promise<T>;
    try {
      result = runNext(fn, signal, attempt, chain, index + 1, call);
    } catch (error) {
      // Freed a turn later, like a rejection: freeing it here would start the next waiting
      // call inside this one, and a queue of calls that throw at once would nest as deep as it is long.
      result = rejected(error);
    }
    return Promise.resolve(result).then(this.#released, this.#releasedOnError);
  }

  // One pair of callbacks per bulkhead, not per call: a call's outcome only has to free its slot.
  readonly #released = <T>(value: T): T => {
    this.#release();
    return value;
  };

  readonly #releasedOnError = (error: unknown): never => {
    this.#release();
    throw error;
  };

  /** Frees a slot and hands it to the call that has waited longest. */
  #release(): void {
    this.#active--;
    for (const start of this.#waiting) {
      this.#waiting.delete(start);
      if (start()) return;
    }
  }
}

/**
 * Runs at most `limit` calls at once; up to `queue` more wait for a slot and start in
 * arrival order as slots free. A call beyond both is refused at once with
 * `BulkheadRejectedError` (category `bulkhead-full`, retryable: nothing was sent). Aborting
 * a waiting call's signal takes it out of the queue and rejects it with the signal's reason;
 * it never starts afterwards. Its `events$` reports refusals (`bulkhead-rejected`) only; a
 * call's outcome is reported by the pipeline around it.
 *
 * Do not call the same bulkhead from inside an operation it runs: the inner call needs a slot
 * the outer one holds until the inner call ends. When every slot is held so (always with
 * `limit: 1`) the inner call waits for ever, or is refused when the queue is full. Run the
 * inner work directly or through another bulkhead, and hand it `ctx.signal` so aborting the
 * outer call frees both.
 */
export function bulkhead(o: BulkheadOptions): Bulkhead {
  if (DEV) parseOptions(schema(), o, 'bulkhead()');
  return new BulkheadPolicy(o);
}
