import { MAX_TIMER_MS } from './clock.js';

// The production build does not check options (see dev.ts). A count, rate or duration that
// cannot be meant (NaN, 0 probes, a window of 2.5 calls) falls back to its default there, so a
// typo degrades to the documented behaviour instead of locking a policy up or spinning a timer.

/** `value` when it is a whole number ≥ `min` (or `Infinity`, when `infinite`), else `fallback`. */
export function countOr(value: number | undefined, fallback: number, min = 1, infinite = false): number {
  if (value === Infinity) return infinite ? value : fallback;
  return Number.isInteger(value) && (value as number) >= min ? (value as number) : fallback;
}

/** `value` when it is a rate in (0, 1], else `fallback`. */
export function rateOr(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 && value <= 1 ? value : fallback;
}

/** `value` when it is a duration ≥ `min` ms that a timer can hold, else `fallback`. */
export function msOr(value: number | undefined, fallback: number, min = 0): number {
  return value !== undefined && value >= min && value <= MAX_TIMER_MS ? value : fallback;
}

/** `value` when it is at least `min` (so never NaN; `Infinity` passes), else `fallback`. */
export function atLeastOr(value: number | undefined, min: number, fallback: number): number {
  return value !== undefined && value >= min ? value : fallback;
}
