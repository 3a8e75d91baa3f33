import { ErrorRateShift } from './error-rate-shift.js';
import { FrustrationMeter } from './frustration-meter.js';
import { LatencyShift } from './latency-shift.js';
import { OutageDetector } from './outage-detector.js';
import { OutageTracker } from './outage-tracker.js';
import { combineRisk, HIGH_RISK, riskLevel } from './risk-score.js';
import type { Prediction, RiskLevel } from './types.js';

export interface HealthSettings {
  errorWindowMs: number;
  episodeFailures: number;
  /** Evidence (latency CUSUM, in robust spreads) at which a latency shift is established. */
  latencyThreshold: number;
  /** Evidence (error-rate CUSUM, log-likelihood ratio) at which a rising failure rate is established. */
  errorThreshold: number;
  /** Evidence must have built up over at least this long. */
  persistMs: number;
  /** Latency must be at least this many times normal (recent level) for a shift to count. */
  minLatencyRatio: number;
}

/** During an outage, a successful probe this long after the last failure means it is over for the score. */
const QUIET_AFTER_FAILURE_MS = 5_000;

/**
 * A failure episode that an answer ends within this long of its first failure, with at most
 * `SHORT_EPISODE_FAILURES` failures, was a few failures in a row among answers: under a rising
 * failure rate that happens well before the outage, and the evidence it put aside comes back
 * with its failures added, instead of the episode swallowing the warning.
 */
const SHORT_EPISODE_MS = 10_000;
const SHORT_EPISODE_FAILURES = 6;

/** Mean time between a key's samples above which its traffic is sparse, and reasons say so. */
const SPARSE_GAP_MS = 5_000;

/**
 * Everything the predictor knows about one key, in fixed-size fields: memory grows with the
 * number of keys, never with the number of samples.
 */
export class KeyHealth {
  readonly calls: LatencyShift;
  /** Connectivity probes: their own latency normal (a health check is not an API call). */
  readonly probes: LatencyShift;
  readonly errors: ErrorRateShift;
  /** The predictor's own failure episode (a run of failures): it explains evidence away. */
  readonly outages: OutageTracker;
  /** The outage predictions are scored against (see `OutageDetector`), apart from the episode. */
  readonly scoring = new OutageDetector();
  readonly frustration = new FrustrationMeter();
  lastAt = Number.NEGATIVE_INFINITY;
  /** Weighted mean time between samples (calls and probes), to tell sparse traffic. */
  meanGapMs = 0;
  /** When a probe last succeeded: the backend answering again. */
  private lastProbeOkAt = Number.NEGATIVE_INFINITY;
  /** An outage under way with recent failures and no sign of recovery (see `evaluate`). */
  failingNow = false;
  /** When the latest outage ended (its first answered call); calls started before then belong to it. */
  private outageEndedAt = Number.NEGATIVE_INFINITY;
  private lastSampleAt = Number.NaN;
  probeSamples = 0;
  /** When the failures of the current episode after the one that opened it came; bounded. */
  private readonly episodeFailureTimes: number[] = [];

  // Latest evaluation, kept so reasons can be worded without recomputing.
  latencyScore = 0;
  errorScore = 0;
  frustrationScore = 0;
  latencyShift = false;
  probeShift = false;
  errorShift = false;
  score = 0;
  level: RiskLevel = 'low';

  // Prediction bookkeeping.
  open: Prediction | undefined = undefined;
  armed = true;
  emittedLevel: RiskLevel = 'low';
  emittedScore = 0;
  /** When the key was last recorded or signalled, as a sequence number: the predictor forgets the stalest first. */
  observed = 0;

  constructor(
    readonly key: string,
    private readonly settings: HealthSettings,
  ) {
    this.calls = new LatencyShift(settings.latencyThreshold);
    this.probes = new LatencyShift(settings.latencyThreshold);
    this.errors = new ErrorRateShift(settings.errorThreshold);
    this.outages = new OutageTracker(settings.episodeFailures, settings.errorWindowMs);
  }

  private gap(at: number): void {
    if (!Number.isNaN(this.lastSampleAt)) {
      const dt = Math.min(at - this.lastSampleAt, 60_000);
      this.meanGapMs += 0.2 * (dt - this.meanGapMs);
    }
    this.lastSampleAt = at;
  }

  /**
   * A call's outcome. `answered`: the dependency replied (a success or a client error).
   * Returns true when it makes a scored outage (see `OutageDetector`).
   */
  call(answered: boolean, latencyMs: number, timedLatency: boolean, at: number): boolean {
    this.gap(at);
    this.refreshEpisode(at);
    if (answered) {
      // Whether the episode belongs to a scored outage: one this answer ends, or a stretch of
      // failures that even with this answer may still become one (see `episodeEnded`).
      const inOutage = this.scoring.active;
      this.scoring.answer();
      if (!this.outages.active || this.episodeEnded(at, inOutage || this.scoring.pending))
        this.errors.add(false, at);
      if (timedLatency) this.calls.add(latencyMs, at);
      this.outages.success();
      return false;
    }
    const scored = this.scoring.failure(at);
    if (this.outages.active) {
      this.episodeFailure(at);
      return scored;
    }
    // A call that started before the outage ended (one that hung until its timeout) failed
    // because of the outage: no evidence of trouble to come.
    if (at - latencyMs >= this.outageEndedAt) this.errors.add(true, at);
    this.failed(at);
    return scored;
  }

  private failed(at: number): void {
    if (this.outages.failure(at)) {
      // The episode explains the evidence; what comes after it is judged afresh, unless it
      // proves short (see `episodeEnded`).
      this.calls.reset();
      this.probes.reset();
      this.errors.setAside();
      this.episodeFailureTimes.length = 0;
    }
  }

  /** A failure during an episode. */
  private episodeFailure(at: number): void {
    this.outages.failure(at);
    // Only a short episode's failures are ever replayed: no more than it may hold are kept.
    if (this.episodeFailureTimes.length < SHORT_EPISODE_FAILURES) this.episodeFailureTimes.push(at);
  }

  /**
   * Ends the episode once `errorWindowMs` has passed without a failure. Done before each sample
   * is taken, not only when risk is evaluated, so that reading `risk()` between samples changes
   * nothing: otherwise an episode that had run out was still "under way" for the next sample
   * unless someone had looked, and an answer could replay its failures, or a failure be taken
   * as one of its own and add no evidence. An episode that ran out was not ended by an answer,
   * so it is no short one: what it put aside stays explained away.
   */
  private refreshEpisode(at: number): void {
    if (!this.outages.refresh(at)) return;
    this.errors.discard();
    this.episodeFailureTimes.length = 0;
  }

  /** Whether the episode under way, if an answer ended it at `at`, was short. */
  private shortEpisode(at: number): boolean {
    return this.outages.run <= SHORT_EPISODE_FAILURES && at - this.outages.runStartAt <= SHORT_EPISODE_MS;
  }

  /**
   * An answer ends the episode. A short one was part of a rising failure rate: its evidence
   * comes back with its failures. After a longer one, what the outage did is no evidence of
   * what comes next, and calls that started before its end failed because of it. So too after
   * a short one that is part of a scored outage (`inOutage`): a dependency that flaps, four
   * failures and an answer over and over, is down by the scoring definition, and each answer
   * re-arming it made a prediction that the outage's own next failure "confirmed" a second
   * later, or that could only be late. Returns whether it was short.
   */
  private episodeEnded(at: number, inOutage: boolean): boolean {
    const short = !inOutage && this.shortEpisode(at);
    if (short) {
      this.errors.restore();
      for (const t of this.episodeFailureTimes) this.errors.add(true, t);
      // Risk was high for the episode; high from its evidence now is news, worth a prediction.
      this.armed = true;
    } else {
      this.errors.discard();
      this.outageEndedAt = at;
    }
    this.episodeFailureTimes.length = 0;
    return short;
  }

  /**
   * A connectivity probe's outcome: evidence like a call's. A failed probe counts like a failed
   * call, in the episode and in the scored outage; returns true when it makes a scored outage.
   */
  probe(ok: boolean, latencyMs: number, at: number): boolean {
    this.gap(at);
    this.refreshEpisode(at);
    this.probeSamples += 1;
    const scored = ok ? false : this.scoring.failure(at);
    if (this.outages.active) {
      if (ok) this.lastProbeOkAt = at;
      else this.episodeFailure(at);
      return scored;
    }
    this.errors.add(!ok, at);
    if (ok) {
      this.lastProbeOkAt = at;
      this.probes.add(latencyMs, at);
      return scored;
    }
    this.failed(at);
    return scored;
  }

  /** Recomputes every signal and the score as of `at`. */
  evaluate(at: number, sharedFrustration: FrustrationMeter): void {
    const { persistMs, minLatencyRatio } = this.settings;
    this.refreshEpisode(at);
    this.scoring.refresh(at);
    // An outage is "failing now" while failures are recent or nothing has answered since: a
    // dependency no longer called (its writes queued) must not stay at high risk once the
    // backend answers probes again.
    const last = this.outages.lastFailureAt;
    this.failingNow =
      this.outages.active && (this.lastProbeOkAt < last || at - last < QUIET_AFTER_FAILURE_MS);
    this.latencyShift = this.calls.persistent(at, persistMs, minLatencyRatio);
    this.probeShift = this.probes.persistent(at, persistMs, minLatencyRatio);
    this.errorShift = this.errors.persistent(at, persistMs);
    this.latencyScore = Math.max(this.calls.score(at), this.probes.score(at));
    this.errorScore = this.errors.score(at);
    this.frustrationScore = Math.max(this.frustration.score(at), sharedFrustration.score(at));
    const combined = combineRisk({
      latency: this.latencyScore,
      errors: this.errorScore,
      frustration: this.frustrationScore,
    });
    // Only an established shift (or an outage under way) makes risk high: frustration and
    // evidence still building up can raise it to just below, never across.
    const established = this.latencyShift || this.probeShift || this.errorShift;
    this.score = this.failingNow
      ? 1
      : established
        ? Math.max(HIGH_RISK, combined)
        : Math.min(HIGH_RISK - 0.01, combined);
    this.level = riskLevel(this.score);
  }

  /** Diagnostics for the latest evaluation, strongest first (for events and dashboards, not for users). */
  reasons(sharedFrustration: FrustrationMeter): string[] {
    const found: Array<[number, string]> = [];
    if (this.failingNow) {
      found.push([2, `failing now: ${this.outages.run} failures in a row`]);
    }
    const sparse = this.meanGapMs > SPARSE_GAP_MS;
    for (const [shift, tracker, source] of [
      [this.latencyShift, this.calls, 'calls'],
      [this.probeShift, this.probes, 'connectivity probes'],
    ] as const) {
      if (!shift && tracker.score(this.lastAt) < 0.5) continue;
      const seconds = Number.isNaN(tracker.runStartAt) ? 0 : (this.lastAt - tracker.runStartAt) / 1000;
      found.push([
        tracker.score(this.lastAt) + (shift ? 1 : 0),
        `${source} ${tracker.recentRatio.toFixed(1)}× slower than their usual ${Math.round(tracker.normalMs)} ms, ${shift ? 'sustained' : 'building up'} over ${tracker.runObservations} observation(s) in ${seconds.toFixed(1)} s`,
      ]);
    }
    if (this.errorShift || this.errorScore >= 0.5) {
      const e = this.errors;
      found.push([
        this.errorScore + (this.errorShift ? 1 : 0),
        `failure rate rising: ${e.runFailures} of ${e.runCalls} recent outcomes failed, usually ${(100 * e.normalRate).toFixed(1)} %`,
      ]);
    }
    if (this.frustrationScore >= 0.25) {
      const kinds = new Set([...this.frustration.kinds(), ...sharedFrustration.kinds()]);
      found.push([this.frustrationScore, `users show frustration (${[...kinds].join(', ')})`]);
    }
    if (sparse && found.length > 0) {
      found.push([
        0,
        `sparse traffic: about one sample every ${(this.meanGapMs / 1000).toFixed(0)} s; judged on few samples${this.probeSamples > 0 ? `, connectivity probes included (${this.probeSamples} so far)` : ''}`,
      ]);
    }
    return found.sort((a, b) => b[0] - a[0]).map(([, text]) => text);
  }
}
