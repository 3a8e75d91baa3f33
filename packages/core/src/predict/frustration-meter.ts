import type { FrustrationKind } from './types.js';

/** How fast frustration fades: a burst of rage clicks matters for tens of seconds, not minutes. */
export const FRUSTRATION_TIME_CONSTANT_MS = 20_000;

/** Recent signals (decayed) at which frustration scores fully. */
const SIGNALS_FOR_FULL_SCORE = 3;

const KIND_BITS: Readonly<Record<FrustrationKind, number>> = {
  'rage-click': 1,
  'repeat-submit': 2,
  'retry-click': 4,
  abandon: 8,
};

export const FRUSTRATION_KINDS = Object.keys(KIND_BITS) as FrustrationKind[];

/** An exponentially decaying count of frustration signals: O(1) memory however many arrive. */
export class FrustrationMeter {
  private value = 0;
  private at = Number.NaN;
  private kindBits = 0;

  add(kind: FrustrationKind, at: number): void {
    this.value = this.valueAt(at) + 1;
    // Kinds are remembered only while the meter has not faded, so reasons name recent behaviour.
    this.kindBits = (this.value > 1.05 ? this.kindBits : 0) | KIND_BITS[kind];
    this.at = Number.isNaN(this.at) ? at : Math.max(this.at, at);
  }

  valueAt(at: number): number {
    if (this.value === 0) return 0;
    const dt = at - this.at;
    return dt <= 0 ? this.value : this.value * Math.exp(-dt / FRUSTRATION_TIME_CONSTANT_MS);
  }

  /** 0 … 1 */
  score(at: number): number {
    return Math.min(1, this.valueAt(at) / SIGNALS_FOR_FULL_SCORE);
  }

  kinds(): FrustrationKind[] {
    return FRUSTRATION_KINDS.filter((k) => (this.kindBits & KIND_BITS[k]) !== 0);
  }
}
