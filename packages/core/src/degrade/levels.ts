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

const RANK: Readonly<Record<DegradationLevel, number>> = {
  none: 0,
  minimal: 1,
  moderate: 2,
  severe: 3,
  critical: 4,
};

/** 0 for `none` … 4 for `critical`, so levels compare as numbers. */
export function levelRank(level: DegradationLevel): number {
  return RANK[level];
}

/** The level one step milder, or `none` when already there. */
export function levelBelow(level: DegradationLevel): DegradationLevel {
  return DEGRADATION_LEVELS[Math.max(0, RANK[level] - 1)] ?? 'none';
}

/** The more severe of two levels. */
export function maxLevel(a: DegradationLevel, b: DegradationLevel): DegradationLevel {
  return RANK[a] >= RANK[b] ? a : b;
}
