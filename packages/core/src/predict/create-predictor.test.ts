import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import type { Failure, FailureCategory } from '../failure/types.js';
import { createPredictor } from './create-predictor.js';
import { KeyHealth } from './key-health.js';
import { FrustrationMeter } from './frustration-meter.js';
import type { Prediction, PredictorOptions, RiskSnapshot } from './types.js';

function settableClock(start = 0): Clock & { set(t: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (t) => {
      now = t;
    },
    advance: (ms) => {
      now += ms;
    },
    setTimeout: () => {
      throw new Error('the predictor must not need timers');
    },
    clearTimeout: () => {},
  };
}

function failure(category: FailureCategory = 'server'): Failure {
  return { category, retryable: true, impact: 'high', message: category, cause: null };
}

function setup(options: PredictorOptions = {}) {
  const clock = settableClock(1_000_000);
  const predictor = createPredictor({ clock, ...options });
  const predictions: Prediction[] = [];
  predictor.predictions$.subscribe((p) => predictions.push(p));
  /** `n` calls one `everyMs` apart, each `latencyMs` long. */
  const calls = (n: number, latencyMs: number, everyMs = 1_000, key = 'api') => {
    for (let i = 0; i < n; i++) {
      clock.advance(everyMs);
      predictor.record({ key, ok: true, latencyMs });
    }
  };
  const fail = (category: FailureCategory = 'server', latencyMs = 50, key = 'api') => {
    clock.advance(1_000);
    predictor.record({ key, ok: false, latencyMs, failure: failure(category) });
  };
  return { clock, predictor, predictions, calls, fail };
}

describe('createPredictor', () => {
  it('knows nothing about a key it has not seen', () => {
    const { predictor } = setup();
    expect(predictor.risk('nope')).toEqual({ key: 'nope', score: 0, level: 'low', reasons: [] });
  });

  it('stays low on healthy traffic', () => {
    const { predictor, calls, predictions } = setup();
    calls(200, 100);
    expect(predictor.risk('api')).toMatchObject({ level: 'low', score: 0 });
    expect(predictions).toHaveLength(0);
  });

  it('a sustained 3× shift turns risk high within seconds, with diagnostics in the reasons', () => {
    const { predictor, calls, predictions, clock } = setup();
    calls(120, 100, 500);
    const shiftAt = clock.now();
    calls(20, 300, 500);
    const risk = predictor.risk('api');
    expect(risk.level).toBe('high');
    expect(risk.reasons[0]).toMatch(
      /^calls \d+\.\d× slower than their usual 100 ms, sustained over \d+ observation\(s\) in \d+\.\d s$/,
    );
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ key: 'api', horizonMs: 60_000, id: 'prediction-1' });
    expect((predictions[0]?.at ?? 0) - shiftAt).toBeLessThanOrEqual(5_000);
    expect(predictions[0]?.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it('a single latency spike, or a stall that releases queued calls together, is not a trend', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(120, 100, 500);
    calls(1, 5_000);
    calls(10, 100, 500);
    // A 4 s stall: the calls made during it all complete within a few milliseconds of its end.
    clock.advance(4_000);
    for (let i = 0; i < 8; i++) {
      clock.advance(5);
      predictor.record({ key: 'api', ok: true, latencyMs: 4_000 - i * 500 });
    }
    calls(20, 100, 500);
    expect(predictor.risk('api').level).not.toBe('high');
    expect(predictions).toHaveLength(0);
  });

  it('a mild slowdown (2×) stays below high', () => {
    const { predictor, calls, predictions } = setup();
    calls(120, 100, 500);
    calls(60, 200, 500);
    expect(predictor.risk('api').level).not.toBe('high');
    expect(predictions).toHaveLength(0);
  });

  it('slow drift over tens of minutes is a new normal, not an incident', () => {
    const { predictor, calls, predictions } = setup();
    // From 100 ms to 400 ms over 40 minutes, one call a second.
    for (let i = 0; i <= 2_400; i++) calls(1, 100 * 4 ** (i / 2_400));
    expect(predictions).toHaveLength(0);
    expect(predictor.risk('api').level).toBe('low');
  });

  it('a rising error rate, latency flat, is predicted before the outage; the lead runs to its first failure', () => {
    const { predictor, clock, predictions } = setup();
    let n = 0;
    const outcome = (failRate: number) => {
      clock.advance(1_000);
      // Deterministic spread: fail on every (1 / rate)-th call.
      n += failRate;
      const failed = n >= 1;
      if (failed) n -= 1;
      predictor.record(
        failed
          ? { key: 'api', ok: false, latencyMs: 100, failure: failure() }
          : { key: 'api', ok: true, latencyMs: 100 },
      );
    };
    for (let i = 0; i < 200; i++) outcome(0.005);
    for (let i = 0; i < 60 && predictions.length === 0; i++) outcome(0.01 + (0.24 * i) / 60);
    expect(predictions).toHaveLength(1);
    expect(predictions[0]?.reasons[0]).toMatch(
      /^failure rate rising: \d+ of \d+ recent outcomes failed, usually \d+\.\d %$/,
    );
    clock.advance(5_000);
    const firstFailure = clock.now() + 1_000;
    predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    // Every call fails for 10 s: the outage, which began at the first of them.
    for (let i = 0; i < 11; i++) outcome(1);
    expect(predictor.accuracy()).toEqual({
      predictions: 1,
      confirmed: 1,
      falseAlarms: 0,
      late: 0,
      outages: 1,
      missed: 0,
      precision: 1,
      recall: 1,
      meanLeadTimeMs: firstFailure - (predictions[0]?.at ?? 0),
    });
  });

  it('risk falls back once failures stop: after five answers over 10 s, or as time passes with no outcome', () => {
    const { predictor, calls, fail, clock } = setup({ persistMs: 0 });
    calls(120, 100, 500);
    const failThenAnswer = () => {
      fail();
      calls(1, 100);
      fail();
      calls(1, 100);
      fail();
    };
    failThenAnswer();
    expect(predictor.risk('api').level).toBe('high');
    calls(4, 100, 2_500);
    expect(predictor.risk('api').level).toBe('high');
    calls(1, 100, 2_500);
    expect(predictor.risk('api').level).toBe('low');
    failThenAnswer();
    expect(predictor.risk('api').level).toBe('high');
    // No outcome at all (a breaker open, nothing observed): the evidence fades with time.
    clock.advance(60_000);
    expect(predictor.risk('api').level).not.toBe('high');
  });

  it('a network blip (two quick failures) is no prediction; failures for 10 s are an outage, missed', () => {
    const { predictor, calls, fail, predictions, clock } = setup();
    calls(120, 100, 500);
    fail('network');
    clock.advance(-700);
    fail('network');
    calls(1, 100);
    expect(predictor.risk('api').level).not.toBe('high');
    expect(predictions).toHaveLength(0);
    calls(60, 100, 500);
    fail();
    fail();
    fail();
    expect(predictor.risk('api').reasons[0]).toBe('failing now: 3 failures in a row');
    // Three failures in 2 s are not yet an outage by the scoring definition: 10 s of them are.
    expect(predictor.accuracy().outages).toBe(0);
    for (let i = 0; i < 7; i++) fail();
    expect(predictor.accuracy().outages).toBe(0);
    fail();
    expect(predictor.accuracy()).toMatchObject({
      predictions: 0,
      outages: 1,
      missed: 1,
      recall: 0,
      precision: 0,
    });
  });

  it('an outage whose calls stopped is over for the score once a probe answers, and over for good after errorWindowMs', () => {
    const { predictor, calls, fail, clock } = setup();
    calls(120, 100, 500);
    for (let i = 0; i < 11; i++) fail();
    expect(predictor.risk('api').level).toBe('high');
    clock.advance(2_000);
    predictor.probe({ ok: true, latencyMs: 30 });
    expect(predictor.risk('api').reasons[0]).toBe('failing now: 11 failures in a row');
    clock.advance(5_000);
    predictor.probe({ ok: true, latencyMs: 30 });
    expect(predictor.risk('api').level).toBe('low');
    // Without any probe, the outage ends errorWindowMs after its last failure.
    calls(10, 100, 500);
    for (let i = 0; i < 11; i++) fail();
    clock.advance(59_000);
    expect(predictor.risk('api').level).toBe('high');
    clock.advance(2_000);
    expect(predictor.risk('api').level).toBe('low');
    expect(predictor.accuracy().outages).toBe(2);
  });

  it('failures further apart than errorWindowMs are no episode; the scored outage has its own fixed gap', () => {
    const { predictor, clock, calls } = setup({ errorWindowMs: 10_000 });
    calls(30, 100);
    for (let i = 0; i < 5; i++) {
      clock.advance(11_000);
      predictor.record({ key: 'api', ok: false, latencyMs: 40 });
    }
    expect(predictor.risk('api').reasons[0] ?? '').not.toMatch(/^failing now/);
    // Nothing answered for 44 s, every request failed: an outage, whatever the predictor's options.
    expect(predictor.accuracy().outages).toBe(1);
    calls(1, 100);
    for (let i = 0; i < 5; i++) {
      clock.advance(61_000);
      predictor.record({ key: 'api', ok: false, latencyMs: 40 });
    }
    expect(predictor.accuracy().outages).toBe(1);
  });

  it('a prediction raised after the first failure of the outage is late: neither confirmed nor a false alarm', () => {
    const { predictor, calls, fail, predictions } = setup({ errorThreshold: 2, persistMs: 0 });
    calls(120, 100, 500);
    fail();
    fail();
    expect(predictions).toHaveLength(1);
    for (let i = 0; i < 9; i++) fail();
    expect(predictor.accuracy()).toMatchObject({
      predictions: 1,
      confirmed: 0,
      falseAlarms: 0,
      late: 1,
      outages: 1,
      missed: 1,
      precision: 0,
    });
  });

  it('a prediction with no outage within the horizon is a false alarm, decided from timestamps when read', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(120, 100, 500);
    calls(10, 700, 500);
    expect(predictions).toHaveLength(1);
    expect(predictor.activePredictions()).toEqual(predictions);
    clock.set((predictions[0]?.at ?? 0) + 60_000);
    expect(predictor.accuracy().falseAlarms).toBe(0);
    clock.advance(1);
    expect(predictor.accuracy()).toMatchObject({
      predictions: 1,
      confirmed: 0,
      falseAlarms: 1,
      precision: 0,
    });
    expect(predictor.activePredictions()).toEqual([]);
  });

  it('a run of failures that began within the horizon is awaited before the prediction lapses', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(120, 100, 500);
    calls(10, 700, 500);
    const p = predictions[0];
    if (!p) throw new Error('no prediction');
    clock.set(p.at + 59_000);
    predictor.record({ key: 'api', ok: false, latencyMs: 50, failure: failure() });
    clock.set(p.at + 70_000);
    predictor.record({ key: 'api', ok: false, latencyMs: 50, failure: failure() });
    expect(predictor.accuracy().falseAlarms).toBe(0);
    predictor.record({ key: 'api', ok: false, latencyMs: 50, failure: failure() });
    expect(predictor.accuracy()).toMatchObject({ confirmed: 1, falseAlarms: 0, meanLeadTimeMs: 59_000 });
  });

  it('makes no second prediction while one is open, and predicts afresh once it lapses with risk still high', () => {
    const { predictor, calls, predictions } = setup();
    calls(120, 100, 500);
    calls(20, 700, 1_000);
    expect(predictions).toHaveLength(1);
    calls(50, 700, 1_000); // 70 s of high risk: the first prediction lapsed at 60 s
    expect(predictions).toHaveLength(2);
    expect(predictions[1]?.id).toBe('prediction-2');
    expect(predictor.accuracy()).toMatchObject({ predictions: 2, falseAlarms: 1 });
  });

  it('three failures in a row among answers are part of a rising rate, not an outage that swallows the warning', () => {
    const { predictor, calls, fail, clock, predictions } = setup();
    calls(120, 100, 500);
    // Three failures in a row: a failure episode opens and risk is high, but no prediction
    // is made while it lasts.
    for (let i = 0; i < 3; i++) fail();
    expect(predictor.risk('api').reasons[0]).toBe('failing now: 3 failures in a row');
    expect(predictions).toHaveLength(0);
    // An answer within seconds ends the episode: short, so its failures are evidence of a
    // rising failure rate and the warning comes now, before any outage.
    clock.advance(500);
    predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    expect(predictions).toHaveLength(1);
    expect(predictions[0]?.reasons[0]).toMatch(/^failure rate rising: 3 of 4 recent outcomes failed/);
    expect(predictor.accuracy()).toMatchObject({ outages: 0, late: 0 });
  });

  it('reading risk() between samples changes nothing: an episode that ran out is over either way', () => {
    /** The same samples, with or without a read of risk() in a quiet moment. */
    const replay = (
      options: PredictorOptions,
      read: boolean,
      samples: (s: ReturnType<typeof setup>) => void,
    ) => {
      const s = setup({ persistMs: 0, ...options });
      s.calls(120, 100, 500);
      samples({
        ...s,
        clock: { ...s.clock, advance: (ms) => (s.clock.advance(ms), read && s.predictor.risk('api')) },
      });
      return { predictions: s.predictions.length, risk: s.predictor.risk('api') };
    };
    // Three failures, then an answer 6 s later: the episode ran out after 2 s, not ended by it.
    const answerAfterExpiry = (s: ReturnType<typeof setup>) => {
      for (let i = 0; i < 3; i++) s.fail();
      s.clock.advance(6_000);
      s.predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    };
    const short = { errorWindowMs: 2_000 };
    expect(replay(short, true, answerAfterExpiry)).toEqual(replay(short, false, answerAfterExpiry));
    expect(replay(short, false, answerAfterExpiry).predictions).toBe(0);
    // A failure after the episode ran out is evidence of its own, not one of the episode's.
    const failureAfterExpiry = (s: ReturnType<typeof setup>) => {
      for (let i = 0; i < 2; i++) {
        s.fail();
        s.calls(1, 100);
      }
      s.fail();
      s.clock.advance(61_000);
      s.fail();
      s.clock.advance(500);
      s.predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    };
    const one = { episodeFailures: 1 };
    expect(replay(one, true, failureAfterExpiry)).toEqual(replay(one, false, failureAfterExpiry));
  });

  it('a dependency that flaps (four failures, an answer, over and over) is down: no stream of predictions its own failures confirm', () => {
    const { predictor, calls, fail, predictions } = setup();
    calls(300, 100, 500);
    for (let i = 0; i < 120; i++) {
      for (let j = 0; j < 4; j++) fail();
      calls(1, 100);
    }
    // 80 % of requests failing: an outage every time 10 s of it have passed since an answer.
    expect(predictor.accuracy()).toMatchObject({ outages: 40, confirmed: 0, late: 0 });
    expect(predictions).toHaveLength(0);
  });

  it('an episode that lasts is an outage: the answer that ends it brings no warning', () => {
    const { predictor, calls, fail, clock, predictions } = setup();
    calls(120, 100, 500);
    for (let i = 0; i < 12; i++) fail();
    clock.advance(500);
    predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    expect(predictions).toHaveLength(0);
    expect(predictor.risk('api').level).toBe('low');
    expect(predictor.accuracy()).toMatchObject({ outages: 1, missed: 1 });
  });

  it('no prediction is made during an outage, and its evidence does not outlive it', () => {
    const { predictor, calls, fail, predictions } = setup();
    calls(120, 100, 500);
    for (let i = 0; i < 11; i++) fail();
    expect(predictor.accuracy().missed).toBe(1);
    expect(predictions).toHaveLength(0);
    calls(20, 100, 500);
    expect(predictor.risk('api').level).toBe('low');
    expect(predictions).toHaveLength(0);
  });

  it('ignores outcomes that say nothing about the dependency, and counts a 4xx as a sign of life', () => {
    const { predictor, calls, fail, predictions } = setup();
    calls(30, 100);
    for (const category of ['aborted', 'offline', 'circuit-open', 'storage'] as const) {
      fail(category);
      fail(category);
      fail(category);
    }
    for (let i = 0; i < 8; i++) fail('client');
    expect(predictor.accuracy().outages).toBe(0);
    expect(predictor.risk('api').level).toBe('low');
    expect(predictions).toHaveLength(0);
  });

  it('time in a background tab with no samples is not silence', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(120, 100, 500);
    clock.advance(600_000);
    // Back in the foreground: the page refreshes, several calls at once.
    for (let i = 0; i < 4; i++) predictor.record({ key: 'api', ok: true, latencyMs: 150 + i * 50 });
    calls(20, 100, 500);
    expect(predictor.risk('api').level).toBe('low');
    expect(predictions).toHaveLength(0);
  });

  it('sparse traffic: connectivity probes count as samples, and the reasons say so', () => {
    const { predictor, clock, predictions } = setup();
    const at = () => clock.now();
    // One call every 15 s and a probe in between, for ten minutes.
    for (let i = 0; i < 40; i++) {
      clock.advance(7_500);
      predictor.probe({ ok: true, latencyMs: 40, at: at() });
      clock.advance(7_500);
      predictor.record({ key: 'api', ok: true, latencyMs: 200 });
    }
    expect(predictor.risk('api').level).toBe('low');
    // The backend slows down 5×: the probes see it as well as the calls.
    for (let i = 0; i < 3 && predictions.length === 0; i++) {
      clock.advance(7_500);
      predictor.probe({ ok: true, latencyMs: 200 });
      clock.advance(7_500);
      predictor.record({ key: 'api', ok: true, latencyMs: 1_000 });
    }
    expect(predictions).toHaveLength(1);
    expect(predictions[0]?.reasons.join('\n')).toMatch(
      /sparse traffic: about one sample every \d+ s; judged on few samples, connectivity probes included \(4\d so far\)/,
    );
  });

  it('frustration raises risk for its key, or for every key without one, and fades; alone it never makes a prediction', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(30, 100, 1_000, 'a');
    calls(30, 100, 1_000, 'b');
    for (let i = 0; i < 6; i++) predictor.signal({ kind: i % 2 ? 'rage-click' : 'repeat-submit', key: 'a' });
    expect(predictor.risk('a').score).toBeCloseTo(0.3, 1);
    expect(predictor.risk('a').reasons).toEqual(['users show frustration (rage-click, repeat-submit)']);
    expect(predictor.risk('b').score).toBe(0);
    predictor.signal({ kind: 'abandon' });
    expect(predictor.risk('b').score).toBeGreaterThan(0);
    expect(predictions).toHaveLength(0);
    clock.advance(120_000);
    expect(predictor.risk('a').score).toBeLessThan(0.01);
  });

  it('risk$ gives every key at once, then again when a level changes', () => {
    const { predictor, calls } = setup();
    calls(120, 100, 500);
    const seen: RiskSnapshot[][] = [];
    const sub = predictor.risk$.subscribe((list) => seen.push(list));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual([{ key: 'api', score: 0, level: 'low', reasons: [] }]);
    calls(30, 100, 500);
    expect(seen).toHaveLength(1);
    calls(10, 700, 500);
    expect(seen.some((list) => list[0]?.level === 'high')).toBe(true);
    sub.unsubscribe();
  });

  it('risk$: a subscriber that throws is reported apart, one that unsubscribes while being told stops, the rest are told', () => {
    const reported: Array<() => void> = [];
    const defer = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((f) => void reported.push(f));
    try {
      const { predictor, calls } = setup();
      calls(120, 100, 500);
      let once = 0;
      let rest = 0;
      const leaving = predictor.risk$.subscribe(() => {
        once += 1;
        if (once === 2) leaving.unsubscribe();
      });
      predictor.risk$.subscribe(() => {
        throw new Error('subscriber bug');
      });
      predictor.risk$.subscribe(() => {
        rest += 1;
      });
      calls(10, 700, 500);
      calls(60, 100, 500);
      expect(once).toBe(2);
      expect(rest).toBeGreaterThan(2);
      expect(reported.length).toBe(rest);
      expect(() => reported[0]?.()).toThrow('subscriber bug');
      // The predictor itself carried on: a prediction, and accuracy as usual.
      expect(predictor.accuracy().predictions).toBe(1);
    } finally {
      defer.mockRestore();
    }
  });

  it('keys and failure categories that are also Object property names are plain names', () => {
    const { predictor, calls } = setup();
    const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    for (const key of keys) {
      calls(10, 100, 500, key);
      for (let i = 0; i < 3; i++)
        predictor.record({ key, ok: false, latencyMs: 50, failure: failure(key as FailureCategory) });
    }
    expect(predictor.keys()).toEqual(keys);
    // A category it does not know counts as a failure, whatever its name.
    for (const key of keys) expect(predictor.risk(key).reasons[0]).toBe('failing now: 3 failures in a row');
    expect(predictor.risk('valueOf')).toEqual({ key: 'valueOf', score: 0, level: 'low', reasons: [] });
  });

  it('time never runs backwards for a key: late samples are taken as now', () => {
    const { predictor, clock } = setup();
    clock.set(10_000);
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 10_000 });
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 9_000 });
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 5_000 });
    expect(predictor.risk('api').reasons[0]).toBe('failing now: 3 failures in a row');
    // Failing since 10 000: an outage once that has lasted 10 s.
    clock.set(19_999);
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 19_999 });
    expect(predictor.accuracy().outages).toBe(0);
    clock.set(20_000);
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 20_000 });
    expect(predictor.accuracy().outages).toBe(1);
  });

  it('nor is it ever ahead of the clock: a sample from the future is taken as now, and cannot freeze its key', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(120, 100, 500);
    // Another time base (a Date.now() beside a monotonic clock): a trillion ms ahead.
    predictor.record({ key: 'api', ok: true, latencyMs: 100, at: clock.now() + 1e12 });
    predictor.signal({ kind: 'rage-click', at: clock.now() + 1e12 });
    clock.advance(60_000);
    expect(predictor.risk('api').score).toBeLessThan(0.01);
    calls(10, 700, 500);
    expect(predictions).toHaveLength(1);
    expect(predictions[0]?.at).toBeLessThanOrEqual(clock.now());
    clock.advance(61_000);
    expect(predictor.accuracy()).toMatchObject({ predictions: 1, falseAlarms: 1 });
  });

  it('refuses a time or a latency that is not finite, which would poison every average it reaches', () => {
    const { predictor, calls } = setup();
    calls(20, 100);
    for (const at of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '5' as never]) {
      expect(() => predictor.record({ key: 'api', ok: true, latencyMs: 1, at })).toThrow(
        /^record\(\): sample field "at" must be a finite number/,
      );
      expect(() => predictor.probe({ ok: true, latencyMs: 1, at })).toThrow(
        /^probe\(\): sample field "at" must be a finite number/,
      );
      expect(() => predictor.signal({ kind: 'rage-click', at })).toThrow(
        /^signal\(\): signal field "at" must be a finite number/,
      );
    }
    expect(() => predictor.probe({ ok: true, latencyMs: Number.POSITIVE_INFINITY, key: 'api' })).toThrow(
      'probe(): sample field "latencyMs" must be a finite number (received Infinity)',
    );
    calls(1, 100);
    expect(predictor.risk('api')).toEqual({ key: 'api', score: 0, level: 'low', reasons: [] });
  });

  it('rejects bad options and bad samples with a TypeError naming the field', () => {
    expect(() => createPredictor({ minLatencyRatio: 1 })).toThrow(/minLatencyRatio/);
    expect(() => createPredictor({ latencyThreshold: 0 })).toThrow(/latencyThreshold/);
    expect(() => createPredictor({ errorThreshold: -1 })).toThrow(/errorThreshold/);
    expect(() => createPredictor({ persistMs: -1 })).toThrow(/persistMs/);
    expect(() => createPredictor({ episodeFailures: 2.5 })).toThrow(/episodeFailures/);
    expect(() => createPredictor({ horizonMs: -1 })).toThrow(TypeError);
    expect(() => createPredictor({ slowFactor: 3 } as never)).toThrow(/slowFactor/);
    const { predictor } = setup();
    expect(() => predictor.record({ key: '', ok: true, latencyMs: 1 })).toThrow(
      'record(): sample field "key" must not be empty (received "")',
    );
    expect(() => predictor.record({ key: 'a', ok: 1 as never, latencyMs: 1 })).toThrow(/ok/);
    expect(() => predictor.record({ key: 'a', ok: true, latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => predictor.record({ key: 'a', ok: true, latencyMs: Number.POSITIVE_INFINITY })).toThrow(
      /latencyMs/,
    );
    expect(() => predictor.probe({ ok: true, latencyMs: -1 })).toThrow(
      /^probe\(\): sample field "latencyMs"/,
    );
    expect(() => predictor.probe({ ok: true, latencyMs: 1, key: '' })).toThrow(
      /^probe\(\): sample field "key"/,
    );
    expect(() => predictor.signal({ kind: 'shout' as never })).toThrow(
      /^signal\(\): signal field "kind" must be one of "rage-click", /,
    );
    expect(() => predictor.signal({ kind: 'rage-click', key: '' })).toThrow(
      'signal(): signal field "key" must not be empty (received "")',
    );
  });

  it('names a misspelt field of a sample it refuses', () => {
    const { predictor } = setup();
    expect(() => predictor.record({ key: 'a', ok: true, latencyMS: 1 } as never)).toThrow(
      'record(): unknown sample field "latencyMS"; sample field "latencyMs" must be a finite number (received undefined)',
    );
  });
});

describe('maxKeys: how many keys are tracked', () => {
  /** Makes `key`'s risk turn high (sustained slowness), which opens a prediction. */
  function predictFor(t: ReturnType<typeof setup>, key: string): Prediction {
    t.calls(120, 100, 500, key);
    t.calls(10, 700, 500, key);
    const p = t.predictions.find((candidate) => candidate.key === key);
    if (!p) throw new Error(`no prediction for ${key}`);
    return p;
  }

  it('forgets the least recently observed key, a signal counting as an observation', () => {
    const { predictor, clock } = setup({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) predictor.record({ key, ok: true, latencyMs: 50 });
    clock.advance(1_000);
    predictor.record({ key: 'a', ok: true, latencyMs: 50 });
    predictor.signal({ kind: 'rage-click', key: 'b' });
    predictor.record({ key: 'd', ok: true, latencyMs: 50 });
    expect(predictor.keys()).toEqual(['a', 'b', 'd']);
    expect(predictor.risk('c')).toEqual({ key: 'c', score: 0, level: 'low', reasons: [] });
    // A frustration signal for no key touches every key but observes none of them.
    predictor.signal({ kind: 'rage-click' });
    predictor.record({ key: 'e', ok: true, latencyMs: 50 });
    expect(predictor.keys()).toEqual(['b', 'd', 'e']);
  });

  it('holds 256 keys by default, however many come', () => {
    const { predictor } = setup();
    for (let i = 0; i < 10_000; i++) predictor.record({ key: `/api/notes/${i}`, ok: true, latencyMs: 50 });
    expect(predictor.keys()).toHaveLength(256);
    expect(predictor.keys()[255]).toBe('/api/notes/9999');
  });

  it('passes over a key with an open prediction or an ongoing outage while another can go', () => {
    const t = setup({ maxKeys: 3 });
    const { predictor, calls, fail } = t;
    predictFor(t, 'slow');
    for (let i = 0; i < 11; i++) fail('server', 50, 'down');
    calls(1, 50, 1_000, 'idle');
    expect(predictor.accuracy()).toMatchObject({ predictions: 1, missed: 1 });
    calls(1, 50, 1_000, 'new');
    expect(predictor.keys().sort()).toEqual(['down', 'new', 'slow']);
    // The outage goes on: more failures of `down` are not a second outage.
    fail('server', 50, 'down');
    expect(predictor.accuracy()).toMatchObject({ predictions: 1, missed: 1, falseAlarms: 0 });
  });

  it("a forgotten key's open prediction still lapses into a false alarm, once", () => {
    const t = setup({ maxKeys: 1 });
    const { predictor, clock } = t;
    const p = predictFor(t, 'api');
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    expect(predictor.keys()).toEqual(['other']);
    expect(predictor.activePredictions()).toEqual([p]);
    expect(predictor.accuracy()).toMatchObject({ predictions: 1, confirmed: 0, falseAlarms: 0 });
    clock.set(p.at + 60_000);
    expect(predictor.accuracy().falseAlarms).toBe(0);
    clock.advance(1);
    expect(predictor.accuracy()).toMatchObject({
      predictions: 1,
      confirmed: 0,
      falseAlarms: 1,
      precision: 0,
    });
    expect(predictor.accuracy().falseAlarms).toBe(1);
    expect(predictor.activePredictions()).toEqual([]);
  });

  it('a forgotten key that comes back within the horizon takes its prediction back, and an outage confirms it', () => {
    const t = setup({ maxKeys: 1 });
    const { predictor, clock, fail, predictions } = t;
    const p = predictFor(t, 'api');
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    fail('server', 50, 'api');
    const firstFailureAt = clock.now();
    expect(predictor.keys()).toEqual(['api']);
    expect(predictor.activePredictions()).toEqual([p]);
    for (let i = 0; i < 10; i++) fail('server', 50, 'api');
    expect(predictions).toHaveLength(1);
    expect(predictor.accuracy()).toEqual({
      predictions: 1,
      confirmed: 1,
      falseAlarms: 0,
      late: 0,
      outages: 1,
      missed: 0,
      precision: 1,
      recall: 1,
      meanLeadTimeMs: firstFailureAt - p.at,
    });
    expect(predictor.activePredictions()).toEqual([]);
  });

  it('a forgotten key takes back the stretch of failures it was in: a prediction made after its first failure stays late', () => {
    const { predictor, clock, calls, fail, predictions } = setup({ maxKeys: 1 });
    calls(120, 100, 500);
    for (let i = 0; i < 30; i++) {
      clock.advance(1_000);
      predictor.probe({ ok: true, latencyMs: 30, key: 'api' });
    }
    // A failed call begins a stretch; then the health check slows down 10×: a prediction, but
    // after the first failure of what is about to be an outage.
    fail();
    const firstFailureAt = clock.now();
    for (let i = 0; i < 10 && predictions.length === 0; i++) {
      clock.advance(1_000);
      predictor.probe({ ok: true, latencyMs: 300, key: 'api' });
    }
    expect(predictions[0]?.at).toBeGreaterThan(firstFailureAt);
    clock.advance(100);
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    expect(predictor.keys()).toEqual(['other']);
    for (let i = 0; i < 12; i++) fail();
    expect(predictor.accuracy()).toMatchObject({
      predictions: 1,
      confirmed: 0,
      late: 1,
      outages: 1,
      missed: 1,
    });
  });

  it('a forgotten key that comes back after its prediction lapsed scores it as a false alarm', () => {
    const t = setup({ maxKeys: 1 });
    const { predictor, clock } = t;
    const p = predictFor(t, 'api');
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    clock.set(p.at + 70_000);
    predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    expect(predictor.accuracy()).toMatchObject({ predictions: 1, falseAlarms: 1 });
    expect(predictor.activePredictions()).toEqual([]);
  });

  it('risk$ stops listing a key shown above low once it is forgotten', () => {
    const t = setup({ maxKeys: 1 });
    const { predictor } = t;
    predictFor(t, 'api');
    const seen: RiskSnapshot[][] = [];
    const sub = predictor.risk$.subscribe((list) => seen.push(list));
    expect(seen.at(-1)?.map((r) => r.key)).toEqual(['api']);
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    expect(seen.at(-1)).toEqual([{ key: 'other', score: 0, level: 'low', reasons: [] }]);
    sub.unsubscribe();
  });

  it('rejects a maxKeys that is not an integer ≥ 1, in the shared wording', () => {
    expect(() => createPredictor({ maxKeys: 0 })).toThrow(
      new TypeError('createPredictor(): option "maxKeys" must be ≥ 1 (received 0)'),
    );
    expect(() => createPredictor({ maxKeys: 2.5 })).toThrow(/option "maxKeys" must be an integer/);
    expect(() => createPredictor({ maxKeys: '10' as never })).toThrow(/option "maxKeys"/);
    expect(() => createPredictor({ maxKeys: Number.POSITIVE_INFINITY })).toThrow(/option "maxKeys"/);
  });
});

/** Counts every element held in arrays, typed arrays, maps, sets and strings reachable from `root`. */
function footprint(root: unknown, seen = new Set<unknown>()): number {
  if (root === null || typeof root !== 'object' || seen.has(root))
    return typeof root === 'string' ? root.length : 0;
  seen.add(root);
  let total = 0;
  if (ArrayBuffer.isView(root)) return (root as unknown as { length: number }).length;
  if (root instanceof Map || root instanceof Set) total += root.size;
  if (Array.isArray(root)) total += root.length;
  const values =
    root instanceof Map ? [...root.values(), ...root.keys()] : root instanceof Set ? [...root] : [];
  for (const v of values) total += footprint(v, seen);
  for (const name of Object.getOwnPropertyNames(root)) {
    total += footprint((root as Record<string, unknown>)[name], seen);
  }
  return total;
}

describe('memory', () => {
  it('a key holds the same memory after 1,000,000 samples as after 1,000', () => {
    const settings = {
      errorWindowMs: 60_000,
      episodeFailures: 3,
      latencyThreshold: 6,
      errorThreshold: 6.5,
      persistMs: 2_000,
      minLatencyRatio: 2.5,
    };
    const k = new KeyHealth('api', settings);
    const shared = new FrustrationMeter();
    let seed = 42;
    const random = () => {
      seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
      return seed / 4_294_967_296;
    };
    let at = 0;
    const feed = (n: number) => {
      for (let i = 0; i < n; i++) {
        at += 1 + Math.floor(random() * 500);
        if (random() < 0.05) k.call(false, 20, false, at);
        else if (random() < 0.1) k.probe(true, 20 + random() * 20, at);
        else k.call(true, 50 + random() * 200, true, at);
        if (i % 1_000 === 0) k.evaluate(at, shared);
      }
    };
    feed(1_000);
    const early = footprint(k);
    feed(999_000);
    expect(footprint(k)).toBe(early);
  });

  it('a key holds the same memory after a long hostile run: flapping, long episodes, expiries, probe storms', () => {
    const k = new KeyHealth('api', {
      errorWindowMs: 2_000,
      episodeFailures: 3,
      latencyThreshold: 6,
      errorThreshold: 5.5,
      persistMs: 2_000,
      minLatencyRatio: 2.5,
    });
    const shared = new FrustrationMeter();
    let at = 0;
    /** Rounds of: a run of `n` failures (calls and probes), then either an answer or silence. */
    const feed = (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        const n = 1 + (r % 40);
        for (let i = 0; i < n; i++) {
          at += 300;
          if (i % 3 === 0) k.probe(false, 5_000, at);
          else k.call(false, 50, false, at);
          if (i % 7 === 0) k.probe(true, 30, at);
        }
        at += r % 5 === 0 ? 3_000 : 200; // sometimes the episode runs out first
        k.call(true, 100 + (r % 3) * 400, true, at);
        k.evaluate(at, shared);
      }
    };
    /** An episode that never ends: failures 300 ms apart, never answered. */
    const down = (n: number) => {
      for (let i = 0; i < n; i++) {
        at += 300;
        k.call(false, 50, false, at);
      }
      k.evaluate(at, shared);
    };
    feed(100);
    down(50);
    const early = footprint(k);
    feed(20_000);
    down(200_000);
    expect(footprint(k)).toBe(early);
  });

  it('the predictor holds one entry per key, however many samples', () => {
    const clock = settableClock(0);
    const predictor = createPredictor({ clock });
    for (let i = 0; i < 1_000_000; i++) {
      clock.advance(3);
      predictor.record({
        key: i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c',
        ok: i % 97 !== 0,
        latencyMs: 40 + (i % 50),
      });
    }
    expect(predictor.keys().sort()).toEqual(['a', 'b', 'c']);
    expect(footprint(predictor)).toBeLessThan(1_000);
  });
});
