import { boolean, custom, fn, object, optional } from '../check/schema.js';
import type { Clock } from '../clock.js';
import { isAmbiguous, isKeyInProgress } from '../failure/ambiguous.js';
import { classifyFailure } from '../failure/classify.js';
import type { Failure } from '../failure/types.js';
import { backoffSchema, exponentialBackoff } from './backoff.js';
import { PolicyBase, runNext, sleep, type Call, type ChainLink } from './base.js';
import type { Backoff, Operation, Policy, RetryBudget } from './types.js';
import { clockSchema, hasMethods, msSchema, parseOptions } from '../validate.js';
import { DEV } from '../dev.js';
import { countOr } from '../sane.js';
import { failureIn } from './failure-in.js';

/** Options of `retry`: how many attempts, how long to wait between them and which failures to retry. */
export interface RetryOptions {
  /** Total attempts, the first included. Default 3; `Infinity` retries until something else stops it. */
  maxAttempts?: number;
  /** Wait between attempts. Default `exponentialBackoff()`. */
  backoff?: Backoff;
  /** Which failures to retry. Default: `f.retryable`. */
  retryIf?: (f: Failure, attempt: number) => boolean;
  /** Wait at least the server's `Retry-After` (capped by `maxRetryAfterMs`). Default true. */
  respectRetryAfter?: boolean;
  /** Cap on a `Retry-After` wait. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Give up rather than start a wait that would end past this much time since the first attempt. */
  maxElapsedMs?: number;
  /** Share of traffic retries may add; `false` (default) for none. */
  budget?: RetryBudget | false;
  /**
   * Says which returned values are failures: given what an attempt resolved with, it returns an
   * error describing the failure (e.g. `failedResponse`: a `Response` that is not ok → an
   * `HttpError`), or `undefined`/`null` for a success; `true`/`false` are accepted too (`true`:
   * the value is its own error). Such a value is retried like that error
   * thrown (classified, so a `Retry-After` is honoured); when retry gives up, it RESOLVES with
   * the last value, since the caller asked for values.
   */
  failureOf?: (value: unknown) => unknown;
  clock?: Clock;
}

const schema = () =>
  optional(
    object<RetryOptions>({
      maxAttempts: optional(
        custom<number>(
          (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 1),
          'an integer ≥ 1 (or Infinity)',
        ),
      ),
      backoff: optional(backoffSchema),
      retryIf: optional(fn<(f: Failure, attempt: number) => boolean>()),
      respectRetryAfter: optional(boolean),
      maxRetryAfterMs: optional(msSchema),
      maxElapsedMs: optional(msSchema),
      budget: optional(
        custom<RetryBudget | false>(
          (v) => v === false || hasMethods(v, 'tryRetry', 'recordRequest'),
          'false or a RetryBudget (see retryBudget())',
        ),
      ),
      failureOf: optional(fn<(value: unknown) => unknown>()),
      clock: optional(clockSchema),
    }),
  );

const defaultRetryIf = (f: Failure) => f.retryable;

/** A value an attempt resolved with that `failureOf` called a failure (boxed: the value may be anything). */
interface Failed<T> {
  value: T;
}

class RetryPolicy extends PolicyBase {
  readonly #maxAttempts: number;
  readonly #backoff: Backoff;
  readonly #retryIf: (f: Failure, attempt: number) => boolean;
  readonly #respectRetryAfter: boolean;
  readonly #maxRetryAfterMs: number;
  readonly #maxElapsedMs: number | undefined;
  readonly #budget: RetryBudget | undefined;
  readonly #failureOf: ((value: unknown) => unknown) | undefined;

  constructor(o: RetryOptions | undefined) {
    super(o?.clock);
    this.#maxAttempts = countOr(o?.maxAttempts, 3, 1, true);
    this.#backoff = o?.backoff ?? exponentialBackoff();
    this.#retryIf = o?.retryIf ?? defaultRetryIf;
    this.#respectRetryAfter = o?.respectRetryAfter ?? true;
    this.#maxRetryAfterMs = o?.maxRetryAfterMs ?? 60_000;
    this.#maxElapsedMs = o?.maxElapsedMs;
    this.#budget = o?.budget === false ? undefined : o?.budget;
    this.#failureOf = o?.failureOf;
  }

  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    _attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    this.#budget?.recordRequest();
    const startedAt = this.#maxElapsedMs === undefined ? 0 : this.clock.now();
    // The first attempt is the common case and most often succeeds: it costs one `then`,
    // and only a failure enters the retry loop.
    let first: T | Promise<T>;
    try {
      first = runNext(fn, signal, 1, chain, index + 1, call);
    } catch (error) {
      return this.#retryAfterFailure(error, undefined, fn, signal, chain, index, call, startedAt);
    }
    if (this.#failureOf !== undefined)
      return this.#judgeFirst(first, this.#failureOf, fn, signal, chain, index, call, startedAt);
    return Promise.resolve(first).then(undefined, (error: unknown) =>
      this.#retryAfterFailure(error, undefined, fn, signal, chain, index, call, startedAt),
    );
  }

  /** Attempt 1 with `failureOf`: a value it calls a failure is retried like an error. */
  async #judgeFirst<T>(
    first: T | Promise<T>,
    failureOf: (value: unknown) => unknown,
    fn: Operation<T>,
    signal: AbortSignal,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
    startedAt: number,
  ): Promise<T> {
    let value: T;
    try {
      value = await first;
    } catch (error) {
      return this.#retryAfterFailure(error, undefined, fn, signal, chain, index, call, startedAt);
    }
    const error = failureIn(failureOf, value);
    if (error == null) return value;
    return this.#retryAfterFailure(error, { value }, fn, signal, chain, index, call, startedAt);
  }

  /** Handles the failure of attempt 1 and runs the further attempts. */
  async #retryAfterFailure<T>(
    firstError: unknown,
    firstValue: Failed<T> | undefined,
    fn: Operation<T>,
    signal: AbortSignal,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
    startedAt: number,
  ): Promise<T> {
    let error = firstError;
    // Set when the last attempt resolved with a value `failureOf` called a failure.
    let failed = firstValue;
    let previousDelayMs: number | undefined;
    // The last attempt's outcome, handed to the caller when retrying stops.
    const outcome = (): T => {
      if (failed) return failed.value;
      throw error;
    };
    for (let attempt = 1; ; attempt++) {
      // The caller gave up: stop at once and report what the operation said.
      if (signal.aborted) return outcome();
      let failure = classifyFailure(error);
      // A repeat whose key the server is still processing (409) is a write under way: wait and ask again.
      if (isKeyInProgress(failure, attempt > 1 && call.safeToRepeat))
        failure = { ...failure, retryable: true };
      // An abort is someone giving up, never a fault to retry; a write that is not idempotent
      // and did not send its key may already be applied when the outcome is ambiguous.
      const delayMs =
        failure.category === 'aborted' || (isAmbiguous(failure) && !call.safeToRepeat)
          ? -1
          : this.#delayBeforeRetry(failure, attempt, previousDelayMs, startedAt);
      if (delayMs < 0) {
        if (this.events.observed) this.events.next({ type: 'give-up', attempts: attempt, failure });
        return outcome();
      }
      if (this.events.observed) this.events.next({ type: 'retry', attempt, delayMs, failure });
      await sleep(delayMs, signal, this.clock);
      previousDelayMs = delayMs;
      let value: T;
      try {
        value = await runNext(fn, signal, attempt + 1, chain, index + 1, call);
      } catch (next) {
        error = next;
        failed = undefined;
        continue;
      }
      error = this.#failureOf && failureIn(this.#failureOf, value);
      if (error == null) return value;
      failed = { value };
    }
  }

  /** The wait before the next attempt, or −1 to give up. Takes from the budget only for a retry that will happen. */
  #delayBeforeRetry(
    failure: Failure,
    attempt: number,
    previousDelayMs: number | undefined,
    startedAt: number,
  ): number {
    if (attempt >= this.#maxAttempts || !this.#retryIf(failure, attempt)) return -1;
    let delayMs = this.#backoff.delay(attempt, previousDelayMs);
    if (!(delayMs >= 0)) delayMs = 0;
    if (this.#respectRetryAfter && failure.retryAfterMs !== undefined) {
      delayMs = Math.max(delayMs, Math.min(failure.retryAfterMs, this.#maxRetryAfterMs));
    }
    if (this.#maxElapsedMs !== undefined && this.clock.now() - startedAt + delayMs > this.#maxElapsedMs)
      return -1;
    if (this.#budget && !this.#budget.tryRetry()) return -1;
    return delayMs;
  }
}

/**
 * Runs the operation again when it fails with a retryable failure, waiting `backoff`
 * between attempts (at least the server's `Retry-After`). Aborting the caller's signal ends
 * a wait at once and rejects with the abort reason. When it gives up, it settles as the last
 * attempt did: it rejects with its error, or resolves with the value `failureOf` called a failure.
 */
export function retry(o?: RetryOptions): Policy {
  if (DEV) parseOptions(schema(), o, 'retry()');
  return new RetryPolicy(o);
}
