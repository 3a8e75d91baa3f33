import { describe, expect, it } from 'vitest';
import {
  HELD_OUT_RANGES,
  HELD_OUT_SEED_BASE,
  makeSet,
  makeTrace,
  TUNING_RANGES,
  type Trace,
} from '../eval/families.js';
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

// A small slice of the held-out set (`npm run eval:predict` runs all of it): dense traffic,
// six incidents of each family and six healthy hours. The goals are asserted on it; the
// full held-out table, sparse traffic included, is in the README.
const traces = makeSet(HELD_OUT_SEED_BASE, HELD_OUT_RANGES, {
  incidents: { dense: 6, sparse: 0 },
  healthy: { dense: 6, sparse: 0 },
});

describe('prediction evaluation (held-out slice)', () => {
  const predictor = summarise('predictor', traces);
  const consecutive = summarise('3 consecutive failures', traces);
  const ewma = summarise('EWMA > 3× 5-min median', traces);

  it('meets the goals beside both baselines from the same run', () => {
    expect(goalsMet(predictor, consecutive, ewma)).toEqual([]);
    expect(precision(predictor)).toBeGreaterThanOrEqual(0.8);
    expect(recall(predictor)).toBeGreaterThanOrEqual(0.8);
    expect(meanLeadMs(predictor)).toBeGreaterThanOrEqual(5_000);
    expect(falseAlarmsPerHour(predictor)).toBeLessThanOrEqual(1);
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

  it('the 3-consecutive-failures baseline alarms at the outage start, so it never counts as a prediction', () => {
    const r = runMethod(
      '3 consecutive failures',
      trace([
        [1_000, true],
        [2_000, false],
        [3_000, false],
        [4_000, false],
        [5_000, false],
      ]),
    );
    expect(r.outages).toEqual([{ key: 'api', firstFailureAt: 2_000, startedAt: 4_000, foreseen: false }]);
    // Its alarm and the outage come with the same failure: an alarm while an outage is under way
    // is no prediction, for every method alike.
    expect(r.harness).toMatchObject({ predictions: 0, outages: 1, missed: 1 });
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

  it('traces are the same for the same seed, and the two sets differ', () => {
    const a = makeTrace('latency-creep', 'dense', 7, TUNING_RANGES);
    expect(makeTrace('latency-creep', 'dense', 7, TUNING_RANGES)).toEqual(a);
    expect(makeTrace('latency-creep', 'dense', 7, HELD_OUT_RANGES).incident).not.toEqual(a.incident);
  });
});
