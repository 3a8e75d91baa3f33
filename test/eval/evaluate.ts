import type { Clock } from '../../packages/core/src/clock.js';
import {
  createPredictor,
  type Prediction,
  type PredictionAccuracy,
  type PredictorOptions,
} from '../../packages/core/src/predict/index.js';
import { tracesForSeed, type Scenario, type Trace } from './traces.js';

/**
 * Replays fault traces through the predictor with an injected clock and scores its
 * predictions against ground truth computed here, independently of the predictor, with
 * the contract's definitions: an episode starts at the 3rd failure within 60 s; a
 * prediction is confirmed when an episode starts within its 30 s horizon, a false alarm
 * otherwise; an episode with no prediction at least 1 s before it is missed.
 */

export const EPISODE_FAILURES = 3;
export const EPISODE_WINDOW_MS = 60_000;
export const HORIZON_MS = 30_000;
export const MIN_LEAD_MS = 1_000;

export type Method = 'predictor' | 'reactive' | '3 consecutive failures';

export interface Alarm {
  at: number;
}

export interface TraceResult {
  trace: Trace;
  episodes: number[];
  alarms: Alarm[];
  /** The predictor's own accounting, for cross-checking this harness (predictor method only). */
  selfReported?: PredictionAccuracy;
}

export interface Score {
  alarms: number;
  confirmed: number;
  falseAlarms: number;
  episodes: number;
  predicted: number;
  leadSumMs: number;
  hours: number;
}

/** Ground-truth episode starts: the n-th failure within the window, lasting while the window holds n. */
export function episodeStarts(trace: Trace): number[] {
  const failures: number[] = [];
  const starts: number[] = [];
  let active = false;
  for (const e of trace.events) {
    if (e.type !== 'call') continue;
    if (active) {
      const nth = failures[failures.length - EPISODE_FAILURES];
      if (nth === undefined || e.at - nth > EPISODE_WINDOW_MS) active = false;
    }
    if (e.ok) continue;
    failures.push(e.at);
    const nth = failures[failures.length - EPISODE_FAILURES];
    if (!active && nth !== undefined && e.at - nth <= EPISODE_WINDOW_MS) {
      active = true;
      starts.push(e.at);
    }
  }
  return starts;
}

/** A clock the replay moves by hand; timers are never needed by the predictor. */
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

export function runPredictor(trace: Trace, options: PredictorOptions = {}): TraceResult {
  const clock = replayClock();
  const predictor = createPredictor({ ...options, clock });
  const alarms: Prediction[] = [];
  predictor.predictions$.subscribe((p) => alarms.push(p));
  for (const e of trace.events) {
    clock.set(e.at);
    if (e.type === 'rage-click') predictor.signal({ kind: 'rage-click' });
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
  }
  clock.set(trace.durationMs + HORIZON_MS);
  return { trace, episodes: episodeStarts(trace), alarms, selfReported: predictor.accuracy() };
}

/** "Reactive": what trusting `navigator.onLine` or waiting for errors gives — no predictions at all. */
export function runReactive(trace: Trace): TraceResult {
  return { trace, episodes: episodeStarts(trace), alarms: [] };
}

/**
 * Alarm at the 3rd consecutive failure, once per run of failures, and — like the
 * predictor — never while an episode is already under way.
 */
export function runConsecutive(trace: Trace, n = 3): TraceResult {
  const episodes = episodeStarts(trace);
  const alarms: Alarm[] = [];
  let streak = 0;
  for (const e of trace.events) {
    if (e.type !== 'call') continue;
    streak = e.ok ? 0 : streak + 1;
    if (streak === n && !duringEpisode(trace, e.at)) alarms.push({ at: e.at });
  }
  return { trace, episodes, alarms };
}

/** Whether an episode had already started before `at` and still holds 3 failures in its window. */
function duringEpisode(trace: Trace, at: number): boolean {
  const failures = trace.events.filter((e) => e.type === 'call' && !e.ok && e.at < at).map((e) => e.at);
  const starts = episodeStarts({ ...trace, events: trace.events.filter((e) => e.at < at) });
  if (starts.length === 0) return false;
  const nth = failures[failures.length - EPISODE_FAILURES];
  return nth !== undefined && at - nth <= EPISODE_WINDOW_MS;
}

/** Scores one trace's alarms against its episodes with the contract's rules. */
export function scoreTrace(result: TraceResult): Score {
  const { episodes, alarms } = result;
  let confirmed = 0;
  let falseAlarms = 0;
  let predicted = 0;
  let leadSumMs = 0;
  const claimed = new Set<number>();
  for (const alarm of alarms) {
    const episode = episodes.find((e) => e >= alarm.at && e - alarm.at <= HORIZON_MS && !claimed.has(e));
    if (episode === undefined) {
      falseAlarms += 1;
      continue;
    }
    claimed.add(episode);
    confirmed += 1;
    leadSumMs += episode - alarm.at;
    if (episode - alarm.at >= MIN_LEAD_MS) predicted += 1;
  }
  return {
    alarms: alarms.length,
    confirmed,
    falseAlarms,
    episodes: episodes.length,
    predicted,
    leadSumMs,
    hours: result.trace.durationMs / 3_600_000,
  };
}

export function addScores(scores: Score[]): Score {
  const total: Score = {
    alarms: 0,
    confirmed: 0,
    falseAlarms: 0,
    episodes: 0,
    predicted: 0,
    leadSumMs: 0,
    hours: 0,
  };
  for (const s of scores) {
    total.alarms += s.alarms;
    total.confirmed += s.confirmed;
    total.falseAlarms += s.falseAlarms;
    total.episodes += s.episodes;
    total.predicted += s.predicted;
    total.leadSumMs += s.leadSumMs;
    total.hours += s.hours;
  }
  return total;
}

export interface MethodReport {
  method: Method;
  byScenario: Record<Scenario, Score>;
  overall: Score;
  /** Healthy hours: the `healthy` and `bursts` traces, where any alarm is false. */
  healthy: Score;
  /** Runs where the harness and `predictor.accuracy()` disagreed (should be none). */
  disagreements: string[];
}

export const SCENARIOS: Scenario[] = ['ramp', 'sudden', 'flapping', 'bursts', 'healthy'];

export function evaluate(method: Method, traces: Trace[], options: PredictorOptions = {}): MethodReport {
  const per: Record<Scenario, Score[]> = { ramp: [], sudden: [], flapping: [], bursts: [], healthy: [] };
  const disagreements: string[] = [];
  for (const trace of traces) {
    const result =
      method === 'predictor'
        ? runPredictor(trace, options)
        : method === 'reactive'
          ? runReactive(trace)
          : runConsecutive(trace);
    const score = scoreTrace(result);
    per[trace.scenario].push(score);
    const self = result.selfReported;
    if (self) {
      const same =
        self.predictions === score.alarms &&
        self.confirmed === score.confirmed &&
        self.falseAlarms === score.falseAlarms &&
        self.missed === score.episodes - score.predicted;
      if (!same) {
        disagreements.push(
          `${trace.scenario} seed ${trace.seed}: harness ${JSON.stringify(score)} vs predictor ${JSON.stringify(self)}`,
        );
      }
    }
  }
  const byScenario = Object.fromEntries(SCENARIOS.map((s) => [s, addScores(per[s])])) as Record<
    Scenario,
    Score
  >;
  return {
    method,
    byScenario,
    overall: addScores(SCENARIOS.map((s) => byScenario[s])),
    healthy: addScores([byScenario.healthy, byScenario.bursts]),
    disagreements,
  };
}

export function tracesFor(seeds: number[]): Trace[] {
  return seeds.flatMap((seed) => tracesForSeed(seed));
}

export const precision = (s: Score): number | undefined =>
  s.confirmed + s.falseAlarms === 0 ? undefined : s.confirmed / (s.confirmed + s.falseAlarms);
export const recall = (s: Score): number | undefined =>
  s.episodes === 0 ? undefined : s.predicted / s.episodes;
export const meanLeadMs = (s: Score): number | undefined =>
  s.confirmed === 0 ? undefined : s.leadSumMs / s.confirmed;
export const falseAlarmsPerHour = (s: Score): number => (s.hours === 0 ? 0 : s.falseAlarms / s.hours);

/** The goals the predictor must meet on these traces. */
export function goalsMet(report: MethodReport): { ok: boolean; failures: string[] } {
  const failures: string[] = [];
  const ramp = report.byScenario.ramp;
  const rampRecall = recall(ramp) ?? 0;
  const rampLead = meanLeadMs(ramp) ?? 0;
  const overallPrecision = precision(report.overall) ?? 0;
  const faPerHour = falseAlarmsPerHour(report.healthy);
  if (rampRecall < 0.8) failures.push(`ramp recall ${rampRecall.toFixed(2)} < 0.8`);
  if (rampLead < 5_000) failures.push(`ramp mean lead ${(rampLead / 1000).toFixed(1)} s < 5 s`);
  if (overallPrecision < 0.8) failures.push(`precision ${overallPrecision.toFixed(2)} < 0.8`);
  if (faPerHour > 1) failures.push(`false alarms per healthy hour ${faPerHour.toFixed(2)} > 1`);
  if (report.disagreements.length > 0)
    failures.push(`${report.disagreements.length} disagreement(s) with accuracy()`);
  return { ok: failures.length === 0, failures };
}
