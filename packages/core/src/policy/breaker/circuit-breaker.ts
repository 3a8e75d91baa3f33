import { classifyFailure } from '../../failure/classify.js';
import { CircuitOpenError } from '../../failure/errors.js';
import { meaningOf } from '../../failure/meaning.js';
import type { Failure } from '../../failure/types.js';
import { Emitter, observable, type Observable } from '../../observable.js';
import { parseOptions } from '../../validate.js';
import { NEVER_ABORTED, PolicyBase, rejected, runNext, type Call, type ChainLink } from '../base.js';
import type { Backoff, BreakerSnapshot, BreakerState, Operation } from '../types.js';
import { breakerOptionsSchema, type BreakerOptions, type CircuitBreaker } from './options.js';
import type { BreakerPersistence } from './persist.js';
import { boundRecord, parseRecord, PROTOCOL, type BreakerRecord, type BreakerSavedState } from './record.js';
import type { BreakerSharing, TabShare } from './tab-share.js';
import { consecutiveFailures, type OutcomeWindow } from './windows.js';
import { DEV } from '../../dev.js';
import { clampDelay, setTimer } from '../../clock.js';
import { failureIn } from '../failure-in.js';
import { countOr, msOr } from '../../sane.js';

export type { BreakerOptions, CircuitBreaker } from './options.js';

/**
 * The default `countIf`: failures that say the dependency is in trouble (network, timeout,
 * server, rate-limited). `unknown` is `failing` in the table, because prediction and health
 * should see it, but it is kept out here: an error nobody recognised is most often a bug in
 * the calling code, and a breaker that opened on it would refuse calls to a healthy dependency.
 */
const defaultCountIf = (f: Failure) => meaningOf(f).signal === 'failing' && f.category !== 'unknown';

// `#private` members: esbuild shortens their names as it does locals', while the methods stay
// on the prototype, so call sites on the hot path stay monomorphic however many breakers a
// page holds (per-instance closures made them measurably slower).
class CircuitBreakerPolicy extends PolicyBase implements CircuitBreaker {
  readonly name: string;
  readonly state$: Observable<BreakerSnapshot>;
  #current: BreakerState = 'closed';
  #openedAt: number | undefined;
  #openUntil: number | undefined;
  /** Openings since the breaker last closed; the n-th lasts `openForMs.delay(n)`. */
  #opens = 0;
  #lastOpenMs: number | undefined;
  /** Bumped on every transition: an outcome from a call admitted under an older state is ignored. */
  #generation = 0;
  #lastChangeAt = -Infinity;
  #probesInFlight = 0;
  #halfOpenAt = 0;
  #probeSuccesses = 0;
  #isolations = 0;
  /** Bumped by reset(): releases handed out before it no longer count. */
  #isolationEpoch = 0;
  /** Other tabs' breakers that hold an isolation of this dependency. */
  readonly #holdersElsewhere = new Set<string>();
  readonly #window: OutcomeWindow;
  readonly #stateChanges = new Emitter<BreakerSnapshot>();
  readonly #slowMs: number | undefined;
  readonly #needsNow: boolean;
  readonly #openFor: number | Backoff;
  readonly #probes: number;
  readonly #successesToClose: number;
  readonly #waitForProbe: boolean;
  /** Calls waiting for a probe's outcome (`halfOpen.waitForProbe`), in arrival order. */
  readonly #waiting = new Set<() => void>();
  /** Wakes the waiting calls when the probe in flight is overdue (see `#admit`), should it never settle. */
  #overdue: unknown;
  readonly #countIf: (f: Failure) => boolean;
  readonly #failureOf: ((value: unknown) => unknown) | undefined;
  readonly #persist: BreakerPersistence | undefined;
  /** A save of the window's counts is due at the end of this turn (one write for a burst of calls). */
  #savePending = false;
  readonly #share: TabShare | undefined;

  constructor(o: BreakerOptions) {
    super(o.clock);
    this.name = o.name;
    // Unchecked in the production build: a window (or `share`, `persist`) in a form this version
    // does not know, such as a removed `{ kind }` object, falls back to the default (sane.ts).
    const window = typeof o.window?.create === 'function' ? o.window : consecutiveFailures(5);
    this.#window = window.create(o.slowCall?.rate);
    this.#slowMs = o.slowCall?.thresholdMs;
    this.#needsNow = this.#slowMs !== undefined || this.#window.needsTime;
    this.#openFor = typeof o.openForMs === 'number' ? msOr(o.openForMs, 30_000) : (o.openForMs ?? 30_000);
    this.#probes = countOr(o.halfOpen?.probes, 1);
    this.#successesToClose = countOr(o.halfOpen?.successesToClose, 1);
    this.#waitForProbe = o.halfOpen?.waitForProbe === true;
    this.#countIf = o.countIf ?? defaultCountIf;
    this.#failureOf = o.failureOf;
    this.state$ = observable<BreakerSnapshot>((subscriber) => {
      subscriber.next(this.snapshot);
      const changes = this.#stateChanges.observable.subscribe(subscriber);
      return () => changes.unsubscribe();
    });

    this.#persist =
      typeof (o.persist || undefined)?.load === 'function' ? (o.persist as BreakerPersistence) : undefined;
    // Persisting is restoring what was saved here before the reload, as an `initialState`.
    try {
      this.#restore(o.initialState ?? this.#persist?.load(this.name));
    } catch {
      // State whose very reading throws (a hostile getter) is as unusable as a malformed one:
      // the breaker starts fresh rather than fail to be made.
    }
    this.#share =
      typeof (o.share || undefined)?.connect === 'function'
        ? (o.share as BreakerSharing).connect(
            this.name,
            (record, sender, holds) => {
              this.#applyRemote(this.#bounded(record), sender, holds);
            },
            () =>
              this.#lastChangeAt === -Infinity
                ? undefined
                : { record: this.#record(), holds: this.#isolations > 0 },
          )
        : undefined;
  }

  get state(): BreakerState {
    return this.#current;
  }

  toJSON(): BreakerSavedState {
    const record = this.#record();
    // Never changed state: no transition time to give, and none needed (a closed record only
    // restores the window).
    if (record.at === -Infinity) record.at = 0;
    return { v: PROTOCOL, ...record, window: this.#window.save() };
  }

  get snapshot(): BreakerSnapshot {
    const counts = this.#window.counts(this.#window.needsTime ? this.clock.now() : 0);
    const snapshot: BreakerSnapshot = { name: this.name, state: this.#current, ...counts };
    if (this.#openedAt !== undefined) snapshot.openedAt = this.#openedAt;
    if (this.#openUntil !== undefined) snapshot.openUntil = this.#openUntil;
    return snapshot;
  }

  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    if (this.#current !== 'closed' || this.#slowMs !== undefined)
      return this.#runTimedOrProbing(fn, signal, attempt, chain, index, call);
    // Closed, no slow-call rule: the hot path. No clock read, one `then`.
    const generation = this.#generation;
    let result: T | Promise<T>;
    try {
      result = runNext(fn, signal, attempt, chain, index + 1, call);
    } catch (error) {
      this.#onFailure(error, signal, generation, false, 0);
      return rejected(error);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.#onValue(value, signal, generation, false, 0);
        return value;
      },
      (error: unknown) => {
        this.#onFailure(error, signal, generation, false, 0);
        throw error;
      },
    );
  }

  async #runTimedOrProbing<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    const probe = this.#current !== 'closed' && this.#admit();
    if (probe === undefined) {
      // Half-open with every probe in flight: wait for an outcome, then try again as a new call.
      await this.#probeSettled(signal);
      return this.run(fn, signal, attempt, chain, index, call);
    }
    const generation = this.#generation;
    const start = this.#slowMs === undefined ? 0 : this.clock.now();
    let value: T;
    try {
      value = await runNext(fn, signal, attempt, chain, index + 1, call);
    } catch (error) {
      this.#onFailure(error, signal, generation, probe, start);
      throw error;
    }
    this.#onValue(value, signal, generation, probe, start);
    return value;
  }

  /**
   * Lets a call through a breaker that is not closed (as a probe: true), or throws
   * `CircuitOpenError`; undefined when the call is to wait for a probe (`halfOpen.waitForProbe`).
   */
  #admit(): true | undefined {
    if (this.#current === 'isolated') throw new CircuitOpenError(this.name, Infinity);
    if (this.#current === 'open') {
      const now = this.clock.now();
      // Opened "in the future": the wall clock was set back since, and the opening is over
      // (it would otherwise last as long as the jump).
      const until = this.#openedAt !== undefined && this.#openedAt > now ? now : (this.#openUntil ?? now);
      if (now < until) throw new CircuitOpenError(this.name, until - now);
      // No timer moved us: the first call after `openUntil` does.
      this.#transition('half-open', now);
    }
    if (this.#probesInFlight >= this.#probes) {
      // Probes that hang longer than an opening would last count as failed: otherwise one
      // request that never settles would keep the breaker half-open, refusing everything.
      const now = this.clock.now();
      if (now - this.#halfOpenAt >= (this.#lastOpenMs ?? 0)) {
        this.#transition('open', now);
        throw new CircuitOpenError(this.name, (this.#openUntil ?? now) - now);
      }
      if (this.#waitForProbe) return undefined;
      throw new CircuitOpenError(this.name, 0);
    }
    this.#probesInFlight++;
    return true;
  }

  /** Settles when a probe's outcome is known (or the state changes); the caller's abort rejects it alone. */
  #probeSettled(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return rejected(signal.reason);
    if (this.#waiting.size === 0) {
      // Nothing else would wake them: a probe that hangs never reports, and the rule that
      // fails an overdue probe runs only as a call arrives.
      if (this.#overdue !== undefined) this.clock.clearTimeout(this.#overdue);
      this.#overdue = setTimer(
        this.clock,
        () => {
          this.#overdue = undefined;
          this.#wake();
        },
        this.#halfOpenAt + (this.#lastOpenMs ?? 0) - this.clock.now(),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(wake);
        reject(signal.reason as Error);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiting.add(wake);
      if (signal !== NEVER_ABORTED) signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A probe slot freed or the state changed: the waiting calls try again, in arrival order. */
  #wake(): void {
    if (this.#waiting.size === 0) return;
    if (this.#overdue !== undefined) {
      this.clock.clearTimeout(this.#overdue);
      this.#overdue = undefined;
    }
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const wake of waiting) wake();
  }

  /** A call resolved: a success, unless `failureOf` says the value is a failure. */
  #onValue(value: unknown, signal: AbortSignal, generation: number, probe: boolean, start: number): void {
    let error: unknown;
    try {
      if (this.#failureOf !== undefined) error = failureIn(this.#failureOf, value);
    } catch (thrown) {
      // The predicate's own error fails the call, and is booked like one the call threw: a
      // probe it judged must not stay in flight, with calls waiting on it for ever.
      this.#onFailure(thrown, signal, generation, probe, start);
      throw thrown;
    }
    if (error == null) this.#onSuccess(generation, probe, start);
    else this.#onFailure(error, signal, generation, probe, start);
  }

  #onSuccess(generation: number, probe: boolean, start: number): void {
    if (generation !== this.#generation) return;
    const now = this.#needsNow ? this.clock.now() : 0;
    const slow = this.#slowMs !== undefined && now - start > this.#slowMs;
    if (probe) {
      this.#probesInFlight--;
      if (slow) this.#transition('open', now);
      else if (++this.#probeSuccesses >= this.#successesToClose)
        this.#transition('closed', this.#timeOfChange(now));
      else this.#wake();
      return;
    }
    this.#recordOutcome(false, slow, now);
  }

  #onFailure(error: unknown, signal: AbortSignal, generation: number, probe: boolean, start: number): void {
    if (generation !== this.#generation) return;
    const failure = classifyFailure(error, { signal });
    // A caller giving up says nothing of the dependency, whatever `countIf` says.
    const counted = failure.category !== 'aborted' && this.#countIf(failure);
    if (!counted) {
      // Not the dependency's fault (a 404, an abort): the breaker stays as it is.
      if (probe) {
        this.#probesInFlight--;
        this.#wake();
      }
      return;
    }
    const now = this.#needsNow ? this.clock.now() : 0;
    const slow = this.#slowMs !== undefined && now - start > this.#slowMs;
    if (probe) {
      this.#probesInFlight--;
      this.#transition('open', this.#timeOfChange(now));
      return;
    }
    this.#recordOutcome(true, slow, now);
  }

  #recordOutcome(failed: boolean, slow: boolean, now: number): void {
    if (this.#window.record(failed, slow, now)) this.#transition('open', this.#timeOfChange(now));
    else if (this.#persist && !this.#savePending) {
      // The counts matter after a reload too (a breaker one failure short of opening stays so);
      // a burst of calls settling together is written once.
      this.#savePending = true;
      queueMicrotask(() => {
        this.#savePending = false;
        this.#save();
      });
    }
  }

  #save(): void {
    try {
      this.#persist?.save(this.name, this.toJSON());
    } catch {
      // The app's own persistence refused (a full quota, say): that costs the restore after a
      // reload, never the call whose outcome was being saved.
    }
  }

  /** The hot path reads the clock only when the window or slow-call rule needs it; a state change always does. */
  #timeOfChange(now: number): number {
    return this.#needsNow ? now : this.clock.now();
  }

  isolate(): () => void {
    const epoch = this.#isolationEpoch;
    this.#isolations++;
    if (this.#current !== 'isolated') this.#transition('isolated', this.clock.now());
    // Already isolated (mirrored from another tab): tell the others this tab now holds it too.
    else if (this.#isolations === 1) this.#share?.publish(this.#record(), true);
    let released = false;
    return () => {
      if (released || epoch !== this.#isolationEpoch) return;
      released = true;
      this.#isolations--;
      if (this.#isolations > 0) return;
      if (this.#holdersElsewhere.size === 0) this.#transition('closed', this.clock.now());
      // Still isolated by another tab: tell it this one has let go.
      else this.#share?.publish(this.#record(), false);
    };
  }

  reset(): void {
    this.#isolationEpoch++;
    this.#isolations = 0;
    this.#holdersElsewhere.clear();
    this.#window.reset();
    if (this.#current !== 'closed') this.#transition('closed', this.clock.now());
    else {
      this.#opens = 0;
      this.#lastOpenMs = undefined;
    }
  }

  dispose(): void {
    this.#share?.close();
  }

  #transition(to: BreakerState, now: number, remote?: BreakerRecord): void {
    const from = this.#current;
    this.#current = to;
    this.#generation++;
    this.#lastChangeAt = remote ? remote.at : now;
    this.#probesInFlight = 0;
    this.#probeSuccesses = 0;
    switch (to) {
      case 'open':
        if (remote) {
          this.#opens = remote.opens;
          this.#lastOpenMs = remote.lastOpenMs;
          this.#openedAt = remote.openedAt ?? now;
          this.#openUntil = remote.openUntil ?? now;
        } else {
          this.#opens++;
          const ms =
            typeof this.#openFor === 'number'
              ? this.#openFor
              : this.#openFor.delay(this.#opens, this.#lastOpenMs);
          // At most what a timer holds, like every delay: a backoff without a bound (or a count of
          // openings restored from hostile state) must not refuse every call for years.
          this.#lastOpenMs = clampDelay(ms);
          this.#openedAt = now;
          this.#openUntil = now + this.#lastOpenMs;
        }
        break;
      case 'half-open':
        this.#halfOpenAt = now;
        if (remote) {
          this.#opens = remote.opens;
          this.#lastOpenMs = remote.lastOpenMs;
          this.#openedAt = remote.openedAt;
          this.#openUntil = remote.openUntil;
        }
        break;
      case 'closed':
        this.#window.reset();
        this.#opens = 0;
        this.#lastOpenMs = undefined;
        this.#openedAt = undefined;
        this.#openUntil = undefined;
        break;
      case 'isolated':
        this.#openedAt = remote?.openedAt ?? now;
        this.#openUntil = undefined;
        break;
    }
    if (from !== to && this.events.observed) {
      this.events.next({ type: 'breaker-state', breaker: this.name, from, to });
    }
    if (this.#stateChanges.observed) this.#stateChanges.next(this.snapshot);
    this.#wake();
    if (remote) return;
    this.#share?.publish(this.#record(), this.#isolations > 0);
    this.#save();
  }

  #record(): BreakerRecord {
    const record: BreakerRecord = { state: this.#current, opens: this.#opens, at: this.#lastChangeAt };
    if (this.#openedAt !== undefined) record.openedAt = this.#openedAt;
    if (this.#openUntil !== undefined) record.openUntil = this.#openUntil;
    if (this.#lastOpenMs !== undefined) record.lastOpenMs = this.#lastOpenMs;
    return record;
  }

  /** Another tab changed state: mirror it, unless this tab holds its own isolation or knows something newer. */
  #applyRemote(record: BreakerRecord, sender: string, holds: boolean): void {
    if (holds) this.#holdersElsewhere.add(sender);
    else this.#holdersElsewhere.delete(sender);
    if (record.at < this.#lastChangeAt) return;
    if (this.#isolations > 0) return;
    // The last holder elsewhere let go while this tab mirrored its isolation: close here too.
    if (record.state === 'isolated' && this.#holdersElsewhere.size === 0) {
      if (this.#current === 'isolated') this.#transition('closed', this.clock.now());
      return;
    }
    if (record.state === this.#current && record.state !== 'open') {
      this.#lastChangeAt = record.at;
      return;
    }
    this.#transition(record.state, this.clock.now(), record);
  }

  /** A record from storage or another tab, bounded by what this breaker could have written now. */
  #bounded(record: BreakerRecord): BreakerRecord {
    const openFor = this.#openFor;
    return boundRecord(
      record,
      this.clock.now(),
      typeof openFor === 'number' ? openFor : (openFor.maxMs ?? Infinity),
    );
  }

  /**
   * State saved earlier (`initialState`, or before a reload), checked like any state from
   * outside: anything malformed, of another format or beyond what this breaker could have
   * written is ignored. Isolation is not restored: nothing could release it any more.
   */
  #restore(saved: unknown): void {
    const parsed = (saved as { v?: unknown } | undefined)?.v === PROTOCOL ? parseRecord(saved) : undefined;
    if (!parsed) return;
    const record = this.#bounded(parsed);
    if (record.state === 'closed') {
      this.#window.load((saved as { window?: unknown }).window, this.clock.now());
      return;
    }
    if (record.state !== 'open' && record.state !== 'half-open') return;
    this.#current = 'open';
    this.#opens = record.opens;
    this.#lastOpenMs = record.lastOpenMs;
    this.#openedAt = record.openedAt ?? record.at;
    // A breaker that was probing when the page went away probes again on its next call.
    this.#openUntil = record.state === 'half-open' ? record.at : record.openUntil;
    this.#lastChangeAt = record.at;
  }
}

/**
 * Stops calling a dependency that keeps failing: after the window's rule trips, calls are
 * rejected at once with `CircuitOpenError` for `openForMs`; the first call after that is a
 * probe (half-open) whose outcome closes or reopens the breaker. Timestamps, not timers,
 * drive the states, so a throttled background tab behaves exactly like a foreground one.
 */
export function circuitBreaker(o: BreakerOptions): CircuitBreaker {
  if (DEV) parseOptions(breakerOptionsSchema(), o, 'circuitBreaker()');
  return new CircuitBreakerPolicy(o);
}
