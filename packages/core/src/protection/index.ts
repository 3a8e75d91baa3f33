export { createProtection, SLOW_CALL_PROBE_MS } from './create-protection.js';
export { proposeDegradation } from './degradation-rules.js';
export type { DegradationCause, DegradationInputs, DegradationProposal } from './degradation-rules.js';
export { describeSituation } from './situation.js';
export type { Situation, SituationInputs, SituationKind } from './situation.js';
export { healthScore } from './health.js';
export type { HealthInputs } from './health.js';
export { MESSAGE_KEYS } from './user-messages.js';
export type {
  DependencyOptions,
  DependencyStatus,
  ProtectedResult,
  Protection,
  ProtectionEvent,
  ProtectionOptions,
  ProtectionParts,
  ProtectionStatus,
  ProtectOptions,
} from './types.js';
