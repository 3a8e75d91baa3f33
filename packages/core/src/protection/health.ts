import type { ConnectivitySnapshot } from '../connectivity/index.js';
import type { BreakerState } from '../policy/index.js';
import type { OutboxStats } from '../outbox/index.js';

/** What the health score looks at. */
export interface HealthInputs {
  connectivity: ConnectivitySnapshot;
  dependencies: Array<{ critical: boolean; breaker?: BreakerState; riskScore?: number }>;
  outbox?: OutboxStats;
}

const CONNECTIVITY_FACTOR = { online: 1, unknown: 0.9, unreachable: 0.3, offline: 0.2 } as const;

/**
 * Health, 0–100: 100 × the product of factors, each in (0, 1] (README, "Health"):
 * connectivity (online 1, unknown 0.9, unreachable 0.3, offline 0.2; slow ×0.85);
 * per dependency, its breaker (open or isolated: critical ×0.5, other ×0.8; half-open ×0.9)
 * and its predicted risk r (×(1 − 0.5·r)); the outbox (dead entries ×0.9, memory storage ×0.8,
 * paused for sign-in ×0.9). Factors multiply so that independent troubles compound.
 */
export function healthScore(inputs: HealthInputs): number {
  let health = CONNECTIVITY_FACTOR[inputs.connectivity.status];
  if (inputs.connectivity.quality === 'slow') health *= 0.85;
  for (const d of inputs.dependencies) {
    if (d.breaker === 'open' || d.breaker === 'isolated') health *= d.critical ? 0.5 : 0.8;
    else if (d.breaker === 'half-open') health *= 0.9;
    if (d.riskScore !== undefined) health *= 1 - 0.5 * Math.min(1, Math.max(0, d.riskScore));
  }
  const outbox = inputs.outbox;
  if (outbox) {
    if (outbox.dead > 0) health *= 0.9;
    if (outbox.storage === 'memory') health *= 0.8;
    if (outbox.paused) health *= 0.9;
  }
  return Math.round(health * 100);
}
