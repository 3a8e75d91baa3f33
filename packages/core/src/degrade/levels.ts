/** How far the app has stepped back from full service, mildest first. */
export type DegradationLevel = 'none' | 'minimal' | 'moderate' | 'severe' | 'critical';

/** Every level in ascending order of severity; a level's index is its rank. */
export const DEGRADATION_LEVELS: readonly DegradationLevel[] = [
  'none',
  'minimal',
  'moderate',
  'severe',
  'critical',
];

/** 0 for `none` … 4 for `critical`, so levels compare as numbers. */
export function levelRank(level: DegradationLevel): number {
  return DEGRADATION_LEVELS.indexOf(level);
}

/** The level `by` steps from `level` (negative: milder), kept within `none` … `critical`. */
export function levelStep(level: DegradationLevel, by: number): DegradationLevel {
  return DEGRADATION_LEVELS[Math.min(4, Math.max(0, levelRank(level) + by))] as DegradationLevel;
}
