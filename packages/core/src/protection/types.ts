import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';
import type {
  ConnectivityMonitor,
  ConnectivityMonitorOptions,
  ConnectivitySnapshot,
} from '../connectivity/index.js';
import type { Degradation, DegradationOptions, DegradationState } from '../degrade/index.js';
import type { Failure } from '../failure/types.js';
import type { LastGood } from '../last-good/index.js';
import type { MessageCenter, MessageCenterOptions } from '../messages/index.js';
import type { Outbox, OutboxEntry, OutboxEvent, OutboxStats } from '../outbox/index.js';
import type { BreakerSnapshot, ExecutionContext, Policy, PolicyEvent } from '../policy/index.js';
import type { Prediction, PredictionAccuracy, Predictor, RiskSnapshot } from '../predict/index.js';
import type { Recovery, RecoveryEvent, RecoveryStats } from '../recovery/index.js';
import type { Situation } from './situation.js';

/** A backend (or any remote thing) the app calls, with the policy its calls go through. */
export interface DependencyOptions {
  /** Default: a count-window breaker around retry ×3 around a 10 s timeout. */
  policy?: Policy;
  /** A critical dependency's open breaker degrades the app further. */
  critical?: boolean;
  /**
   * The `kind` of this dependency's calls when a call names none and has no `offline` (a call
   * with `offline` is a write). Default `'read'`. A write is not repeated after an ambiguous
   * failure unless it sent its idempotency key (see `ProtectOptions.idempotent`).
   */
  kind?: 'read' | 'write';
  /** Whether this dependency's calls tell the user nothing, when a call does not say. Default false. */
  silent?: boolean;
}

/** What `createProtection` hands the factory of a part the app passes in: its clock and connectivity monitor. */
export interface ProtectionParts {
  clock: Clock;
  connectivity: ConnectivityMonitor;
}

/**
 * Options of `createProtection`: the dependencies, the options of each part it builds
 * (`false` leaves that part out), and the parts an app passes in (the outbox, the predictor).
 */
export interface ProtectionOptions {
  /** `'default'` always exists. */
  dependencies?: Record<string, DependencyOptions>;
  connectivity?: ConnectivityMonitorOptions | false;
  /**
   * The outbox that keeps writes `protect` could not deliver (`offline`), made from the
   * protection's clock and connectivity monitor: `createOutbox` itself, or a function that calls
   * it with options, `(parts) => createOutbox({ ...parts, http: outboxHttp() })`. Default: none
   * (`false` says so too), and an app without offline writes does not carry the outbox.
   */
  outbox?: ((parts: ProtectionParts) => Outbox) | false;
  /**
   * The predictor that warns of failures before they come, made from the protection's clock:
   * `createPredictor`, or `(parts) => createPredictor({ ...parts, horizonMs: 60_000 })`.
   * Default: none (`false` says so too): no risk in the status, no `predictions`.
   */
  predictor?: ((parts: Pick<ProtectionParts, 'clock'>) => Predictor) | false;
  degradation?: DegradationOptions;
  messages?: MessageCenterOptions;
  clock?: Clock;
  /** Browser globals, injectable for tests. Defaults to `globalThis`. */
  window?: ConnectivityMonitorOptions['window'];
}

/** Options of one `protect` call: its dependency, whether it is a read or a write, and what to do when it fails. */
export interface ProtectOptions<T> {
  dependency?: string;
  /** Default `'write'` when `offline` is given, else the dependency's `kind` (`'read'` unless it says). */
  kind?: 'read' | 'write';
  /** Queue this write when it cannot be delivered now. */
  offline?: { type: string; payload: unknown; channel?: string };
  /**
   * What a call that failed (not one cancelled) answers instead, as a `fallback` result: a
   * value, a function of the failure (its throw makes the call `failed`), or a `lastGood()`
   * tier. A tier remembers every success and answers a failure with the saved copy and its
   * `savedAt`; with no copy saved (or one older than its `maxAgeMs`) the call is `failed`,
   * as it would be without a fallback. A write queued for later (`offline`) is `queued` either way.
   */
  fallback?: T | ((f: Failure) => T | Promise<T>) | LastGood<T>;
  /**
   * Aborting it cancels the call: the result is `cancelled`, with no fallback, no message,
   * and nothing recorded against the dependency (an abort says nothing about its health).
   */
  signal?: AbortSignal;
  /** Tell the user nothing about this call. Default: the dependency's `silent` (false unless it says). */
  silent?: boolean;
  /**
   * Whether running `fn` twice has the effect of running it once. Default: true for reads and
   * for writes whose key the caller chose (`idempotencyKey`, or the `Idempotency-Key` header of
   * an `'http'` offline payload), false for other writes. A write that is not idempotent is
   * retried after an ambiguous failure (a timeout, a lost connection or response, a 5xx other
   * than 503) only if `fn` read `ctx.idempotencyKey`, that is, sent the key the server dedupes on.
   */
  idempotent?: boolean;
  /**
   * The call's idempotency key (`ctx.idempotencyKey` in every attempt, and the outbox
   * entry's key if the write is queued). Default: the `Idempotency-Key` header of an
   * `'http'` offline payload, else a fresh random key.
   */
  idempotencyKey?: string;
}

/**
 * How a call ended. `fallback`: it failed, and `value` is what its `fallback` gave instead.
 * `cancelled`: its caller aborted it (`signal`, a component unmounting);
 * `failure.category` is `'aborted'`. Not a failure: no fallback ran and nobody was told.
 */
export type ProtectedResult<T> =
  | { status: 'ok'; value: T }
  | { status: 'queued'; entry: OutboxEntry }
  | {
      status: 'fallback';
      value: T;
      failure: Failure;
      /**
       * Set when `value` is a saved copy (a `lastGood()` tier's): when it was saved, so the UI
       * can say how old what it shows is ("Showing a copy saved at 10:42", template `savedCopy`).
       */
      savedAt?: number;
    }
  | { status: 'failed'; failure: Failure }
  | { status: 'cancelled'; failure: Failure };

/** How one dependency stands: its breaker, its predicted risk (with a predictor) and whether it is critical. */
export interface DependencyStatus {
  breaker: BreakerSnapshot;
  risk?: RiskSnapshot;
  critical: boolean;
}

/** Everything the protection knows at one moment, in one consistent snapshot, for dashboards and UI. */
export interface ProtectionStatus {
  /** 0–100; the formula is in the README ("Health"). */
  health: number;
  /** The level in force (with recovery hysteresis) and every reason, for gates and dashboards. */
  degradation: DegradationState;
  /** What the user is told now; every message and component reads this, so none contradicts another. */
  situation: Situation;
  connectivity: ConnectivitySnapshot;
  dependencies: Record<string, DependencyStatus>;
  outbox?: OutboxStats;
  predictions: { active: Prediction[]; accuracy: PredictionAccuracy };
  /** Recovery runs and successes, in all and per action (with its success rate). */
  recovery: RecoveryStats;
}

/** Everything that happens, as one discriminated union (`type`). */
export type ProtectionEvent =
  | {
      type: 'call';
      name: string;
      dependency: string;
      kind: 'read' | 'write';
      status: ProtectedResult<unknown>['status'];
      durationMs: number;
      failure?: Failure;
    }
  | { type: 'policy'; dependency: string; event: PolicyEvent }
  | { type: 'outbox'; event: OutboxEvent }
  | { type: 'connectivity'; snapshot: ConnectivitySnapshot }
  | { type: 'degradation'; state: DegradationState }
  | { type: 'prediction'; prediction: Prediction }
  | { type: 'recovery'; event: RecoveryEvent }
  /** The user chose "Review" on a message about rejected writes: show them the outbox. */
  | { type: 'review-requested' };

/**
 * One object that runs the app's calls through their policies and wires connectivity, the
 * outbox, prediction, degradation, messages and recovery together (made by `createProtection`).
 */
export interface Protection {
  readonly connectivity: ConnectivityMonitor;
  readonly outbox?: Outbox;
  readonly predictor?: Predictor;
  readonly degradation: Degradation;
  readonly messages: MessageCenter;
  readonly recovery: Recovery;
  /**
   * Runs `fn` as the call `name`, through its dependency's policy, and resolves with how it
   * ended; it never rejects for a failure of the call: that becomes `fallback`, `queued` or `failed`.
   */
  protect<T>(
    name: string,
    fn: (ctx: ExecutionContext) => Promise<T>,
    o?: ProtectOptions<T>,
  ): Promise<ProtectedResult<T>>;
  /** The policy calls of `dependency` go through (`'default'` when omitted). */
  policy(dependency?: string): Policy;
  /** The current value of `status$`. */
  status(): ProtectionStatus;
  readonly status$: Observable<ProtectionStatus>;
  readonly events$: Observable<ProtectionEvent>;
  /** Stops every part it built, closes the outbox and completes `status$` and `events$`; calling it again does nothing. */
  dispose(): Promise<void>;
}
