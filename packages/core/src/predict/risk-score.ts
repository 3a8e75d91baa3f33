import type { RiskLevel } from './types.js';

/** Score at which risk is `elevated`: worth a glance, not worth a prediction. */
export const ELEVATED_RISK = 0.4;
/** Score at which risk is `high` and a prediction is made. */
export const HIGH_RISK = 0.7;

/**
 * How much each signal can contribute. The score only shows how far evidence has built up;
 * whether risk is `high` is decided by the change detectors (see `KeyHealth.evaluate`), so
 * these weights shape `risk$`, not when predictions are made.
 */
export const RISK_WEIGHTS = {
  latency: 0.8,
  errors: 0.8,
  frustration: 0.3,
} as const;

/** The signals, each 0 … 1 before weighting. */
export interface RiskSignals {
  latency: number;
  errors: number;
  frustration: number;
}

/** Combines signals as independent pieces of evidence (a noisy-OR): the score never exceeds 1. */
export function combineRisk(s: RiskSignals): number {
  return (
    1 -
    (1 - RISK_WEIGHTS.latency * s.latency) *
      (1 - RISK_WEIGHTS.errors * s.errors) *
      (1 - RISK_WEIGHTS.frustration * s.frustration)
  );
}

export function riskLevel(score: number): RiskLevel {
  return score >= HIGH_RISK ? 'high' : score >= ELEVATED_RISK ? 'elevated' : 'low';
}
