/** Samples that form the first "normal" (median and spread of their log-latency). */
export const LATENCY_WARMUP_SAMPLES = 8;

/**
 * How long "normal" takes to follow a lasting change, as a time constant so that it adapts
 * at the same pace whatever the call rate: a slow drift over tens of minutes becomes the new
 * normal, a climb over a minute or two stays a deviation from it.
 */
export const BASELINE_TIME_CONSTANT_MS = 240_000;

/**
 * Calls that complete within this long of the first of them are one observation: a stall
 * that releases a queue of calls at once is one event, not a trend of many slow answers.
 */
export const CLUMP_MS = 300;

/** Log-latency spread below which jitter would look like a shift (about ±10 %). */
const MIN_SPREAD = 0.1;
/** One observation moves the evidence by at most this many spreads: one huge outlier is one outlier. */
const MAX_Z = 3;
/** Allowance per observation, in spreads: shifts smaller than this never accumulate. */
const ALLOWANCE = 1;
/** A gap this long between samples (a background tab, an idle user) starts the evidence afresh. */
const RESET_GAP_MS = 90_000;
/** Evidence is capped at this many thresholds, so that it fades within a few normal observations. */
const MAX_EVIDENCE_THRESHOLDS = 2;
/** A shift that lasts this long without an outage is the new normal: "normal" learns at full pace again. */
const FREEZE_MAX_MS = 120_000;
/** Until this many samples, "normal" learns at least as fast as a plain mean would, so a rough first guess is soon corrected. */
const FAST_LEARNING_SAMPLES = 40;
/** Weight of an observation in the recent level (an average of the last few observations' z-scores). */
const LEVEL_WEIGHT = 0.3;
/**
 * An observation stands for the time since the one before it, up to twice this long: with
 * sparse traffic (one call every 10–20 s) two slow answers in a row are as much evidence as
 * four in a few seconds of dense traffic. Persistence is judged in time as well as in counts.
 */
const OBSERVATION_SPAN_MS = 5_000;
const MAX_OBSERVATION_WEIGHT = 2;
/** Largest log-ratio one observation brings to the level (30×). */
const MAX_LOG_RATIO = Math.log(30);

/**
 * Sustained latency shift of one key, as a one-sided CUSUM over log-latency measured in
 * robust spreads against a long, robust per-key baseline (median and mean absolute deviation,
 * followed by Huber steps weighted by elapsed time). Evidence must persist over observations
 * *and* time before it counts; see `persistent()`.
 */
export class LatencyShift {
  count = 0;
  /** Normal log-latency (median-like) and its spread. */
  center = 0;
  spread = MIN_SPREAD;
  /** CUSUM of the observations' z-scores minus the allowance; 0 when nothing builds up. */
  evidence = 0;
  /** When the current build-up began and how many observations it holds, how many of them slow. */
  runStartAt = Number.NaN;
  runObservations = 0;
  runSlow = 0;
  /** Recent level: a weighted average of the last few observations' log-latency over normal. */
  level = 0;
  private levelBefore = 0;
  /** Latest observed latency over normal, for reasons. */
  get recentRatio(): number {
    return Math.exp(this.level);
  }

  private readonly warmup = new Float64Array(LATENCY_WARMUP_SAMPLES);
  private lastAt = Number.NaN;
  // The open clump: evidence before it, its start, the sum and count of its z-scores.
  private clumpAt = Number.NEGATIVE_INFINITY;
  private clumpBefore = 0;
  private clumpSum = 0;
  private clumpN = 0;
  private clumpLogSum = 0;
  private clumpWeight = 1;
  private clumpOpenedRun = false;

  /** `threshold` is the evidence, in spreads, at which a shift is established. */
  constructor(private readonly threshold: number) {}

  add(latencyMs: number, at: number): void {
    const y = Math.log(Math.max(latencyMs, 1));
    const dt = Number.isNaN(this.lastAt) ? 0 : at - this.lastAt;
    this.lastAt = at;
    if (this.count < LATENCY_WARMUP_SAMPLES) {
      this.warmup[this.count] = y;
      this.count += 1;
      if (this.count === LATENCY_WARMUP_SAMPLES) this.initialise();
      return;
    }
    this.count += 1;
    if (dt > RESET_GAP_MS) this.reset();

    const z = Math.max(-MAX_Z, Math.min(MAX_Z, (y - this.center) / this.spread));
    // Log-ratio to normal, bounded so one absurd sample cannot carry the level alone.
    const logRatio = Math.max(-MAX_LOG_RATIO, Math.min(MAX_LOG_RATIO, y - this.center));
    if (at - this.clumpAt < CLUMP_MS) {
      this.clumpSum += z;
      this.clumpLogSum += logRatio;
      this.clumpN += 1;
    } else {
      this.clumpWeight = Math.min(
        MAX_OBSERVATION_WEIGHT,
        Math.max(1, (at - this.clumpAt) / OBSERVATION_SPAN_MS),
      );
      this.clumpAt = at;
      this.clumpBefore = this.evidence;
      this.levelBefore = this.level;
      this.clumpSum = z;
      this.clumpLogSum = logRatio;
      this.clumpN = 1;
      this.clumpOpenedRun = false;
    }
    const mean = this.clumpSum / this.clumpN;
    // An observation that stands for more time weighs more in the level too.
    const levelWeight = 1 - (1 - LEVEL_WEIGHT) ** this.clumpWeight;
    this.level = this.levelBefore + levelWeight * (this.clumpLogSum / this.clumpN - this.levelBefore);
    const next = Math.min(
      MAX_EVIDENCE_THRESHOLDS * this.threshold,
      Math.max(0, this.clumpBefore + this.clumpWeight * (mean - ALLOWANCE)),
    );
    if (this.clumpN === 1) {
      if (next > 0 && this.clumpBefore === 0) {
        this.runStartAt = at;
        this.runObservations = 0;
        this.runSlow = 0;
        this.clumpOpenedRun = true;
      }
      if (next > 0 || this.clumpBefore > 0) {
        this.runObservations += 1;
        if (mean > ALLOWANCE) this.runSlow += 1;
      }
    } else if (this.clumpOpenedRun || this.clumpBefore > 0) {
      // The clump's observation was counted at its first call; re-judge whether it is slow.
      const wasSlow = (this.clumpSum - z) / (this.clumpN - 1) > ALLOWANCE;
      this.runSlow += (mean > ALLOWANCE ? 1 : 0) - (wasSlow ? 1 : 0);
    }
    this.evidence = next;
    if (next === 0) {
      this.runStartAt = Number.NaN;
      this.runObservations = 0;
      this.runSlow = 0;
    }
    this.learn(y, dt, at);
  }

  /**
   * Whether a shift is established: enough evidence, from at least two observations over
   * `minMs`, mostly slow, and the recent level at least `minRatio` × normal.
   */
  persistent(at: number, minMs: number, minRatio: number): boolean {
    return (
      !this.stale(at) &&
      this.evidence >= this.threshold &&
      this.level >= Math.log(minRatio) &&
      this.runObservations >= 2 &&
      at - this.runStartAt >= minMs &&
      this.runSlow * 3 >= this.runObservations * 2
    );
  }

  /** 0 … 1: how far the evidence has built up towards the threshold. */
  score(at: number): number {
    if (this.count < LATENCY_WARMUP_SAMPLES || this.stale(at)) return 0;
    return Math.min(1, this.evidence / this.threshold);
  }

  /** No sample for so long that the evidence says nothing about now (the next sample restarts it). */
  private stale(at: number): boolean {
    return at - this.lastAt > RESET_GAP_MS;
  }

  get warm(): boolean {
    return this.count >= LATENCY_WARMUP_SAMPLES;
  }

  /** Normal latency in ms (the baseline's median). */
  get normalMs(): number {
    return Math.exp(this.center);
  }

  /** Forgets the evidence (an outage explains it, or a long gap makes it stale); "normal" stays. */
  reset(): void {
    this.evidence = 0;
    this.level = 0;
    this.runStartAt = Number.NaN;
    this.runObservations = 0;
    this.runSlow = 0;
    this.clumpAt = Number.NEGATIVE_INFINITY;
  }

  private initialise(): void {
    const sorted = Array.from(this.warmup).sort((a, b) => a - b);
    const mid = LATENCY_WARMUP_SAMPLES / 2;
    this.center = ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    const deviations = sorted.map((v) => Math.abs(v - this.center)).sort((a, b) => a - b);
    // Median absolute deviation, scaled to a normal's standard deviation.
    this.spread = Math.max(MIN_SPREAD, 1.4826 * (((deviations[mid - 1] ?? 0) + (deviations[mid] ?? 0)) / 2));
  }

  /**
   * Huber steps towards the new sample, weighted by the time it covers: calls that finish
   * together teach nothing extra, and while a shift is building up "normal" learns ten
   * times slower (for at most two minutes), so that a climb is judged against what came before it.
   */
  private learn(y: number, dt: number, at: number): void {
    let w = 1 - Math.exp(-Math.min(dt, 30_000) / BASELINE_TIME_CONSTANT_MS);
    if (this.count < FAST_LEARNING_SAMPLES) w = Math.max(w, 1 / this.count);
    if (this.evidence >= this.threshold / 2 && at - this.runStartAt < FREEZE_MAX_MS) w /= 10;
    if (w <= 0) return;
    const d = (y - this.center) / this.spread;
    this.center += w * this.spread * Math.max(-1.5, Math.min(1.5, d));
    // Mean absolute deviation of a normal is 0.8 σ; clipped so a tail does not widen "normal".
    const abs = Math.min(Math.abs(d), MAX_Z) * this.spread;
    this.spread = Math.max(MIN_SPREAD, this.spread + w * (abs / 0.798 - this.spread));
  }
}
