import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';
import type { DegradationLevel } from './levels.js';

/** What the app shows and gates on: the level in force, why, since when, and whether a person set it. */
export interface DegradationState {
  level: DegradationLevel;
  reasons: string[];
  since: number;
  manual: boolean;
}

/** Options of `createDegradation`: which features turn off at which level, and how fast levels step down. */
export interface DegradationOptions {
  /** Feature → the level at which it turns off (it stays off at every level above too). */
  features?: Record<string, DegradationLevel>;
  /** Calm needed before stepping down one level; default 10 000 ms. */
  recoverAfterMs?: number;
  clock?: Clock;
}

/** The degradation level in force, with hysteresis, and the features it leaves on (made by `createDegradation`). */
export interface Degradation {
  /** The state now; reading it applies any step-down that is due, even if its timer was throttled. */
  readonly state: DegradationState;
  readonly state$: Observable<DegradationState>;
  /** Whether `feature` is on at the level in force; a feature not listed in `features` is always on. */
  isAvailable(feature: string): boolean;
  /** Computed input: escalates at once, steps down one level per `recoverAfterMs` of calm. */
  propose(level: DegradationLevel, reasons: string[]): void;
  /** Manual level that wins over proposals until cleared with `null`. */
  override(level: DegradationLevel | null, reason?: string): void;
  /** Stops the step-down timer and completes `state$`. */
  dispose(): void;
}
