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

/**
 * Why a level was proposed, as an id the message layer keys on (never on the reason's text).
 * `dependency` names the dependency for the causes that have one.
 */
export type DegradationCause =
  | { id: 'offline' }
  | { id: 'unreachable' }
  | { id: 'slow-connection' }
  | { id: 'critical-dependency-paused'; dependency: string }
  | { id: 'dependency-paused'; dependency: string }
  | { id: 'likely-to-fail'; dependency: string }
  | { id: 'memory-storage' };

/** The level the default degradation rules propose for the current situation, and what led to it. */
export interface DegradationProposal {
  level: DegradationLevel;
  /** For developers: the degradation state's reasons, the dashboard and `events$`. */
  reasons: string[];
  causes: DegradationCause[];
}

const LEVELS: readonly DegradationLevel[] = ['none', 'minimal', 'moderate', 'severe', 'critical'];

/**
 * The default degradation rules (documented in the README's table):
 * offline or unreachable → severe; a critical dependency's breaker open → moderate;
 * another dependency's breaker open, high predicted risk or a slow connection → minimal;
 * the outbox falling back to memory raises the result one level (unsaved work is at risk).
 */
export function proposeDegradation(inputs: DegradationInputs): DegradationProposal {
  let level: DegradationLevel = 'none';
  const reasons: string[] = [];
  const causes: DegradationCause[] = [];
  const raise = (to: DegradationLevel, cause: DegradationCause, reason: string) => {
    if (levelRank(to) > levelRank(level)) level = to;
    causes.push(cause);
    reasons.push(reason);
  };

  const { status, quality } = inputs.connectivity;
  if (status === 'offline') raise('severe', { id: 'offline' }, 'The device is offline');
  else if (status === 'unreachable') raise('severe', { id: 'unreachable' }, "The server can't be reached");
  if (quality === 'slow') raise('minimal', { id: 'slow-connection' }, 'The connection is slow');

  for (const d of inputs.dependencies) {
    const open = d.breaker === 'open' || d.breaker === 'isolated';
    if (open && d.critical) {
      raise(
        'moderate',
        { id: 'critical-dependency-paused', dependency: d.name },
        `${d.name} is failing and paused (critical)`,
      );
    } else if (open) {
      raise('minimal', { id: 'dependency-paused', dependency: d.name }, `${d.name} is failing and paused`);
    }
    if (d.risk?.level === 'high') {
      // A prediction is a warning, not a failure: simplify, but keep every feature that still works.
      raise(
        'minimal',
        { id: 'likely-to-fail', dependency: d.name },
        `${d.name} is likely to fail soon: ${d.risk.reasons.join('; ')}`,
      );
    }
  }

  if (inputs.storage === 'memory') {
    const raised = LEVELS[Math.min(levelRank(level) + 1, LEVELS.length - 1)] ?? 'critical';
    level = raised;
    causes.push({ id: 'memory-storage' });
    reasons.push("This browser can't store changes on the device");
  }
  return { level, reasons, causes };
}
