import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';
import type { Failure } from '../failure/types.js';

/** `high` while trouble is established and a prediction is made; `elevated` is worth a glance; `low` is healthy. */
export type RiskLevel = 'low' | 'elevated' | 'high';

/** How likely a dependency is to start failing soon, and why, in words a person can read. */
export interface RiskSnapshot {
  key: string;
  /** 0 (healthy) … 1 (failing or about to). */
  score: number;
  level: RiskLevel;
  reasons: string[];
}

/** Emitted when a key's risk turns `high` while no prediction for it is open and no outage is under way. */
export interface Prediction {
  id: string;
  key: string;
  at: number;
  horizonMs: number;
  /** The risk score when the prediction was made. */
  confidence: number;
  reasons: string[];
}

/**
 * How the predictor's own predictions fared against what happened next. An outage is a
 * stretch from a failed request on in which at least 80 % of requests failed over at least
 * 10 s, with at least 3 failures (see `OutageDetector`); its first failure is the stretch's first.
 */
export interface PredictionAccuracy {
  predictions: number;
  /** Predictions whose outage's first failure came after them (lead > 0) and within the horizon. */
  confirmed: number;
  /** Predictions with no outage starting within the horizon. */
  falseAlarms: number;
  /** Predictions raised after the first failure of the outage that followed: neither success nor false alarm. */
  late: number;
  outages: number;
  /** Outages no confirmed prediction foresaw. */
  missed: number;
  /** confirmed / (confirmed + falseAlarms); 0 until a prediction has been settled. */
  precision: number;
  /** Outages foreseen (a confirmed prediction, lead > 0) / outages; 0 until an outage happened. */
  recall: number;
  /** Mean time from a confirmed prediction to its outage's first failure; 0 when none. */
  meanLeadTimeMs: number;
}

/** The user behaviours `Predictor.signal` takes as signs of frustration. */
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
  /**
   * When the outcome was observed; default `clock.now()`. A time ahead of the clock is taken as
   * now; one behind the key's latest sample as that sample's time (time never runs backwards).
   */
  at?: number;
}

/**
 * A connectivity probe's outcome (a health check answered or not). With sparse traffic it is
 * the only fresh evidence there is; it counts as a sample beside the calls, with its own
 * latency normal, and never as part of an outage.
 */
export interface ProbeSample {
  ok: boolean;
  latencyMs: number;
  /** The dependency it checks; without one it counts for every tracked key. */
  key?: string;
  at?: number;
}

/** A user behaviour that tends to precede or accompany trouble. Without `key` it weighs on every key. */
export interface FrustrationSignal {
  kind: FrustrationKind;
  key?: string;
  at?: number;
}

/** Options of `createPredictor`: how sensitive it is and how far ahead its predictions look; times in ms. */
export interface PredictorOptions {
  /** How far ahead a prediction looks: confirmed only if an outage's first failure comes within it. Default 60 000. */
  horizonMs?: number;
  /** Failures of one run further apart than this are not one run. Default 60 000. */
  errorWindowMs?: number;
  /**
   * This many failed calls in a row make a failure episode, during which the predictor explains
   * its evidence away and predicts nothing. (Scoring uses its own, fixed outage definition.) Default 3.
   */
  episodeFailures?: number;
  /**
   * Evidence of a latency shift, in robust spreads of log-latency summed over observations
   * (CUSUM), at which risk turns high. Lower predicts earlier and more often. Default 6.
   */
  latencyThreshold?: number;
  /**
   * Evidence of a rising failure rate (a log-likelihood ratio summed over outcomes) at which
   * risk turns high. Default 5.5: two failures close together never reach it, three usually do.
   */
  errorThreshold?: number;
  /** Evidence must have built up over at least this long before risk turns high. Default 2 000. */
  persistMs?: number;
  /** Latency counts as shifted only at this many times its normal or more (the recent level). Default 2.5. */
  minLatencyRatio?: number;
  /**
   * Most keys tracked at once (an integer ≥ 1). A new key beyond it makes the predictor forget
   * the least recently observed one (recorded or signalled), preferring keys with no open
   * prediction and no ongoing outage; an open prediction of a forgotten key is still
   * scored when its horizon ends. Default 256.
   */
  maxKeys?: number;
  clock?: Clock;
}

/** Scores how likely each dependency is to start failing soon, and predicts outages before they start (made by `createPredictor`). */
export interface Predictor {
  /** Feeds one call's outcome for a dependency. */
  record(sample: PredictorSample): void;
  /** Feeds a connectivity probe's outcome (see `ProbeSample`). */
  probe(sample: ProbeSample): void;
  /** Feeds a sign of user frustration: it raises the risk score for a while, but never makes risk `high` by itself. */
  signal(signal: FrustrationSignal): void;
  /** The risk of `key` now; a key never observed is `low`, with score 0. */
  risk(key: string): RiskSnapshot;
  /** Every key's risk, re-emitted when a key's level changes or its score moves by 0.1 or more. */
  readonly risk$: Observable<RiskSnapshot[]>;
  readonly predictions$: Observable<Prediction>;
  /** How the predictions made so far fared against the outages that followed. */
  accuracy(): PredictionAccuracy;
  /** Predictions neither confirmed nor expired yet. */
  activePredictions(): Prediction[];
  /** Every key currently tracked. */
  keys(): string[];
}
