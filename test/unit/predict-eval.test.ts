import { describe, expect, it } from 'vitest';
import {
  HELD_OUT_RANGES,
  HELD_OUT_SEED_BASE,
  makeSet,
  makeTrace,
  TUNING_RANGES,
  TUNING_SEED_BASE,
  type Trace,
} from '../eval/families.js';
import type { PredictorOptions } from '../../packages/core/src/predict/index.js';
import {
  consecutiveFailures,
  falseAlarmsPerHour,
  goalsMet,
  meanLeadMs,
  precision,
  recall,
  runMethod,
  summarise,
} from '../eval/score.js';

// A small slice of the held-out set: dense traffic, six incidents of each family and six
// healthy hours, for the per-goal assertions below. The full held-out set (what
// `npm run eval:predict` prints, and docs/prediction.md quotes) is held to every goal at once.
const traces = makeSet(HELD_OUT_SEED_BASE, HELD_OUT_RANGES, {
  incidents: { dense: 6, sparse: 0 },
  healthy: { dense: 6, sparse: 0 },
});

describe('prediction evaluation (full held-out set)', () => {
  it('meets every goal, the lead compared with the 3-consecutive-failures baseline on incidents both foresaw', () => {
    const all = makeSet(HELD_OUT_SEED_BASE, HELD_OUT_RANGES);
    const [p, c, e] = (['predictor', '3 consecutive failures', 'EWMA > 3× 5-min median'] as const).map((m) =>
      summarise(m, all),
    );
    expect(p && c && e && goalsMet(p, c, e)).toEqual([]);
  });
});

describe('prediction evaluation (held-out slice)', () => {
  const predictor = summarise('predictor', traces);
  const consecutive = summarise('3 consecutive failures', traces);
  const ewma = summarise('EWMA > 3× 5-min median', traces);

  it('meets the precision, recall, lead and false-alarm goals, with recall above the EWMA baseline', () => {
    expect(precision(predictor)).toBeGreaterThanOrEqual(0.8);
    expect(recall(predictor)).toBeGreaterThanOrEqual(0.8);
    expect(meanLeadMs(predictor)).toBeGreaterThanOrEqual(5_000);
    expect(falseAlarmsPerHour(predictor)).toBeLessThanOrEqual(1);
    expect(recall(predictor)).toBeGreaterThan(recall(ewma) ?? 0);
  });

  it('scores both baselines for real: a run of 3 failures during an error creep can lead the outage', () => {
    expect(consecutive.foreseen).toBeGreaterThan(0);
    expect(meanLeadMs(consecutive)).toBeGreaterThan(0);
    // Most of its alarms come with the outage's own failures: late, not predictions.
    expect(consecutive.late).toBeGreaterThan(consecutive.foreseen);
    expect(ewma.foreseen).toBeGreaterThan(0);
  });

  it("agrees with the predictor's own accuracy() on every trace", () => {
    expect(predictor.disagreements).toEqual([]);
  });

  it('healthy traces hold outages only by rare coincidence (a blip and a stray 5xx together)', () => {
    expect(predictor.healthyHours).toBeGreaterThanOrEqual(6);
    expect(predictor.unexpectedOutages).toBeLessThanOrEqual(1);
  });
});

describe('the scoring itself', () => {
  const trace = (calls: Array<[number, boolean]>): Trace => ({
    id: 'test',
    family: 'sudden',
    rate: 'dense',
    durationMs: 400_000,
    events: calls.map(([at, ok]) => ({ type: 'call' as const, at, ok, latencyMs: 10 })),
  });

  /** `n` calls one `everyMs` apart from `from`, all failed or all answered. */
  const run = (from: number, n: number, ok: boolean, everyMs = 1_000): Array<[number, boolean]> =>
    Array.from({ length: n }, (_, i) => [from + i * everyMs, ok] as [number, boolean]);

  it('an outage begins at the first failure of 10 s of failures; an alarm at its 3rd failure is late', () => {
    const r = runMethod('3 consecutive failures', trace([...run(0, 20, true), ...run(20_000, 12, false)]));
    // Known at 30 000 (10 s of failures), begun at 20 000.
    expect(r.outages).toEqual([{ key: 'api', firstFailureAt: 20_000, startedAt: 30_000, foreseen: false }]);
    expect(r.harness).toMatchObject({ predictions: 1, late: 1, confirmed: 0, falseAlarms: 0, missed: 1 });
  });

  it('3 failures in a row before the dependency is down lead the outage that follows', () => {
    const r = runMethod(
      '3 consecutive failures',
      trace([
        ...run(0, 20, true),
        ...run(20_000, 3, false),
        ...run(23_000, 5, true),
        ...run(28_000, 12, false),
      ]),
    );
    expect(r.outages).toEqual([{ key: 'api', firstFailureAt: 28_000, startedAt: 38_000, foreseen: true }]);
    expect(r.harness).toMatchObject({ predictions: 1, confirmed: 1, late: 0, meanLeadTimeMs: 6_000 });
  });

  it('failures for less than 10 s, or with more than 1 answer in 5, are no outage', () => {
    const short = runMethod('3 consecutive failures', trace([...run(0, 10, false), [9_500, true]]));
    expect(short.outages).toEqual([]);
    const calls: Array<[number, boolean]> = [];
    for (let t = 0; t < 60_000; t += 1_000) calls.push([t, t % 3_000 === 0]);
    // Two failures in three: a failure rate, not a dependency that is down.
    expect(runMethod('3 consecutive failures', trace(calls)).outages).toEqual([]);
  });

  it('a run of failures broken by a success is no outage', () => {
    const detect = consecutiveFailures();
    const r = runMethod(
      '3 consecutive failures',
      trace([
        [1_000, false],
        [2_000, false],
        [3_000, true],
        [4_000, false],
      ]),
    );
    expect(r.outages).toEqual([]);
    expect(detect({ type: 'call', at: 0, ok: false, latencyMs: 1 })).toBe(false);
  });

  it("counts the requests the predictor's key sees: accuracy() and the harness agree on outcomes that say nothing, and on probes before any call", () => {
    const events: Trace['events'] = [];
    // Failed health checks before the page has called the dependency: no key to count them for.
    for (let at = 1_000; at < 20_000; at += 1_000)
      events.push({ type: 'probe', at, ok: false, latencyMs: 5_000 });
    for (let at = 20_000; at < 60_000; at += 1_000)
      events.push({ type: 'call', at, ok: true, latencyMs: 100 });
    // The device offline: no request reached the dependency.
    for (let at = 60_000; at < 80_000; at += 1_000)
      events.push({ type: 'call', at, ok: false, latencyMs: 100, category: 'offline' });
    const r = runMethod('predictor', { ...trace([]), events });
    expect(r.harness).toMatchObject({ outages: 0 });
    expect(r.selfReported).toEqual(r.harness);
  });

  it('the goals can be missed: a deliberately worse predictor fails them (on tuning traces)', () => {
    const tuning = makeSet(TUNING_SEED_BASE, TUNING_RANGES, {
      incidents: { dense: 4, sparse: 0 },
      healthy: { dense: 4, sparse: 0 },
    });
    const check = (options: PredictorOptions) =>
      goalsMet(
        summarise('predictor', tuning, options),
        summarise('3 consecutive failures', tuning),
        summarise('EWMA > 3× 5-min median', tuning),
      );
    // The defaults meet precision and recall on this slice (too small for the baseline to
    // foresee an incident, so the paired-lead goal is out of reach for any option set here).
    expect(check({})).toEqual([
      'lead not comparable: no incident foreseen by both the predictor and 3 consecutive failures',
    ]);
    // Hair-trigger: evidence of a shift as soon as there is any.
    expect(
      check({ latencyThreshold: 0.5, errorThreshold: 0.5, persistMs: 0, minLatencyRatio: 1.01 }),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^precision \d+ % < 80 %$/)]));
    // Deaf: never enough evidence.
    expect(check({ latencyThreshold: 1_000, errorThreshold: 1_000 })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^recall 0 % < 80 %$/),
        'recall not above the EWMA baseline',
        'lead not comparable: no incident foreseen by both the predictor and 3 consecutive failures',
      ]),
    );
  });

  it('traces are the same for the same seed, and the two sets differ', () => {
    const a = makeTrace('latency-creep', 'dense', 7, TUNING_RANGES);
    expect(makeTrace('latency-creep', 'dense', 7, TUNING_RANGES)).toEqual(a);
    expect(makeTrace('latency-creep', 'dense', 7, HELD_OUT_RANGES).incident).not.toEqual(a.incident);
  });
});
