import type { FailureCategory } from '../../packages/core/src/failure/types.js';
import { Random } from './random.js';

/**
 * Synthetic traces of one dependency seen from a browser, built from families of phenomena
 * whose parameters are drawn at random from a set of ranges. Two sets of ranges exist: one
 * to tune on and one, with other seeds and other (mostly wider) ranges and shapes, to report
 * on. Calls complete at start + latency, so the predictor sees them in completion order, as
 * a browser does; queued calls that a stall releases finish together.
 */

export type IncidentFamily = 'latency-creep' | 'latency-step' | 'error-creep' | 'sudden';
export type Family = IncidentFamily | 'healthy';
export type Rate = 'dense' | 'sparse';

export type TraceEvent =
  | { type: 'call'; at: number; ok: boolean; latencyMs: number; category?: FailureCategory }
  | { type: 'probe'; at: number; ok: boolean; latencyMs: number }
  | { type: 'signal'; at: number; kind: 'retry-click' | 'rage-click' };

export interface Incident {
  family: IncidentFamily;
  /** When the warning signs begin (the outage itself for a sudden one). */
  precursorAt: number;
  /** When the dependency goes down. */
  outageAt: number;
  outageEndAt: number;
  /** What the family's parameters were, for the report. */
  detail: string;
}

export interface Trace {
  id: string;
  family: Family;
  rate: Rate;
  durationMs: number;
  events: TraceEvent[];
  incident?: Incident;
}

type Range = readonly [number, number];

/** Parameter ranges of one set. */
export interface Ranges {
  baseMs: Range;
  /** Log-normal spread of healthy latency. */
  sigma: Range;
  /** Share of calls in the heavy tail, and how much slower they are. */
  tailShare: Range;
  tailFactor: Range;
  healthyErrorRate: Range;
  denseGapMs: Range;
  sparseGapMs: Range;
  probeIntervalMs: Range;
  timeoutMs: Range;
  leadInMin: Range;
  creepFactor: Range;
  creepMs: Range;
  /** Shapes a creep may take: linear in the factor, geometric, or slow then steep. */
  creepShapes: ReadonlyArray<'linear' | 'geometric' | 'late'>;
  stepFactor: Range;
  stepHoldMs: Range;
  errorStart: Range;
  errorPeak: Range;
  errorCreepMs: Range;
  outageMs: Range;
  /** Mean minutes between stalls, 4xx bursts, network blips and background-tab gaps. */
  stallEveryMin: Range;
  stallMs: Range;
  clientBurstEveryMin: Range;
  blipEveryMin: Range;
  tabGapEveryMin: Range;
  tabGapMin: Range;
  /** Baseline drift: factor per 30 minutes (below 1 gets faster). */
  driftPer30Min: Range;
  /** Share of incidents that a health-check probe also sees (same backend, same trouble). */
  probeSeesIncident: number;
}

export const TUNING_RANGES: Ranges = {
  baseMs: [80, 300],
  sigma: [0.2, 0.4],
  tailShare: [0.005, 0.02],
  tailFactor: [3, 10],
  healthyErrorRate: [0.001, 0.004],
  denseGapMs: [500, 2_000],
  sparseGapMs: [10_000, 20_000],
  probeIntervalMs: [15_000, 30_000],
  timeoutMs: [10_000, 15_000],
  leadInMin: [6, 10],
  creepFactor: [4, 8],
  creepMs: [30_000, 70_000],
  creepShapes: ['linear'],
  stepFactor: [3.5, 5],
  stepHoldMs: [15_000, 30_000],
  errorStart: [0.01, 0.02],
  errorPeak: [0.2, 0.3],
  errorCreepMs: [50_000, 70_000],
  outageMs: [40_000, 90_000],
  stallEveryMin: [8, 15],
  stallMs: [2_000, 4_000],
  clientBurstEveryMin: [8, 15],
  blipEveryMin: [10, 20],
  tabGapEveryMin: [20, 40],
  tabGapMin: [1, 5],
  driftPer30Min: [0.7, 1.5],
  probeSeesIncident: 0.5,
};

/** Held out: other seeds, wider and shifted ranges, creep shapes never tuned on. */
export const HELD_OUT_RANGES: Ranges = {
  baseMs: [50, 500],
  sigma: [0.25, 0.55],
  tailShare: [0.01, 0.03],
  tailFactor: [3, 20],
  healthyErrorRate: [0.002, 0.008],
  denseGapMs: [300, 3_000],
  sparseGapMs: [10_000, 20_000],
  probeIntervalMs: [10_000, 30_000],
  timeoutMs: [8_000, 15_000],
  leadInMin: [5, 12],
  creepFactor: [3, 10],
  creepMs: [20_000, 90_000],
  creepShapes: ['linear', 'geometric', 'late'],
  stepFactor: [3, 5],
  stepHoldMs: [10_000, 40_000],
  errorStart: [0.005, 0.03],
  errorPeak: [0.15, 0.35],
  errorCreepMs: [40_000, 90_000],
  outageMs: [30_000, 120_000],
  stallEveryMin: [4, 12],
  stallMs: [2_000, 5_000],
  clientBurstEveryMin: [5, 12],
  blipEveryMin: [6, 15],
  tabGapEveryMin: [15, 30],
  tabGapMin: [1, 10],
  driftPer30Min: [0.5, 2],
  probeSeesIncident: 0.5,
};

const MINUTE = 60_000;

interface Window {
  from: number;
  to: number;
}

/** Latency factor and error rate of the incident at a call's start. */
interface IncidentShape {
  factor(t: number): number;
  errorRate(t: number): number;
  failure: FailureCategory;
  probeSees: boolean;
}

class Builder {
  readonly events: TraceEvent[] = [];
  private readonly baseMs: number;
  private readonly sigma: number;
  private readonly tailShare: number;
  private readonly tailFactor: number;
  private readonly errorRate: number;
  private readonly driftPerMs: number;
  readonly timeoutMs: number;
  private readonly meanGapMs: number;
  private readonly probeIntervalMs: number;
  private readonly stalls: Window[] = [];
  private readonly clientBursts: Window[] = [];
  private readonly blips: Window[] = [];
  private readonly tabGaps: Window[] = [];
  incident: IncidentShape | undefined;
  incidentFrom = Number.POSITIVE_INFINITY;
  incidentTo = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly rng: Random,
    private readonly r: Ranges,
    readonly rate: Rate,
    readonly durationMs: number,
  ) {
    this.baseMs = pick(rng, r.baseMs);
    this.sigma = pick(rng, r.sigma);
    this.tailShare = pick(rng, r.tailShare);
    this.tailFactor = pick(rng, r.tailFactor);
    this.errorRate = pick(rng, r.healthyErrorRate);
    this.driftPerMs = Math.log(pick(rng, r.driftPer30Min)) / (30 * MINUTE);
    this.timeoutMs = pick(rng, r.timeoutMs);
    this.meanGapMs = pick(rng, rate === 'dense' ? r.denseGapMs : r.sparseGapMs);
    this.probeIntervalMs = pick(rng, r.probeIntervalMs);
    this.windows(this.stalls, r.stallEveryMin, () => pick(rng, r.stallMs));
    this.windows(this.clientBursts, r.clientBurstEveryMin, () => rng.uniform(3_000, 10_000));
    this.windows(this.blips, r.blipEveryMin, () => rng.uniform(500, 2_500));
    this.windows(this.tabGaps, r.tabGapEveryMin, () => pick(rng, r.tabGapMin) * MINUTE);
  }

  /** Windows of one healthy phenomenon: random lengths, exponential gaps averaging `everyMin`. */
  private windows(into: Window[], everyMin: Range, length: () => number): void {
    const mean = pick(this.rng, everyMin) * MINUTE;
    let t = this.rng.exponential(mean);
    while (t < this.durationMs) {
      const len = length();
      into.push({ from: t, to: t + len });
      t += len + this.rng.exponential(mean);
    }
  }

  private inside(list: Window[], t: number): Window | undefined {
    for (const w of list) if (t >= w.from && t < w.to) return w;
    return undefined;
  }

  setIncident(shape: IncidentShape, from: number, to: number): void {
    this.incident = shape;
    this.incidentFrom = from;
    this.incidentTo = to;
    // Healthy phenomena stay out of the incident and the two minutes before it, so that what
    // the incident's warning signs are stays clear.
    for (const list of [this.stalls, this.clientBursts, this.blips, this.tabGaps]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const w = list[i];
        if (w && w.to > from - 2 * MINUTE && w.from < to) list.splice(i, 1);
      }
    }
  }

  build(): TraceEvent[] {
    const rng = this.rng;
    let t = rng.exponential(this.meanGapMs);
    let lastBlip: Window | undefined;
    let blipFailures = 0;
    while (t < this.durationMs) {
      const gap = this.inside(this.tabGaps, t);
      if (gap) {
        // Back from the background tab: the page refreshes what it shows, several calls at once.
        t = gap.to;
        const n = rng.int(2, 4);
        for (let i = 0; i < n; i++) this.call(t + i * 5, false);
        t += rng.exponential(this.meanGapMs);
        continue;
      }
      const blip = this.inside(this.blips, t);
      if (blip) {
        if (blip !== lastBlip) {
          lastBlip = blip;
          blipFailures = 0;
        }
        if (blipFailures < 2) {
          blipFailures += 1;
          const failAt = t + rng.uniform(30, 300);
          this.events.push({
            type: 'call',
            at: failAt,
            ok: false,
            latencyMs: failAt - t,
            category: 'network',
          });
          // The user clicks "retry" a moment later, and the retried call goes through.
          const click = failAt + rng.uniform(800, 3_000);
          this.events.push({ type: 'signal', at: click, kind: 'retry-click' });
          this.call(click, true);
          t += rng.exponential(this.meanGapMs);
          continue;
        }
      }
      this.call(t, false);
      t += rng.exponential(this.meanGapMs);
    }
    this.probes();
    return this.events.filter((e) => e.at < this.durationMs).sort((a, b) => a.at - b.at);
  }

  private healthyLatency(t: number): number {
    let latency = this.baseMs * Math.exp(this.driftPerMs * t) * this.rng.logNormal(this.sigma);
    if (this.rng.chance(this.tailShare)) latency *= this.rng.uniform(3, this.tailFactor);
    return latency;
  }

  private call(start: number, retry: boolean): void {
    const rng = this.rng;
    const inIncident = this.incident !== undefined && start >= this.incidentFrom && start < this.incidentTo;
    const factor = inIncident && this.incident ? this.incident.factor(start) : 1;
    const errorRate = inIncident && this.incident ? this.incident.errorRate(start) : this.errorRate;
    let latency = this.healthyLatency(start) * factor;
    const stall = retry ? undefined : this.inside(this.stalls, start);
    // A stalled server answers nothing until the stall ends, then works off its queue.
    if (stall) latency = stall.to - start + this.healthyLatency(start) * rng.uniform(0.2, 1);
    if (!inIncident && !retry && this.inside(this.clientBursts, start) && rng.chance(0.7)) {
      const l = this.healthyLatency(start) * 0.5;
      this.events.push({ type: 'call', at: start + l, ok: false, latencyMs: l, category: 'client' });
      return;
    }
    let category: FailureCategory | undefined;
    if (rng.chance(errorRate)) {
      category = inIncident && this.incident ? this.incident.failure : 'server';
      if (category === 'timeout') latency = this.timeoutMs;
      else latency = this.healthyLatency(start) * rng.uniform(0.3, 1);
    } else if (latency >= this.timeoutMs) {
      category = 'timeout';
      latency = this.timeoutMs;
    }
    this.events.push({
      type: 'call',
      at: start + latency,
      ok: category === undefined,
      latencyMs: latency,
      ...(category ? { category } : {}),
    });
  }

  /** The connectivity monitor's health check, while the tab is visible. */
  private probes(): void {
    const rng = this.rng;
    const probeBase = rng.uniform(20, 80);
    let t = rng.uniform(0, this.probeIntervalMs);
    while (t < this.durationMs) {
      if (this.inside(this.tabGaps, t)) {
        t += this.probeIntervalMs;
        continue;
      }
      const i = this.incident;
      const seen = i !== undefined && i.probeSees && t >= this.incidentFrom && t < this.incidentTo;
      const latency = probeBase * rng.logNormal(0.2) * (seen ? i.factor(t) : 1);
      const failed = seen ? rng.chance(i.errorRate(t)) : false;
      const l = failed ? 5_000 : latency;
      this.events.push({ type: 'probe', at: t + l, ok: !failed, latencyMs: l });
      t += this.probeIntervalMs;
    }
  }
}

function pick(rng: Random, r: Range): number {
  return rng.uniform(r[0], r[1]);
}

function creepCurve(shape: 'linear' | 'geometric' | 'late', peak: number, u: number): number {
  const x = Math.min(1, Math.max(0, u));
  if (shape === 'geometric') return peak ** x;
  if (shape === 'late') return 1 + (peak - 1) * x * x;
  return 1 + (peak - 1) * x;
}

/** One trace of a family at a call rate, fully determined by the seed and the ranges. */
export function makeTrace(family: Family, rate: Rate, seed: number, r: Ranges): Trace {
  const rng = new Random(seed);
  const id = `${family}/${rate}/${seed}`;
  if (family === 'healthy') {
    const durationMs = 60 * MINUTE;
    const b = new Builder(rng, r, rate, durationMs);
    return { id, family, rate, durationMs, events: b.build() };
  }
  const precursorAt = pick(rng, r.leadInMin) * MINUTE * (rate === 'sparse' ? 1.3 : 1);
  let outageAt = precursorAt;
  let factor: (t: number) => number = () => 1;
  let errorRate: (t: number) => number = () => 0;
  let detail = 'sudden';
  if (family === 'latency-creep') {
    const peak = pick(rng, r.creepFactor);
    const ms = pick(rng, r.creepMs);
    const shape = r.creepShapes[rng.int(0, r.creepShapes.length - 1)] ?? 'linear';
    outageAt = precursorAt + ms;
    factor = (t) => creepCurve(shape, peak, (t - precursorAt) / ms);
    detail = `${shape} creep to ${peak.toFixed(1)}× over ${(ms / 1000).toFixed(0)} s`;
  } else if (family === 'latency-step') {
    const step = pick(rng, r.stepFactor);
    const hold = pick(rng, r.stepHoldMs);
    outageAt = precursorAt + hold;
    factor = () => step;
    detail = `step to ${step.toFixed(1)}× for ${(hold / 1000).toFixed(0)} s`;
  } else if (family === 'error-creep') {
    const from = pick(rng, r.errorStart);
    const to = pick(rng, r.errorPeak);
    const ms = pick(rng, r.errorCreepMs);
    outageAt = precursorAt + ms;
    errorRate = (t) => from + (to - from) * Math.min(1, (t - precursorAt) / ms);
    detail = `errors ${(from * 100).toFixed(1)} % → ${(to * 100).toFixed(0)} % over ${(ms / 1000).toFixed(0)} s`;
  }
  const outageMs = pick(rng, r.outageMs);
  const outageEndAt = outageAt + outageMs;
  const failure: FailureCategory = rng.chance(0.5) ? 'server' : 'timeout';
  const probeSees = rng.chance(r.probeSeesIncident);
  const durationMs = outageEndAt + rng.uniform(2, 4) * MINUTE;
  const b = new Builder(rng, r, rate, durationMs);
  const lastFactor = factor(outageAt);
  b.setIncident(
    {
      factor: (t) => (t < outageAt ? factor(t) : lastFactor),
      errorRate: (t) => (t < outageAt ? errorRate(t) : 1),
      failure,
      probeSees,
    },
    precursorAt,
    outageEndAt,
  );
  return {
    id,
    family,
    rate,
    durationMs,
    events: b.build(),
    incident: { family, precursorAt, outageAt, outageEndAt, detail: `${detail}, then ${failure} outage` },
  };
}

/** How many traces of each kind a set holds. */
export interface SetSize {
  /** Incident traces per incident family and rate. */
  incidents: { dense: number; sparse: number };
  /** Healthy hours per rate. */
  healthy: { dense: number; sparse: number };
}

export const FULL_SET: SetSize = { incidents: { dense: 30, sparse: 10 }, healthy: { dense: 20, sparse: 10 } };

const INCIDENT_FAMILIES: IncidentFamily[] = ['latency-creep', 'latency-step', 'error-creep', 'sudden'];

/** Every trace of a set: seeds are derived from `seedBase`, so sets with other bases never share one. */
export function makeSet(seedBase: number, r: Ranges, size: SetSize = FULL_SET): Trace[] {
  const traces: Trace[] = [];
  let n = 0;
  const seed = () => (seedBase * 1_000_003 + ++n * 7_919) >>> 0;
  for (const family of INCIDENT_FAMILIES) {
    for (const rate of ['dense', 'sparse'] as const) {
      for (let i = 0; i < size.incidents[rate]; i++) traces.push(makeTrace(family, rate, seed(), r));
    }
  }
  for (const rate of ['dense', 'sparse'] as const) {
    for (let i = 0; i < size.healthy[rate]; i++) traces.push(makeTrace('healthy', rate, seed(), r));
  }
  return traces;
}

export const TUNING_SEED_BASE = 1;
export const HELD_OUT_SEED_BASE = 9_001;
