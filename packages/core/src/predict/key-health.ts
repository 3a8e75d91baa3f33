import { ErrorWindow } from './error-window.js';
import { EpisodeDetector } from './failure-episodes.js';
import { FrustrationMeter } from './frustration-meter.js';
import { clamp01, LatencyTracker } from './latency-tracker.js';
import { GapStats, MIN_GAPS_FOR_PHI, phi } from './phi-accrual.js';
import { combineRisk, riskLevel } from './risk-score.js';
import type { Prediction, RiskLevel } from './types.js';

/** Calls in the window before its error rate is trusted on its own. */
const MIN_CALLS_FOR_RATE = 5;

export interface HealthSettings {
  latencyAlpha: number;
  slowFactor: number;
  phiThreshold: number;
  errorWindowMs: number;
  episodeFailures: number;
}

/**
 * Everything the predictor knows about one key, in fixed-size fields and typed arrays:
 * memory grows with the number of keys, never with the number of samples.
 */
export class KeyHealth {
  readonly latency: LatencyTracker;
  readonly window: ErrorWindow;
  readonly episodes: EpisodeDetector;
  readonly gaps = new GapStats();
  readonly frustration = new FrustrationMeter();

  /** Weighted share of recent calls that failed, fading with time when calls stop. */
  errorRate = 0;
  private errorRateAt = Number.NaN;
  lastSuccessAt = Number.NaN;
  /** First failure since the last success; NaN while the latest outcome was a success. */
  streakStartAt = Number.NaN;
  lastAt = Number.NEGATIVE_INFINITY;

  // Latest evaluation, kept so reasons can be worded without recomputing.
  latencyScore = 0;
  errorScore = 0;
  silenceScore = 0;
  frustrationScore = 0;
  phiValue = 0;
  silenceMs = 0;
  score = 0;
  level: RiskLevel = 'low';

  // Prediction bookkeeping.
  open: Prediction | undefined = undefined;
  /** False once risk has been high, until it drops again: a prediction is made when risk *turns* high. */
  armed = true;
  emittedLevel: RiskLevel = 'low';
  emittedScore = 0;
  /** When the key was last recorded or signalled, as a sequence number: the predictor forgets the stalest first. */
  observed = 0;

  constructor(
    readonly key: string,
    private readonly settings: HealthSettings,
  ) {
    this.latency = new LatencyTracker(settings.latencyAlpha, settings.slowFactor);
    this.window = new ErrorWindow(settings.errorWindowMs);
    this.episodes = new EpisodeDetector(settings.episodeFailures, settings.errorWindowMs);
  }

  /** A response that proves the dependency alive. */
  success(latencyMs: number, at: number): void {
    this.latency.add(latencyMs, at);
    this.window.add(at, false);
    this.updateErrorRate(0, at);
    if (!Number.isNaN(this.lastSuccessAt)) this.gaps.add(at - this.lastSuccessAt);
    this.lastSuccessAt = at;
    this.streakStartAt = Number.NaN;
    this.episodes.refresh(at);
  }

  /** A failure that says something about the dependency; true when it starts an episode. */
  failure(latencyMs: number, timedOut: boolean, at: number): boolean {
    // Only a timeout's duration says how slow the dependency is; a refused connection fails fast.
    if (timedOut) this.latency.add(latencyMs, at);
    this.window.add(at, true);
    this.updateErrorRate(1, at);
    if (Number.isNaN(this.streakStartAt)) this.streakStartAt = at;
    return this.episodes.failure(at);
  }

  private updateErrorRate(failed: 0 | 1, at: number): void {
    if (!Number.isNaN(this.errorRateAt) && at > this.errorRateAt) {
      this.errorRate *= Math.exp(-(at - this.errorRateAt) / (this.settings.errorWindowMs / 2));
    }
    this.errorRateAt = at;
    this.errorRate += this.settings.latencyAlpha * (failed - this.errorRate);
  }

  /** Recomputes every signal and the score as of `at`. */
  evaluate(at: number, sharedFrustration: FrustrationMeter): void {
    this.episodes.refresh(at);
    this.latencyScore = this.latency.score();

    let errorRate = this.errorRate;
    if (!Number.isNaN(this.errorRateAt) && at > this.errorRateAt) {
      errorRate *= Math.exp(-(at - this.errorRateAt) / (this.settings.errorWindowMs / 2));
    }
    this.window.count(at);
    const windowed =
      this.window.total >= MIN_CALLS_FOR_RATE
        ? clamp01((this.window.failures / this.window.total - 0.1) / 0.4)
        : 0;
    // One failure among successes scores a third, two in a row most of the way: enough to
    // tip an already slow dependency into `high`, not enough on their own.
    this.errorScore = Math.max(clamp01((errorRate - 0.1) / 0.3), windowed);

    this.phiValue = 0;
    this.silenceMs = 0;
    if (
      !Number.isNaN(this.streakStartAt) &&
      !Number.isNaN(this.lastSuccessAt) &&
      this.gaps.count >= MIN_GAPS_FOR_PHI
    ) {
      // Idle time before the failures began counts for at most one usual gap: a user who
      // paused is not a silent server; silence while calls fail is.
      const idleBefore = Math.min(this.streakStartAt - this.lastSuccessAt, this.gaps.mean);
      this.silenceMs = at - this.streakStartAt + idleBefore;
      this.phiValue = phi(this.silenceMs, this.gaps.mean, this.gaps.stdDev);
    }
    this.silenceScore = clamp01(this.phiValue / this.settings.phiThreshold);

    this.frustrationScore = Math.max(this.frustration.score(at), sharedFrustration.score(at));
    this.score = combineRisk({
      latency: this.latencyScore,
      errors: this.errorScore,
      silence: this.silenceScore,
      frustration: this.frustrationScore,
    });
    this.level = riskLevel(this.score);
  }

  /** Human-readable causes of the latest evaluation, strongest first. */
  reasons(sharedFrustration: FrustrationMeter): string[] {
    const found: Array<[number, string]> = [];
    const { errorWindowMs, episodeFailures } = this.settings;
    const windowS = formatSeconds(errorWindowMs);
    if (this.episodes.active) {
      found.push([2, `failing now: ${episodeFailures} or more failures within ${windowS}`]);
    }
    if (this.latencyScore >= 0.25) {
      found.push([
        this.latencyScore,
        `responses ${this.latency.ratio.toFixed(1)}× slower than usual (${Math.round(this.latency.fast)} ms vs ${Math.round(this.latency.baseline)} ms)`,
      ]);
    }
    if (this.errorScore >= 0.25) {
      found.push([
        this.errorScore,
        `${this.window.failures} of ${this.window.total} calls failed in the last ${windowS}`,
      ]);
    }
    if (this.silenceScore >= 0.25) {
      found.push([
        this.silenceScore,
        `no successful response for ${formatSeconds(this.silenceMs)}, usually one every ${formatSeconds(this.gaps.mean)} (φ ${this.phiValue.toFixed(1)})`,
      ]);
    }
    if (this.frustrationScore >= 0.25) {
      const kinds = new Set([...this.frustration.kinds(), ...sharedFrustration.kinds()]);
      found.push([this.frustrationScore, `users show frustration (${[...kinds].join(', ')})`]);
    }
    return found.sort((a, b) => b[0] - a[0]).map(([, text]) => text);
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 || Number.isInteger(s) ? Math.round(s) : s.toFixed(1)} s`;
}
