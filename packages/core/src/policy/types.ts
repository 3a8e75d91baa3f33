import type { Observable } from '../observable.js';
import type { Failure } from '../failure/types.js';

/** What a policy hands to the operation it runs. */
export interface ExecutionContext {
  /** Aborted when the caller gives up or a timeout policy fires; pass it on to `fetch`. */
  signal: AbortSignal;
  /** Which attempt this is, counting from 1 (set by the nearest enclosing `retry`). */
  attempt: number;
  /**
   * One key for the whole logical call, the same in every attempt: send it as the
   * `Idempotency-Key` header of a write so the server applies it once however often it
   * arrives. `protect()` makes one per call and gives the same key to the outbox entry when
   * the write falls back to the queue; a bare policy makes one on first read (or uses
   * `ExecuteOptions.idempotencyKey`). Reading it tells retry policies that the operation
   * carries the key, so a write that is not `idempotent` may be retried after an ambiguous outcome.
   */
  readonly idempotencyKey: string;
}

/** An operation a policy runs: any sync or async function of the context. */
export type Operation<T> = (ctx: ExecutionContext) => T | Promise<T>;

/** Options for one execution. */
export interface ExecuteOptions {
  /** Aborting it aborts `ctx.signal`, ends any retry wait at once and rejects with its reason. */
  signal?: AbortSignal;
  /** The key every attempt sees as `ctx.idempotencyKey`. Default: a random one, made on first read. */
  idempotencyKey?: string;
  /**
   * Whether running the operation twice has the effect of running it once. Default true.
   * When false, retry policies do not retry an ambiguous failure (a timeout, a network
   * failure, a 5xx other than 503: the server may have applied it) unless an earlier attempt
   * read `ctx.idempotencyKey`, that is, sent the key the server dedupes on.
   */
  idempotent?: boolean;
}

/** Something that runs operations under a resilience rule. */
export interface Policy {
  /** Runs `fn` under the policy, handing it the signal, attempt and idempotency key; settles as the policy decides. */
  execute<T>(fn: Operation<T>, opts?: ExecuteOptions): Promise<T>;
  /** Everything the policy does, as it happens. Nothing is built while nobody subscribes. */
  readonly events$: Observable<PolicyEvent>;
}

/** Where a circuit breaker stands: letting calls through, refusing them, trying probes, or held open by `isolate()`. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** What a policy reports on `events$`: retries, give-ups, timeouts, breaker changes, fallbacks, refusals and outcomes (durations in ms). */
export type PolicyEvent =
  | { type: 'retry'; attempt: number; delayMs: number; failure: Failure }
  | { type: 'give-up'; attempts: number; failure: Failure }
  | { type: 'timeout'; afterMs: number }
  | { type: 'breaker-state'; breaker: string; from: BreakerState; to: BreakerState }
  | { type: 'fallback'; index: number; failure: Failure }
  /** A bulkhead refused a call: `active` calls were running and `queued` waiting. */
  | { type: 'bulkhead-rejected'; active: number; queued: number }
  | { type: 'success'; durationMs: number }
  | { type: 'failure'; durationMs: number; failure: Failure };

/** Computes the wait before a retry (or the length of a repeated breaker opening). */
export interface Backoff {
  /**
   * The wait before the next try, in milliseconds.
   * @param attempt 1 for the wait after the first failure, 2 after the second, …
   * @param previousDelayMs the delay this backoff returned for the previous attempt, if any
   */
  delay(attempt: number, previousDelayMs?: number): number;
  /**
   * The longest delay it ever returns, when it has one (the built-in backoffs say). A circuit
   * breaker bounds state it did not compute itself — restored after a reload, sent by another
   * tab — by it; without it, by `MAX_TIMER_MS`.
   */
  readonly maxMs?: number;
}

/** Caps retries to a share of recent traffic, so a failing dependency is not hammered by retry storms. */
export interface RetryBudget {
  /** Counts a request (a first attempt); retries are allowed in proportion to these. */
  recordRequest(): void;
  /** Takes the allowance for one retry; false when the budget is spent (the retry must not happen). */
  tryRetry(): boolean;
  /** How many retries the budget would allow right now. */
  readonly available: number;
}

/** A point-in-time view of a circuit breaker. */
export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  /** When the breaker last opened (clock time), while open or half-open. */
  openedAt?: number;
  /** When an open breaker admits a probe again (clock time). */
  openUntil?: number;
  /** Failures counted in the current window (consecutive: the current run of failures). */
  failures: number;
  /** Calls recorded in the current window. */
  calls: number;
  /** Slow calls recorded in the current window (only with `slowCall`). */
  slowCalls: number;
}
