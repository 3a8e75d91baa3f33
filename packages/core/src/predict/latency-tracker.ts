/** Samples before the latency signal speaks: a normal needs a few observations to mean anything. */
export const LATENCY_WARMUP_SAMPLES = 10;

/**
 * How long the "normal" latency takes to follow a lasting change (a slower release, a
 * different network): a time constant, so it adapts at the same pace whatever the call rate.
 */
export const BASELINE_TIME_CONSTANT_MS = 300_000;

/** Fast average over normal above which the baseline all but stops learning. */
export const ELEVATED_RATIO = 1.5;

/**
 * The latency score is full at this many `slowFactor`s over normal. At 1 × (3× normal by
 * default) a slowdown is already visible, but in the evaluation traces it is too early to
 * say the outage will come within the 30 s horizon; at 2 × it usually does.
 */
export const FULL_SCORE_SLOW_FACTORS = 2;

/**
 * Latency per key: a fast EWMA (weight `alpha`, as the contract names `latencyAlpha`) with
 * its exponentially weighted variance, a slow baseline that says what "normal" is, and the
 * weighted share of recent calls slower than `slowFactor` × normal.
 *
 * Why two signals: a fast average jumps on one garbage-collection pause, while the slow-call
 * share needs several slow calls in a row to rise. Trouble that precedes an outage shows in
 * both; a lone spike shows in one.
 */
export class LatencyTracker {
  count = 0;
  fast = 0;
  fastVariance = 0;
  baseline = 0;
  slowShare = 0;
  private lastAt = Number.NaN;

  constructor(
    private readonly alpha: number,
    private readonly slowFactor: number,
  ) {}

  add(latencyMs: number, at: number): void {
    this.count += 1;
    if (this.count === 1) {
      this.fast = latencyMs;
      this.baseline = latencyMs;
      this.lastAt = at;
      return;
    }
    const slow = latencyMs > this.slowFactor * this.baseline ? 1 : 0;
    this.slowShare += this.alpha * (slow - this.slowShare);
    const diff = latencyMs - this.fast;
    this.fast += this.alpha * diff;
    this.fastVariance = (1 - this.alpha) * (this.fastVariance + this.alpha * diff * diff);
    if (this.count <= LATENCY_WARMUP_SAMPLES) {
      // A plain mean while warming up, so the first samples agree on "normal" quickly.
      this.baseline += (latencyMs - this.baseline) / this.count;
    } else {
      // Clipped so an incident's slow calls barely move "normal" while they are being judged against it.
      const clipped = Math.min(latencyMs, this.slowFactor * this.baseline);
      let weight = 1 - Math.exp(-(at - this.lastAt) / BASELINE_TIME_CONSTANT_MS);
      // While latency is visibly off, "normal" learns ten times slower: a slow ramp must not
      // teach the baseline that it is normal before it has been judged against it.
      if (this.fast > ELEVATED_RATIO * this.baseline) weight /= 10;
      this.baseline += weight * (clipped - this.baseline);
    }
    this.lastAt = at;
  }

  /** Fast average over normal; 1 until warmed up. */
  get ratio(): number {
    if (this.count < LATENCY_WARMUP_SAMPLES || this.baseline <= 0) return 1;
    return this.fast / this.baseline;
  }

  /**
   * 0 … 1: how strongly latency says trouble. It rises from normal and is full when the
   * fast average reaches 2 × `slowFactor` × normal while at least half of recent calls are
   * slower than `slowFactor` × normal.
   */
  score(): number {
    if (this.count < LATENCY_WARMUP_SAMPLES) return 0;
    const byRatio = clamp01((this.ratio - 1) / (FULL_SCORE_SLOW_FACTORS * this.slowFactor - 1));
    const byShare = clamp01(this.slowShare / 0.5);
    return byRatio * byShare;
  }
}

export function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}
