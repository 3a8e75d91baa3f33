import type { FailureCategory } from '../../packages/core/src/failure/types.js';
import { Random } from './random.js';

/**
 * Synthetic but realistic fault traces for one dependency, seen from the browser: calls
 * arrive as the user works (Poisson), latency is log-normal around a per-trace normal with
 * occasional spikes, and a few kinds of trouble are laid on top. Every parameter is drawn
 * from a range fixed before the predictor was tuned; the seed makes each trace reproducible.
 */

export type Scenario = 'ramp' | 'sudden' | 'flapping' | 'bursts' | 'healthy';

export type TraceEvent =
  | { type: 'call'; at: number; ok: boolean; latencyMs: number; category?: FailureCategory }
  | { type: 'rage-click'; at: number };

export interface Trace {
  scenario: Scenario;
  seed: number;
  durationMs: number;
  /** Sorted by `at`: a call is observed when it completes. */
  events: TraceEvent[];
  /** When the incident proper began (ramp: the outage after the ramp), for reporting only. */
  incidentAt?: number;
}

/** The browser gives up on a call after this long. */
export const CALL_TIMEOUT_MS = 10_000;

const MINUTE = 60_000;

interface Phase {
  from: number;
  to: number;
  /** Latency multiplier at a time within the phase. */
  factor: (t: number) => number;
  /** Chance that a call fails at a time within the phase. */
  errorRate: (t: number) => number;
  /** How calls fail: fast 5xx, or hanging until the browser times out. */
  failure: 'server' | 'timeout';
  /** Failures here are the incident itself; elsewhere no more than 2 may fall in any 60 s. */
  incident?: boolean;
}

class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private readonly phases: Phase[] = [];
  private readonly baseMs: number;
  private readonly sigma: number;
  private readonly meanGapMs: number;
  /** Outside incidents no episode may form: at most 2 failures in any 60 s (checked per failure). */
  private readonly recentFailures: number[] = [];

  constructor(
    private readonly rng: Random,
    readonly durationMs: number,
  ) {
    this.baseMs = rng.uniform(40, 400);
    this.sigma = rng.uniform(0.2, 0.5);
    this.meanGapMs = rng.uniform(300, 2_500);
  }

  phase(p: Phase): void {
    this.phases.push(p);
  }

  /** Background mild slowdowns (backups, GC, a busy neighbour) that never fail. */
  addMildSlowdowns(from: number, to: number): void {
    let t = from + this.rng.exponential(10 * MINUTE);
    while (t < to) {
      const duration = this.rng.uniform(10_000, 40_000);
      const factor = this.rng.uniform(1.3, 2.2);
      this.phase({
        from: t,
        to: Math.min(to, t + duration),
        factor: () => factor,
        errorRate: () => 0,
        failure: 'server',
      });
      t += duration + this.rng.exponential(10 * MINUTE);
    }
  }

  /** Short 5xx bursts: one or two quick failures, then calm — never an episode. */
  addBursts(from: number, to: number, meanGapMs: number): void {
    let t = from + this.rng.exponential(meanGapMs);
    while (t < to) {
      const n = this.rng.int(1, 2);
      const start = t;
      this.phase({
        from: start,
        to: start + 1_500,
        factor: () => 1,
        errorRate: () => (n === 2 ? 1 : 0.5),
        failure: 'server',
      });
      t = start + 61_000 + this.rng.exponential(meanGapMs);
    }
  }

  /** Users rage-click now and then for reasons that have nothing to do with the network. */
  addUnrelatedRageClicks(from: number, to: number): void {
    let t = from + this.rng.exponential(20 * MINUTE);
    while (t < to) {
      this.events.push({ type: 'rage-click', at: t });
      t += this.rng.exponential(20 * MINUTE);
    }
  }

  build(): TraceEvent[] {
    const rng = this.rng;
    let start = rng.exponential(this.meanGapMs);
    while (start < this.durationMs) {
      // The latest phase that covers `start` wins, so incidents override background noise.
      let phase: Phase | undefined;
      for (const p of this.phases) if (start >= p.from && start < p.to) phase = p;
      const factor = phase ? phase.factor(start) : 1;
      const errorRate = phase ? phase.errorRate(start) : 0.002;
      let latency = this.baseMs * factor * rng.logNormal(this.sigma);
      if (rng.chance(0.01)) latency *= rng.uniform(3, 12);
      let failed = rng.chance(errorRate);
      let category: FailureCategory | undefined;
      const guarded = !phase?.incident;
      if (failed && guarded && !this.mayFail(start)) failed = false;
      if (failed) {
        if ((phase?.failure ?? 'server') === 'timeout') {
          latency = CALL_TIMEOUT_MS;
          category = 'timeout';
        } else {
          latency = Math.min(latency, this.baseMs * rng.uniform(0.5, 2));
          category = 'server';
        }
      } else if (latency >= CALL_TIMEOUT_MS) {
        failed = true;
        latency = CALL_TIMEOUT_MS;
        category = 'timeout';
        if (guarded && !this.mayFail(start)) {
          failed = false;
          latency = CALL_TIMEOUT_MS - 1;
          category = undefined;
        }
      }
      if (failed) this.recentFailures.push(start);
      // A user kept waiting several seconds often clicks again, hard.
      if (latency > 3_000 && rng.chance(0.3)) this.events.push({ type: 'rage-click', at: start + 2_500 });
      this.events.push({
        type: 'call',
        at: start + latency,
        ok: !failed,
        latencyMs: latency,
        ...(category ? { category } : {}),
      });
      start += rng.exponential(this.meanGapMs);
    }
    return this.events.filter((e) => e.at < this.durationMs).sort((a, b) => a.at - b.at);
  }

  private mayFail(at: number): boolean {
    while (this.recentFailures.length > 0 && at - (this.recentFailures[0] ?? 0) > 61_000)
      this.recentFailures.shift();
    return this.recentFailures.length < 2;
  }
}

/** Latency climbs for 15–45 s to 5–15× normal, errors creep in, then the dependency goes down. */
export function rampTrace(seed: number): Trace {
  const rng = new Random(seed);
  const leadIn = rng.uniform(5, 10) * MINUTE;
  const rampMs = rng.uniform(15_000, 45_000);
  const peak = rng.uniform(5, 15);
  const peakErrors = rng.uniform(0, 0.15);
  const outageMs = rng.uniform(30_000, 120_000);
  const failure = rng.chance(0.5) ? 'server' : 'timeout';
  const outageAt = leadIn + rampMs;
  const duration = outageAt + outageMs + rng.uniform(2, 5) * MINUTE;
  const b = new TraceBuilder(rng, duration);
  b.addMildSlowdowns(0, leadIn);
  b.addUnrelatedRageClicks(0, duration);
  b.phase({
    from: leadIn,
    to: outageAt,
    factor: (t) => 1 + (peak - 1) * ((t - leadIn) / rampMs),
    errorRate: (t) => peakErrors * ((t - leadIn) / rampMs) ** 2,
    failure,
    incident: true,
  });
  b.phase({
    from: outageAt,
    to: outageAt + outageMs,
    factor: () => peak,
    errorRate: () => 1,
    failure,
    incident: true,
  });
  return { scenario: 'ramp', seed, durationMs: duration, events: b.build(), incidentAt: outageAt };
}

/** Healthy, then down at once (fast 5xx or hanging calls): nothing to see beforehand. */
export function suddenTrace(seed: number): Trace {
  const rng = new Random(seed);
  const leadIn = rng.uniform(5, 10) * MINUTE;
  const outageMs = rng.uniform(30_000, 120_000);
  const failure = rng.chance(0.5) ? 'server' : 'timeout';
  const duration = leadIn + outageMs + rng.uniform(2, 5) * MINUTE;
  const b = new TraceBuilder(rng, duration);
  b.addMildSlowdowns(0, duration);
  b.addUnrelatedRageClicks(0, duration);
  b.phase({
    from: leadIn,
    to: leadIn + outageMs,
    factor: () => 1,
    errorRate: () => 1,
    failure,
    incident: true,
  });
  return { scenario: 'sudden', seed, durationMs: duration, events: b.build(), incidentAt: leadIn };
}

/** Up and down for 2–4 minutes: 3–10 s down, 5–20 s up, each flip without warning. */
export function flappingTrace(seed: number): Trace {
  const rng = new Random(seed);
  const leadIn = rng.uniform(5, 10) * MINUTE;
  const flappingMs = rng.uniform(2, 4) * MINUTE;
  const duration = leadIn + flappingMs + rng.uniform(2, 5) * MINUTE;
  const b = new TraceBuilder(rng, duration);
  b.addMildSlowdowns(0, duration);
  b.addUnrelatedRageClicks(0, duration);
  let t = leadIn;
  while (t < leadIn + flappingMs) {
    const down = rng.uniform(3_000, 10_000);
    b.phase({
      from: t,
      to: t + down,
      factor: () => 1,
      errorRate: () => 1,
      failure: 'server',
      incident: true,
    });
    t += down + rng.uniform(5_000, 20_000);
  }
  return { scenario: 'flapping', seed, durationMs: duration, events: b.build(), incidentAt: leadIn };
}

/** 30 minutes of short 5xx bursts (1–2 failures, every 1–3 minutes) that never become episodes. */
export function burstsTrace(seed: number): Trace {
  const rng = new Random(seed);
  const duration = 30 * MINUTE;
  const b = new TraceBuilder(rng, duration);
  b.addMildSlowdowns(0, duration);
  b.addUnrelatedRageClicks(0, duration);
  b.addBursts(0, duration, rng.uniform(1, 3) * MINUTE);
  return { scenario: 'bursts', seed, durationMs: duration, events: b.build() };
}

/** An hour of healthy noise: jitter, spikes, rare lone errors, mild slowdowns, stray rage clicks. */
export function healthyTrace(seed: number): Trace {
  const rng = new Random(seed);
  const duration = 60 * MINUTE;
  const b = new TraceBuilder(rng, duration);
  b.addMildSlowdowns(0, duration);
  b.addUnrelatedRageClicks(0, duration);
  return { scenario: 'healthy', seed, durationMs: duration, events: b.build() };
}

/** The traces of one seed: 10 ramps, 6 sudden outages, 4 flapping, 3 burst half-hours, 3 healthy hours. */
export function tracesForSeed(seed: number): Trace[] {
  const traces: Trace[] = [];
  const sub = (i: number) => (seed * 7919 + i * 104_729) >>> 0;
  for (let i = 0; i < 10; i++) traces.push(rampTrace(sub(i)));
  for (let i = 0; i < 6; i++) traces.push(suddenTrace(sub(100 + i)));
  for (let i = 0; i < 4; i++) traces.push(flappingTrace(sub(200 + i)));
  for (let i = 0; i < 3; i++) traces.push(burstsTrace(sub(300 + i)));
  for (let i = 0; i < 3; i++) traces.push(healthyTrace(sub(400 + i)));
  return traces;
}
