export { createDegradation, RECOVERING_REASON } from './create-degradation.js';
export { DEGRADATION_LEVELS, levelRank } from './levels.js';
export type { DegradationLevel } from './levels.js';
export type { Degradation, DegradationOptions, DegradationState } from './types.js';
