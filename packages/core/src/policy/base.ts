import { systemClock, type Clock, setTimer } from '../clock.js';
import { classifyFailure } from '../failure/classify.js';
import { newId } from '../new-id.js';
import { Emitter, type Observable } from '../observable.js';
import type { ExecuteOptions, ExecutionContext, Operation, Policy, PolicyEvent } from './types.js';

/**
 * The signal operations get when the caller passed none. One shared, never-aborted signal
 * keeps a successful call from allocating an AbortController it would never use.
 */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * What one execution shares across all its attempts: its idempotency key, and whether the
 * operation may run again after an ambiguous outcome. One small object per `execute`.
 */
export class Call {
  /** Set once an attempt has read `ctx.idempotencyKey`: the operation sends the key. */
  keyRead = false;

  #key: string | undefined;
  /** `ExecuteOptions.idempotent`: false makes retries of ambiguous failures depend on `keyRead`. */
  readonly idempotent: boolean;

  constructor(key: string | undefined, idempotent: boolean) {
    this.#key = key;
    this.idempotent = idempotent;
  }

  get idempotencyKey(): string {
    this.keyRead = true;
    return (this.#key ??= newId());
  }

  /** Whether running the operation again cannot apply its effect twice. */
  get safeToRepeat(): boolean {
    return this.idempotent || this.keyRead;
  }
}

/** The context an attempt's operation receives; the key is the execution's, made only if read. */
class AttemptContext implements ExecutionContext {
  readonly signal: AbortSignal;
  readonly attempt: number;
  readonly #call: Call;

  constructor(signal: AbortSignal, attempt: number, call: Call) {
    this.signal = signal;
    this.attempt = attempt;
    this.#call = call;
  }

  get idempotencyKey(): string {
    return this.#call.idempotencyKey;
  }
}

/**
 * One step of a policy chain. A chain is a flat array of links; link `index` runs the rest
 * of the chain through `runNext(…, index + 1)`. Passing (fn, signal, attempt, chain, index,
 * call) down instead of wrapping closures per call keeps the composed hot path nearly
 * allocation-free; the context object is built once, at the operation itself.
 */
export interface ChainLink {
  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T>;
}

/** A rejected promise carrying exactly what was thrown, which need not be an `Error` (an abort reason may be anything). */
export function rejected<T>(reason: unknown): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the original reason on unchanged
  return Promise.reject(reason);
}

/** Runs the link at `index`, or the operation itself when the chain is exhausted. */
export function runNext<T>(
  fn: Operation<T>,
  signal: AbortSignal,
  attempt: number,
  chain: readonly ChainLink[],
  index: number,
  call: Call,
): T | Promise<T> {
  const link = chain[index];
  return link === undefined
    ? fn(new AttemptContext(signal, attempt, call))
    : link.run(fn, signal, attempt, chain, index, call);
}

/**
 * What every built-in policy shares: `execute` on top of the chain protocol (so `pipeline`
 * composes it as a link), and an `events$` stream whose events are only built while someone
 * listens (`Emitter.observed`). Reports no outcomes: a policy that needs no failure
 * classification (a bulkhead) extends it directly and stays small.
 */
export abstract class ChainPolicy implements Policy, ChainLink {
  protected readonly events = new Emitter<PolicyEvent>();
  readonly events$: Observable<PolicyEvent> = this.events.observable;
  /** The chain a policy forms on its own. */
  protected chain: readonly ChainLink[] = [this];

  abstract run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T>;

  execute<T>(fn: Operation<T>, opts?: ExecuteOptions): Promise<T> {
    const signal = opts?.signal ?? NEVER_ABORTED;
    if (signal.aborted) return rejected(signal.reason);
    return this.start(fn, signal, new Call(opts?.idempotencyKey, opts?.idempotent ?? true));
  }

  /** Runs one execution through the policy's chain. */
  protected start<T>(fn: Operation<T>, signal: AbortSignal, call: Call): Promise<T> {
    return startChain(fn, signal, this.chain, call);
  }
}

/**
 * A `ChainPolicy` that also reports each execution's outcome on `events$`. 'success' and
 * 'failure' events belong to the policy whose `execute` was called, so a policy inside a
 * pipeline does not repeat them.
 */
export abstract class PolicyBase extends ChainPolicy {
  protected readonly clock: Clock;

  constructor(clock: Clock | undefined) {
    super();
    this.clock = clock ?? systemClock;
  }

  protected override start<T>(fn: Operation<T>, signal: AbortSignal, call: Call): Promise<T> {
    if (!this.events.observed) return startChain(fn, signal, this.chain, call);
    return this.#executeObserved(fn, signal, call);
  }

  async #executeObserved<T>(fn: Operation<T>, signal: AbortSignal, call: Call): Promise<T> {
    const start = this.clock.now();
    try {
      const value = await startChain(fn, signal, this.chain, call);
      if (this.events.observed) this.events.next({ type: 'success', durationMs: this.clock.now() - start });
      return value;
    } catch (error) {
      if (this.events.observed) {
        const failure = classifyFailure(error, { signal });
        this.events.next({ type: 'failure', durationMs: this.clock.now() - start, failure });
      }
      throw error;
    }
  }
}

/** Starts a chain; an empty chain runs the operation directly, turning a sync throw into a rejection. */
function startChain<T>(
  fn: Operation<T>,
  signal: AbortSignal,
  chain: readonly ChainLink[],
  call: Call,
): Promise<T> {
  const first = chain[0];
  if (first !== undefined) return first.run(fn, signal, 1, chain, 0, call);
  try {
    return Promise.resolve(fn(new AttemptContext(signal, 1, call)));
  } catch (error) {
    return rejected(error);
  }
}

/**
 * Waits `ms` on the clock. Aborting `signal` ends the wait at once and rejects with its
 * reason; the timer and the listener are removed either way, so nothing outlives the wait.
 */
export function sleep(ms: number, signal: AbortSignal, clock: Clock): Promise<void> {
  if (signal.aborted) return rejected(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal.reason as Error);
    };
    const handle = setTimer(
      clock,
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
    );
    if (signal !== NEVER_ABORTED) signal.addEventListener('abort', onAbort, { once: true });
  });
}
