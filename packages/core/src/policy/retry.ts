import { boolean, custom, fn, object, optional } from '../check/schema.js';
import { systemClock, type Clock } from '../clock.js';
import { isAmbiguous, isKeyInProgress } from '../failure/ambiguous.js';
import { classifyFailure } from '../failure/classify.js';
import type { Failure } from '../failure/types.js';
import { backoff as backoffs, backoffSchema } from './backoff.js';
import { asPolicy, runNext, sleep, type Call, type Link } from './base.js';
import { Emitter } from '../observable.js';
import type { Backoff, Operation, Policy, PolicyEvent, RetryBudget } from './types.js';
import { clockSchema, hasMethods, msSchema, parseOptions } from '../validate.js';
import { DEV } from '../dev.js';

export interface RetryOptions {
  /** Total attempts, the first included. Default 3; `Infinity` retries until something else stops it. */
  maxAttempts?: number;
  /** Wait between attempts. Default `backoff.exponential()`. */
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
      clock: optional(clockSchema),
    }),
  );

const defaultRetryIf = (f: Failure) => f.retryable;

/**
 * Runs the operation again when it fails with a retryable failure, waiting `backoff`
 * between attempts (at least the server's `Retry-After`). Aborting the caller's signal ends
 * a wait at once and rejects with the abort reason. When it gives up, it rejects with the
 * last attempt's error.
 */
export function retry(o?: RetryOptions): Policy {
  if (DEV) parseOptions(schema(), o, 'retry()');
  const {
    maxAttempts = 3,
    backoff = backoffs.exponential(),
    retryIf = defaultRetryIf,
    respectRetryAfter = true,
    maxRetryAfterMs = 60_000,
    maxElapsedMs,
    budget,
    clock = systemClock,
  } = o ?? {};
  const events = new Emitter<PolicyEvent>();

  /** The wait before the next attempt, or −1 to give up. Takes from the budget only for a retry that will happen. */
  const delayBeforeRetry = (
    failure: Failure,
    attempt: number,
    previousDelayMs: number | undefined,
    startedAt: number,
  ): number => {
    if (attempt >= maxAttempts || !retryIf(failure, attempt)) return -1;
    let delayMs = backoff.delay(attempt, previousDelayMs);
    if (!(delayMs >= 0)) delayMs = 0;
    if (respectRetryAfter && failure.retryAfterMs !== undefined) {
      delayMs = Math.max(delayMs, Math.min(failure.retryAfterMs, maxRetryAfterMs));
    }
    if (maxElapsedMs !== undefined && clock.now() - startedAt + delayMs > maxElapsedMs) return -1;
    if (budget && !budget.tryRetry()) return -1;
    return delayMs;
  };

  /** Handles the failure of attempt 1 and runs the further attempts. */
  const retryAfterFailure = async <T>(
    firstError: unknown,
    fn: Operation<T>,
    signal: AbortSignal,
    chain: readonly Link[],
    index: number,
    call: Call,
    startedAt: number,
  ): Promise<T> => {
    let error = firstError;
    let previousDelayMs: number | undefined;
    for (let attempt = 1; ; attempt++) {
      // The caller gave up: stop at once and report what the operation said.
      if (signal.aborted) throw error;
      let failure = classifyFailure(error);
      // A repeat whose key the server is still processing (409) is a write under way: wait and ask again.
      if (isKeyInProgress(failure, attempt > 1 && call.safeToRepeat))
        failure = { ...failure, retryable: true };
      // An abort is someone giving up, never a fault to retry; a write that is not idempotent
      // and did not send its key may already be applied when the outcome is ambiguous.
      const delayMs =
        failure.category === 'aborted' || (isAmbiguous(failure) && !call.safeToRepeat)
          ? -1
          : delayBeforeRetry(failure, attempt, previousDelayMs, startedAt);
      if (delayMs < 0) {
        if (events.observed) events.next({ type: 'give-up', attempts: attempt, failure });
        throw error;
      }
      if (events.observed) events.next({ type: 'retry', attempt, delayMs, failure });
      await sleep(delayMs, signal, clock);
      previousDelayMs = delayMs;
      try {
        return await runNext(fn, signal, attempt + 1, chain, index + 1, call);
      } catch (next) {
        error = next;
      }
    }
  };

  const run: Link = (fn, signal, _attempt, chain, index, call) => {
    if (budget) budget.recordRequest();
    const startedAt = maxElapsedMs === undefined ? 0 : clock.now();
    // The first attempt is the common case and most often succeeds: it costs one `then`,
    // and only a failure enters the retry loop.
    let first;
    try {
      first = runNext(fn, signal, 1, chain, index + 1, call);
    } catch (error) {
      return retryAfterFailure(error, fn, signal, chain, index, call, startedAt);
    }
    return Promise.resolve(first).then(undefined, (error: unknown) =>
      retryAfterFailure(error, fn, signal, chain, index, call, startedAt),
    );
  };
  return asPolicy({}, [run], events, clock);
}
