import type { RiskLevel } from './types.js';

/** Score at which risk is `elevated`: worth a glance, not worth a prediction. */
export const ELEVATED_RISK = 0.4;
/** Score at which risk is `high` and a prediction is made. */
export const HIGH_RISK = 0.7;

/**
 * How much each signal can contribute on its own. Only sustained slowness, the signal that
 * most often runs ahead of an outage, can reach `high` alone; errors, silence and
 * frustration each need a second signal, because on their own they are as often a blip as
 * the start of an incident.
 */
export const RISK_WEIGHTS = {
  latency: 0.8,
  errors: 0.6,
  silence: 0.6,
  frustration: 0.35,
} as const;

/** The four signals, each 0 … 1 before weighting. */
export interface RiskSignals {
  latency: number;
  errors: number;
  silence: number;
  frustration: number;
}

/**
 * Combines signals as independent pieces of evidence (a noisy-OR): each closes part of the
 * remaining gap to 1, so two moderate signals outweigh one, and the score never exceeds 1.
 */
export function combineRisk(s: RiskSignals): number {
  return (
    1 -
    (1 - RISK_WEIGHTS.latency * s.latency) *
      (1 - RISK_WEIGHTS.errors * s.errors) *
      (1 - RISK_WEIGHTS.silence * s.silence) *
      (1 - RISK_WEIGHTS.frustration * s.frustration)
  );
}

export function riskLevel(score: number): RiskLevel {
  return score >= HIGH_RISK ? 'high' : score >= ELEVATED_RISK ? 'elevated' : 'low';
}
