export { createRecovery } from './recovery.js';
export type {
  Recovery,
  RecoveryAction,
  RecoveryActionStats,
  RecoveryEvent,
  RecoveryOptions,
  RecoveryOutcome,
  RecoveryRecord,
  RecoveryStats,
} from './types.js';
