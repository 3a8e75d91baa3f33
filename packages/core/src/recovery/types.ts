import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';
import type { FailureCategory, Failure } from '../failure/types.js';

/** A repair to try when a call fails in a given way (refresh a token, resume the outbox…), registered with `Recovery.register`. */
export interface RecoveryAction {
  /** Unique among registered actions; names the action in history and stats. */
  name: string;
  /**
   * Tries to repair what caused the failure (refresh a token, resume the outbox…).
   * Resolves `true` when it did; `false`, a throw or a timeout count as not recovered.
   * `signal` aborts when the run times out or the recovery is disposed.
   */
  run: (failure: Failure, context: { signal: AbortSignal }) => Promise<boolean>;
  /** The action runs at most once per this many ms, counted from the start of a run. Default 30 000. */
  cooldownMs?: number;
  /** A run still pending after this long counts as failed, so a hung action cannot block recovery. Default 30 000. */
  timeoutMs?: number;
}

/** One finished run of a recovery action: which, for which failure category, when, whether it recovered and how long it took (ms). */
export interface RecoveryRecord {
  action: string;
  category: FailureCategory;
  /** When the run started. */
  at: number;
  ok: boolean;
  durationMs: number;
}

/** How a run ended: `recovered` (it resolved `true`), `not-recovered` (any other value), `threw` (it rejected) or `timed-out`. */
export type RecoveryOutcome = 'recovered' | 'not-recovered' | 'threw' | 'timed-out';

/** What `Recovery.events$` emits for each finished run: its record, its outcome and, when it threw or timed out, the error. */
export type RecoveryEvent = {
  type: 'recovery-run';
  outcome: RecoveryOutcome;
  error?: unknown;
} & RecoveryRecord;

/** How one recovery action has fared over the recovery's lifetime. */
export interface RecoveryActionStats {
  runs: number;
  succeeded: number;
  /** succeeded / runs; `null` before the first run. */
  successRate: number | null;
}

/** Recovery runs and successes over the recovery's lifetime, in all and per action. */
export interface RecoveryStats {
  runs: number;
  succeeded: number;
  /** Per action name, over the whole lifetime (history keeps only the latest runs). */
  actions: Record<string, RecoveryActionStats>;
}

/** Options of `createRecovery`. */
export interface RecoveryOptions {
  clock?: Clock;
  /** Runs kept by `history()`, oldest dropped first. Default 100. */
  historyLimit?: number;
}

/** Recovery actions per failure category, each limited by a cooldown so a burst of failures triggers one repair (made by `createRecovery`). */
export interface Recovery {
  /** Registers an action for one failure category, or `'*'` for all; returns the unregister function. */
  register(category: FailureCategory | '*', action: RecoveryAction): () => void;
  /**
   * Runs, one after another in registration order, every action registered for the
   * failure's category or `'*'` that is not cooling down. A run already in progress
   * is joined, not started twice. Resolves `true` when at least one action ran (or
   * was joined) and recovered; `false` when none matched, all were cooling down, or
   * none succeeded. Never rejects for an action's failure.
   */
  recover(failure: Failure): Promise<boolean>;
  /** The latest runs, oldest first. */
  history(): RecoveryRecord[];
  readonly stats: RecoveryStats;
  /** One event per finished run; built only while someone listens. */
  readonly events$: Observable<RecoveryEvent>;
  /** Aborts running actions, clears timers, completes `events$`; later recover calls resolve `false`. */
  dispose(): void;
}
