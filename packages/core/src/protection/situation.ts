import type { ConnectivitySnapshot } from '../connectivity/index.js';
import type { DegradationLevel, DegradationState } from '../degrade/index.js';
import type { DegradationProposal } from './degradation-rules.js';

/**
 * The one lasting situation the user is told about, most important first:
 * - `storage`: changes can't be kept on this device (they live in this tab only);
 * - `offline`: the device has no network;
 * - `unreachable`: the server does not answer (no route, no answer in time, a captive portal);
 * - `server-trouble`: the server answers with errors, or a dependency the app can't do without is paused;
 * - `degraded`: part of the app is paused (a dependency it can do without), or a level was set by hand;
 * - `predicted-trouble`: calls are slowing or failing more often, trouble is likely soon;
 * - `slow`: the device's connection is slow;
 * - `checking`: connectivity is not established yet (nothing to tell);
 * - `ok`: nothing to tell.
 */
export type SituationKind =
  | 'storage'
  | 'offline'
  | 'unreachable'
  | 'server-trouble'
  | 'degraded'
  | 'predicted-trouble'
  | 'slow'
  | 'checking'
  | 'ok';

/** What the user should be told now: every visible part of the SDK reads this one value. */
export interface Situation {
  kind: SituationKind;
  /**
   * The degradation level as the user hears it: the level the current conditions call for,
   * or the level set by hand. Recovery hysteresis is internal: while the level in force
   * steps down after conditions turned healthy, features may stay off a little longer,
   * but the user is not told they are unavailable.
   */
  level: DegradationLevel;
}

/** What `describeSituation` picks the situation from: connectivity, the proposed level and the level in force. */
export interface SituationInputs {
  connectivity: ConnectivitySnapshot;
  proposal: DegradationProposal;
  degradation: DegradationState;
}

/** Picks the situation from one consistent snapshot of its sources (a pure function). */
export function describeSituation({ connectivity, proposal, degradation }: SituationInputs): Situation {
  const level = degradation.manual ? degradation.level : proposal.level;
  const has = (id: DegradationProposal['causes'][number]['id']) => proposal.causes.some((c) => c.id === id);
  const kind = ((): SituationKind => {
    if (has('memory-storage')) return 'storage';
    if (connectivity.status === 'offline') return 'offline';
    if (connectivity.status === 'unreachable') {
      return connectivity.cause === 'server' ? 'server-trouble' : 'unreachable';
    }
    if (has('critical-dependency-paused')) return 'server-trouble';
    if (has('dependency-paused') || (degradation.manual && level !== 'none')) return 'degraded';
    if (has('likely-to-fail')) return 'predicted-trouble';
    if (has('slow-connection')) return 'slow';
    if (connectivity.status === 'unknown') return 'checking';
    return 'ok';
  })();
  return { kind, level };
}
