/**
 * Phi accrual suspicion (Hayashibara et al.; the detector Akka and Cassandra use):
 * φ = −log10(1 − F(silence)), where F is the normal CDF fitted to the usual gaps between
 * successful responses. φ = 1 means a 10 % chance that a gap this long is still normal,
 * φ = 8 (Akka's threshold) about one in a hundred million.
 *
 * F uses the logistic approximation of the normal CDF (Bowling et al. 2009), as Akka does;
 * the tail is computed in log space so a long silence gives a large finite φ instead of
 * `Infinity` from an underflowing `exp`.
 */
export function phi(silenceMs: number, meanMs: number, stdDevMs: number): number {
  const y = (silenceMs - meanMs) / stdDevMs;
  // 1 − F(silence) ≈ 1 / (1 + exp(k)), so φ = log10(1 + exp(k)).
  const k = y * (1.5976 + 0.070566 * y * y);
  return k > 0 ? (k + Math.log1p(Math.exp(-k))) / Math.LN10 : Math.log1p(Math.exp(k)) / Math.LN10;
}

/** Akka's `min-std-deviation`: too small a spread would make ordinary jitter look like a failure. */
export const MIN_GAP_STD_DEV_MS = 100;

/**
 * A browser's calls follow the user, so their gaps are closer to exponential (spread ≈ mean)
 * than to a heartbeat's. Very regular traffic (polling) would otherwise teach a spread so
 * narrow that two quick failures already look like a dead server.
 */
export const MIN_RELATIVE_GAP_STD_DEV = 0.5;

/** Gaps fewer than this many give no trustworthy spread, so φ stays 0 until then. */
export const MIN_GAPS_FOR_PHI = 5;

/** Weight of a new gap in the exponentially weighted mean and variance. */
const GAP_ALPHA = 0.1;

/**
 * Exponentially weighted mean and variance of the gaps between successful responses, in O(1)
 * memory (Akka keeps the last 1 000 gaps; a weighted average keeps the bound per key constant).
 */
export class GapStats {
  count = 0;
  mean = 0;
  variance = 0;

  add(gapMs: number): void {
    let gap = gapMs;
    if (this.count >= MIN_GAPS_FOR_PHI) {
      // A browser's calls follow the user, not a heartbeat: an idle pause is not a slow server.
      // Capping keeps one coffee break from teaching the detector that minutes of silence are normal.
      const cap = Math.max(3 * this.mean, this.mean + 3 * Math.sqrt(this.variance));
      if (gap > cap) gap = cap;
    }
    this.count += 1;
    if (this.count === 1) {
      this.mean = gap;
      this.variance = 0;
      return;
    }
    const diff = gap - this.mean;
    this.mean += GAP_ALPHA * diff;
    this.variance = (1 - GAP_ALPHA) * (this.variance + GAP_ALPHA * diff * diff);
  }

  get stdDev(): number {
    return Math.max(MIN_GAP_STD_DEV_MS, MIN_RELATIVE_GAP_STD_DEV * this.mean, Math.sqrt(this.variance));
  }
}
