import type { Clock } from '../../packages/core/src/clock.js';
import { FAILURE_MEANINGS } from '../../packages/core/src/failure/meaning.js';
import { OutageDetector } from '../../packages/core/src/predict/outage-detector.js';
import {
  PredictionLedger,
  type LedgerKey,
  type OutageRecord,
  type PredictionVerdict,
} from '../../packages/core/src/predict/prediction-ledger.js';
import {
  createPredictor,
  type Prediction,
  type PredictionAccuracy,
  type PredictorOptions,
} from '../../packages/core/src/predict/index.js';
import type { Trace, TraceEvent } from './families.js';

/**
 * Replays traces through a method and scores its alarms with the predictor's own ledger
 * (`PredictionLedger`, `OutageDetector`), so the evaluation and `predictor.accuracy()` judge by
 * one definition: an outage is a stretch from a failed request (call or probe) on in which at
 * least 80 % of requests failed over at least 10 s, with at least 3 failures; an alarm is
 * confirmed when the first failure of an outage comes after it and within 60 s; raised after
 * that first failure, it is late (neither a success nor a false alarm); otherwise it is a false
 * alarm. Alarms while an alarm is open or an outage is known to be under way are not alarms,
 * for every method alike.
 */

export const HORIZON_MS = 60_000;

export type Method = 'predictor' | '3 consecutive failures' | 'EWMA > 3× 5-min median';
export const METHODS: Method[] = ['predictor', '3 consecutive failures', 'EWMA > 3× 5-min median'];

/** What a call's failure says of the dependency, by the table the predictor asks (`FAILURE_MEANINGS`). */
const signalOf = (e: Extract<TraceEvent, { type: 'call' }>) =>
  e.ok ? 'alive' : e.category === undefined ? 'failing' : FAILURE_MEANINGS[e.category].signal;
/** A client error is an answer (a sign of life), as the predictor counts it. */
const answered = (e: Extract<TraceEvent, { type: 'call' }>) => signalOf(e) === 'alive';

export interface TraceResult {
  trace: Trace;
  verdicts: PredictionVerdict[];
  outages: OutageRecord[];
  /** The predictor's own accuracy() after the replay (predictor only), to cross-check. */
  selfReported?: PredictionAccuracy;
  /** The predictor's predictions, with their reasons (predictor only). */
  predictions?: Prediction[];
  harness: PredictionAccuracy;
}

/** A method sees each event in turn and says whether it raises an alarm at it. */
type Detector = (e: TraceEvent) => boolean;

function replayClock(): Clock & { set(t: number): void } {
  let now = 0;
  return {
    now: () => now,
    set: (t: number) => {
      now = t;
    },
    setTimeout: () => 0,
    clearTimeout: () => {},
  };
}

function replay(trace: Trace, detect: Detector): Omit<TraceResult, 'selfReported'> {
  const verdicts: PredictionVerdict[] = [];
  const outages: OutageRecord[] = [];
  const ledger = new PredictionLedger(HORIZON_MS, {
    verdict: (v) => verdicts.push(v),
    outage: (o) => outages.push(o),
  });
  const k: LedgerKey = {
    key: 'api',
    open: undefined,
    armed: true,
    scoring: new OutageDetector(),
  };
  let sequence = 0;
  // The requests scored are those the predictor's key sees: not outcomes that say nothing of
  // the dependency (offline, aborted, refused by a breaker), and no probe before the first call
  // (a probe without a key counts for the keys tracked, and there is none yet). Otherwise the
  // harness finds outages that accuracy() rightly does not.
  let tracked = false;
  for (const e of trace.events) {
    if (e.type === 'call' && signalOf(e) !== 'none') tracked = true;
    const request = (e.type === 'call' && signalOf(e) !== 'none') || (e.type === 'probe' && !e.ok && tracked);
    if (request) {
      if (e.type === 'call' && answered(e)) k.scoring.answer();
      else if (k.scoring.failure(e.at)) ledger.outageStarted(k, e.at);
    }
    ledger.expire(k, e.at);
    k.scoring.refresh(e.at);
    const alarm = detect(e);
    if (alarm && k.open === undefined && !k.scoring.active) {
      ledger.opened(k, {
        id: `alarm-${++sequence}`,
        key: 'api',
        at: e.at,
        horizonMs: HORIZON_MS,
        confidence: 1,
        reasons: [],
      });
    }
  }
  ledger.expireAll(trace.durationMs + HORIZON_MS + 1);
  return { trace, verdicts, outages, harness: ledger.accuracy() };
}

export function runPredictor(trace: Trace, options: PredictorOptions = {}): TraceResult {
  const clock = replayClock();
  const predictor = createPredictor({ ...options, clock });
  const predictions: Prediction[] = [];
  predictor.predictions$.subscribe((p) => predictions.push(p));
  const result = replay(trace, (e) => {
    clock.set(e.at);
    const before = predictions.length;
    if (e.type === 'signal') predictor.signal({ kind: e.kind });
    else if (e.type === 'probe') predictor.probe({ ok: e.ok, latencyMs: e.latencyMs });
    else
      predictor.record({
        key: 'api',
        ok: e.ok,
        latencyMs: e.latencyMs,
        ...(e.category
          ? {
              failure: {
                category: e.category,
                retryable: true,
                impact: 'high',
                message: e.category,
                cause: null,
              },
            }
          : {}),
      });
    return predictions.length > before;
  });
  clock.set(trace.durationMs + HORIZON_MS + 1);
  return { ...result, selfReported: predictor.accuracy(), predictions };
}

/** Alarm at the 3rd failed call in a row. */
export function consecutiveFailures(): Detector {
  let streak = 0;
  return (e) => {
    if (e.type !== 'call') return false;
    streak = answered(e) ? 0 : streak + 1;
    return streak === 3;
  };
}

/**
 * Alarm when an EWMA of call latency (weight 0.2, every call, failed ones with their
 * duration) rises above 3× the median of the last 5 minutes' latencies; again only after
 * it has fallen below.
 */
export function ewmaOverMedian(): Detector {
  const window: Array<{ at: number; latency: number }> = [];
  let head = 0;
  /** The window's latencies, kept sorted (binary insertion) so the median is a lookup. */
  const sorted: number[] = [];
  let ewma = Number.NaN;
  let above = false;
  const position = (x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (e) => {
    if (e.type !== 'call') return false;
    ewma = Number.isNaN(ewma) ? e.latencyMs : ewma + 0.2 * (e.latencyMs - ewma);
    window.push({ at: e.at, latency: e.latencyMs });
    sorted.splice(position(e.latencyMs), 0, e.latencyMs);
    while (head < window.length && e.at - (window[head]?.at ?? 0) > 300_000) {
      sorted.splice(position(window[head]?.latency ?? 0), 1);
      head += 1;
    }
    if (sorted.length < 5) return false;
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const now = ewma > 3 * median;
    const alarm = now && !above;
    above = now;
    return alarm;
  };
}

export function runMethod(method: Method, trace: Trace, options: PredictorOptions = {}): TraceResult {
  if (method === 'predictor') return runPredictor(trace, options);
  return replay(trace, method === '3 consecutive failures' ? consecutiveFailures() : ewmaOverMedian());
}

/** The figures of one method over a set of traces. */
export interface Summary {
  method: Method;
  /** Predictable incidents (creeps, steps, error creep) and how many were foreseen, with the leads. */
  predictable: number;
  foreseen: number;
  leadSumMs: number;
  /** Sudden outages, reported apart: foreseeing one would be luck. */
  sudden: number;
  suddenForeseen: number;
  confirmed: number;
  falseAlarms: number;
  late: number;
  healthyHours: number;
  healthyFalseAlarms: number;
  /** Per family and rate: foreseen / incidents. */
  byGroup: Map<string, { incidents: number; foreseen: number }>;
  /** Traces where the harness and the predictor's own accuracy() disagree (none expected). */
  disagreements: string[];
  /** Outages in healthy traces: the generator promised none. */
  unexpectedOutages: number;
  /** Incidents whose outage never showed as one (sparse calls while it was down), and how many of them are not sudden. */
  noOutage: number;
  noOutageNotSudden: number;
  /**
   * Incidents whose warning signs held fewer than `MIN_PRECURSOR_SAMPLES` answers before the
   * first failure of the outage (a short step under sparse traffic), or, for a rising failure
   * rate, fewer than `MIN_PRECURSOR_FAILURES` failures: no method can tell a trend from noise
   * in one or two observations, so they are reported apart, with how many were foreseen anyway.
   */
  unobservable: number;
  unobservableForeseen: number;
  /** Lead per foreseen incident (predictable or not), by trace id: to compare methods on the same incidents. */
  leads: Map<string, number>;
}

/** Samples (answered calls and probes) of the warning signs below which an incident is unobservable. */
export const MIN_PRECURSOR_SAMPLES = 3;
/** For a rising failure rate, the failures before the outage's first one: one failure is no rate. */
export const MIN_PRECURSOR_FAILURES = 2;

/** The first outage at or after the incident's warning signs: the one a warning is for. */
function incidentOutage(result: TraceResult): OutageRecord | undefined {
  const i = result.trace.incident;
  if (!i) return undefined;
  return result.outages.find((o) => o.firstFailureAt >= i.precursorAt);
}

export function summarise(method: Method, traces: Trace[], options: PredictorOptions = {}): Summary {
  const s: Summary = {
    method,
    predictable: 0,
    foreseen: 0,
    leadSumMs: 0,
    sudden: 0,
    suddenForeseen: 0,
    confirmed: 0,
    falseAlarms: 0,
    late: 0,
    healthyHours: 0,
    healthyFalseAlarms: 0,
    byGroup: new Map(),
    disagreements: [],
    unexpectedOutages: 0,
    noOutage: 0,
    noOutageNotSudden: 0,
    unobservable: 0,
    unobservableForeseen: 0,
    leads: new Map(),
  };
  for (const trace of traces) {
    const r = runMethod(method, trace, options);
    s.confirmed += r.harness.confirmed;
    s.falseAlarms += r.harness.falseAlarms;
    s.late += r.harness.late;
    if (r.selfReported && JSON.stringify(r.selfReported) !== JSON.stringify(r.harness)) {
      s.disagreements.push(
        `${trace.id}: harness ${JSON.stringify(r.harness)} vs accuracy() ${JSON.stringify(r.selfReported)}`,
      );
    }
    if (!trace.incident) {
      s.healthyHours += trace.durationMs / 3_600_000;
      s.healthyFalseAlarms += r.harness.falseAlarms;
      s.unexpectedOutages += r.outages.length;
      continue;
    }
    const outage = incidentOutage(r);
    if (!outage) {
      // Too few requests while it was down to show 10 s of failures: no outage to foresee.
      s.noOutage += 1;
      if (trace.family !== 'sudden') s.noOutageNotSudden += 1;
      continue;
    }
    const foreseen = outage.foreseen;
    const group = `${trace.family}/${trace.rate}`;
    const g = s.byGroup.get(group) ?? { incidents: 0, foreseen: 0 };
    g.incidents += 1;
    if (foreseen) g.foreseen += 1;
    s.byGroup.set(group, g);
    if (trace.family === 'sudden') {
      s.sudden += 1;
      if (foreseen) s.suddenForeseen += 1;
      continue;
    }
    const v = r.verdicts.find((x) => x.kind === 'confirmed' && x.firstFailureAt === outage.firstFailureAt);
    if (foreseen && v?.kind === 'confirmed') s.leads.set(trace.id, v.leadMs);
    const i = trace.incident;
    const before = trace.events.filter(
      (e): e is Exclude<TraceEvent, { type: 'signal' }> =>
        e.type !== 'signal' && e.at >= i.precursorAt && e.at < outage.firstFailureAt,
    );
    // The warning signs of a slowdown are answers; those of a rising failure rate are failures.
    const seen = before.filter((e) => (trace.family === 'error-creep' ? !e.ok : e.ok)).length;
    const needed = trace.family === 'error-creep' ? MIN_PRECURSOR_FAILURES : MIN_PRECURSOR_SAMPLES;
    if (seen < needed) {
      s.unobservable += 1;
      if (foreseen) s.unobservableForeseen += 1;
      continue;
    }
    s.predictable += 1;
    if (foreseen) {
      s.foreseen += 1;
      if (v?.kind === 'confirmed') s.leadSumMs += v.leadMs;
    }
  }
  return s;
}

export const precision = (s: Summary): number | undefined =>
  s.confirmed + s.falseAlarms === 0 ? undefined : s.confirmed / (s.confirmed + s.falseAlarms);
export const recall = (s: Summary): number | undefined =>
  s.predictable === 0 ? undefined : s.foreseen / s.predictable;
/**
 * Recall over every non-sudden incident the generator made — the unobservable ones and those
 * whose outage never showed (nothing to confirm a warning, so never foreseen) included: no
 * filter to trust.
 */
export const nonSudden = (s: Summary): number => s.predictable + s.unobservable + s.noOutageNotSudden;
export const recallAll = (s: Summary): number | undefined =>
  nonSudden(s) === 0 ? undefined : (s.foreseen + s.unobservableForeseen) / nonSudden(s);
/**
 * Mean leads of two methods over the incidents both foresaw, and how many: a method that
 * foresees a handful of incidents has a mean lead over those alone, not comparable as such.
 */
export function pairedLeadMs(a: Summary, b: Summary): { n: number; aMs: number; bMs: number } {
  let n = 0;
  let aMs = 0;
  let bMs = 0;
  for (const [id, lead] of a.leads) {
    const other = b.leads.get(id);
    if (other === undefined) continue;
    n += 1;
    aMs += lead;
    bMs += other;
  }
  return n === 0 ? { n, aMs: 0, bMs: 0 } : { n, aMs: aMs / n, bMs: bMs / n };
}
export const meanLeadMs = (s: Summary): number | undefined =>
  s.foreseen === 0 ? undefined : s.leadSumMs / s.foreseen;
export const falseAlarmsPerHour = (s: Summary): number =>
  s.healthyHours === 0 ? 0 : s.healthyFalseAlarms / s.healthyHours;

/** The goals, on held-out traces, with both baselines from the same run. */
export function goalsMet(predictor: Summary, consecutive: Summary, ewma: Summary): string[] {
  const failures: string[] = [];
  const p = precision(predictor) ?? 0;
  const r = recall(predictor) ?? 0;
  const lead = meanLeadMs(predictor) ?? 0;
  const fa = falseAlarmsPerHour(predictor);
  if (p < 0.8) failures.push(`precision ${(p * 100).toFixed(0)} % < 80 %`);
  if (r < 0.8) failures.push(`recall ${(r * 100).toFixed(0)} % < 80 %`);
  if (lead < 5_000) failures.push(`mean lead ${(lead / 1000).toFixed(1)} s < 5 s`);
  if (fa > 1) failures.push(`${fa.toFixed(2)} false alarms per healthy hour > 1`);
  if (r <= (recall(ewma) ?? 0)) failures.push('recall not above the EWMA baseline');
  // Lead is compared on the incidents both foresaw: the baseline foresees a handful of one
  // family, and a mean over those is no yardstick for a mean over every family.
  const paired = pairedLeadMs(predictor, consecutive);
  if (paired.n === 0)
    failures.push(
      'lead not comparable: no incident foreseen by both the predictor and 3 consecutive failures',
    );
  else if (paired.aMs <= paired.bMs)
    failures.push(
      `lead on the ${paired.n} incident(s) both foresaw ${(paired.aMs / 1000).toFixed(1)} s not above the 3-consecutive-failures baseline's ${(paired.bMs / 1000).toFixed(1)} s`,
    );
  if (predictor.disagreements.length > 0)
    failures.push(`${predictor.disagreements.length} disagreement(s) with accuracy()`);
  return failures;
}
