import type { Observable } from 'rxjs';
import type { Clock } from '../clock.js';
import type { Failure } from '../failure/types.js';

export type RiskLevel = 'low' | 'elevated' | 'high';

/** How likely a dependency is to start failing soon, and why, in words a person can read. */
export interface RiskSnapshot {
  key: string;
  /** 0 (healthy) … 1 (failing or about to). */
  score: number;
  level: RiskLevel;
  reasons: string[];
}

/** Emitted when a key's risk turns `high` while no prediction for it is open. */
export interface Prediction {
  id: string;
  key: string;
  at: number;
  horizonMs: number;
  /** The risk score when the prediction was made. */
  confidence: number;
  reasons: string[];
}

/** How the predictor's own predictions fared against what happened next. */
export interface PredictionAccuracy {
  predictions: number;
  confirmed: number;
  falseAlarms: number;
  missed: number;
  /** confirmed / (confirmed + falseAlarms); 0 until a prediction has been resolved. */
  precision: number;
  /** Episodes predicted at least 1 s ahead / episodes; 0 until an episode happened. */
  recall: number;
  /** Mean time from a confirmed prediction to the episode it foretold; 0 when none. */
  meanLeadTimeMs: number;
}

export type FrustrationKind = 'rage-click' | 'repeat-submit' | 'retry-click' | 'abandon';

/** One observed call outcome for a dependency. */
export interface PredictorSample {
  /**
   * The dependency, e.g. `'api'` or `'payments'`: a name, not a URL. Each key keeps its own
   * history, so a key per URL (`/api/notes/17`) would split one dependency's signals across
   * many keys that each see too little to predict anything, and churn through `maxKeys`.
   */
  key: string;
  ok: boolean;
  latencyMs: number;
  failure?: Failure;
  /** When the outcome was observed; default `clock.now()`. */
  at?: number;
}

/** A user behaviour that tends to precede or accompany trouble. Without `key` it weighs on every key. */
export interface FrustrationSignal {
  kind: FrustrationKind;
  key?: string;
  at?: number;
}

export interface PredictorOptions {
  /** How far ahead a prediction looks: confirmed only if an episode starts within it. Default 30 000. */
  horizonMs?: number;
  /** Weight of the newest sample in the fast latency average. Default 0.2. */
  latencyAlpha?: number;
  /** Latency this many times the key's normal counts as slow. Default 3. */
  slowFactor?: number;
  /** Phi accrual suspicion at which silence alone scores fully (Akka's default). Default 8. */
  phiThreshold?: number;
  /** Sliding window for error rates and for counting an episode's failures. Default 60 000. */
  errorWindowMs?: number;
  /** The n-th failure within `errorWindowMs` starts a failure episode. Default 3. */
  episodeFailures?: number;
  /**
   * Most keys tracked at once (an integer ≥ 1). A new key beyond it makes the predictor forget
   * the least recently observed one (recorded or signalled), preferring keys with no open
   * prediction and no ongoing failure episode; an open prediction of a forgotten key is still
   * scored when its horizon ends. Default 256.
   */
  maxKeys?: number;
  clock?: Clock;
}

export interface Predictor {
  record(sample: PredictorSample): void;
  signal(signal: FrustrationSignal): void;
  risk(key: string): RiskSnapshot;
  /** Every key's risk, re-emitted when a key's level changes or its score moves by 0.1 or more. */
  readonly risk$: Observable<RiskSnapshot[]>;
  readonly predictions$: Observable<Prediction>;
  accuracy(): PredictionAccuracy;
  /** Predictions neither confirmed nor expired yet. */
  activePredictions(): Prediction[];
  /** Every key currently tracked. */
  keys(): string[];
}
