import type { ConnectivitySnapshot } from '../connectivity/index.js';
import { levelRank, type DegradationLevel } from '../degrade/index.js';
import type { BreakerState } from '../policy/index.js';
import type { RiskSnapshot } from '../predict/index.js';

/** What the default rules look at. */
export interface DegradationInputs {
  connectivity: ConnectivitySnapshot;
  dependencies: Array<{ name: string; critical: boolean; breaker?: BreakerState; risk?: RiskSnapshot }>;
  storage: 'indexeddb' | 'memory' | undefined;
}

/** Reasons the message layer words as "the connection looks unstable" rather than "features paused". */
export const SLOW_CONNECTION_REASON = 'The connection is slow';
export const LIKELY_TO_FAIL = 'is likely to fail soon';

const LEVELS: readonly DegradationLevel[] = ['none', 'minimal', 'moderate', 'severe', 'critical'];

/**
 * The default degradation rules (documented in the README's table):
 * offline or unreachable → severe; a critical dependency's breaker open → moderate;
 * another dependency's breaker open, high predicted risk or a slow connection → minimal;
 * the outbox falling back to memory raises the result one level (unsaved work is at risk).
 */
export function proposeDegradation(inputs: DegradationInputs): {
  level: DegradationLevel;
  reasons: string[];
} {
  let level: DegradationLevel = 'none';
  const reasons: string[] = [];
  const raise = (to: DegradationLevel, reason: string) => {
    if (levelRank(to) > levelRank(level)) level = to;
    reasons.push(reason);
  };

  const { status, quality } = inputs.connectivity;
  if (status === 'offline') raise('severe', 'The device is offline');
  else if (status === 'unreachable') raise('severe', "The server can't be reached");
  if (quality === 'slow') raise('minimal', SLOW_CONNECTION_REASON);

  for (const d of inputs.dependencies) {
    const open = d.breaker === 'open' || d.breaker === 'isolated';
    if (open && d.critical) raise('moderate', `${d.name} is failing and paused (critical)`);
    else if (open) raise('minimal', `${d.name} is failing and paused`);
    if (d.risk?.level === 'high') {
      // A prediction is a warning, not a failure: simplify, but keep every feature that still works.
      raise('minimal', `${d.name} ${LIKELY_TO_FAIL}: ${d.risk.reasons.join('; ')}`);
    }
  }

  if (inputs.storage === 'memory') {
    const raised = LEVELS[Math.min(levelRank(level) + 1, LEVELS.length - 1)] ?? 'critical';
    level = raised;
    reasons.push("This browser can't store changes on the device");
  }
  return { level, reasons };
}
