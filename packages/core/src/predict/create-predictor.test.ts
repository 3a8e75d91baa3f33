import { describe, expect, it } from 'vitest';
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

  it('sustained slowness turns risk high, with the reason in words', () => {
    const { predictor, calls, predictions } = setup();
    calls(60, 100);
    calls(15, 700);
    const risk = predictor.risk('api');
    expect(risk.level).toBe('high');
    expect(risk.reasons[0]).toMatch(/^responses \d+(\.\d)?× slower than usual \(\d+ ms vs \d+ ms\)$/);
    expect(predictions).toHaveLength(1);
    expect(predictions[0]).toMatchObject({ key: 'api', horizonMs: 30_000, id: 'prediction-1' });
    expect(predictions[0]?.confidence).toBeGreaterThanOrEqual(0.7);
    expect(predictions[0]?.reasons[0]).toMatch(/slower than usual/);
  });

  it('a single latency spike is not a prediction', () => {
    const { predictor, calls, predictions } = setup();
    calls(60, 100);
    calls(1, 5_000);
    calls(1, 100);
    expect(predictor.risk('api').level).not.toBe('high');
    expect(predictions).toHaveLength(0);
  });

  it('a mild slowdown (2×) stays below high', () => {
    const { predictor, calls, predictions } = setup();
    calls(60, 100);
    calls(60, 200);
    expect(predictor.risk('api').level).not.toBe('high');
    expect(predictions).toHaveLength(0);
  });

  it('two quick failures are elevated, not a prediction; the third within the window starts an episode', () => {
    const { predictor, calls, fail, predictions } = setup();
    calls(60, 100);
    fail();
    fail();
    const risk = predictor.risk('api');
    expect(risk.level).toBe('elevated');
    expect(risk.reasons.join()).toMatch(/2 of \d+ calls failed in the last 60 s/);
    expect(predictions).toHaveLength(0);
    fail();
    expect(predictor.risk('api').reasons[0]).toBe('failing now: 3 or more failures within 60 s');
    expect(predictor.accuracy()).toMatchObject({ predictions: 0, missed: 1, recall: 0, precision: 0 });
  });

  it('failures further apart than errorWindowMs never make an episode', () => {
    const { predictor, clock, calls } = setup({ errorWindowMs: 10_000 });
    calls(30, 100);
    for (let i = 0; i < 5; i++) {
      clock.advance(6_000);
      predictor.record({ key: 'api', ok: false, latencyMs: 40 });
    }
    expect(predictor.accuracy().missed).toBe(0);
  });

  it('a prediction confirmed by an episode within the horizon counts its lead time', () => {
    const { predictor, calls, fail, predictions, clock } = setup();
    calls(60, 100);
    calls(15, 700);
    const predictedAt = predictions[0]?.at ?? Number.NaN;
    calls(5, 800);
    fail();
    fail();
    fail();
    const lead = clock.now() - predictedAt;
    expect(lead).toBeGreaterThan(1_000);
    expect(lead).toBeLessThanOrEqual(30_000);
    expect(predictor.accuracy()).toEqual({
      predictions: 1,
      confirmed: 1,
      falseAlarms: 0,
      missed: 0,
      precision: 1,
      recall: 1,
      meanLeadTimeMs: lead,
    });
    expect(predictor.activePredictions()).toEqual([]);
  });

  it('a prediction with no episode within the horizon is a false alarm, decided from timestamps when read', () => {
    const { predictor, calls, clock, predictions } = setup();
    calls(60, 100);
    calls(15, 700);
    expect(predictions).toHaveLength(1);
    expect(predictor.activePredictions()).toEqual(predictions);
    clock.set((predictions[0]?.at ?? 0) + 30_000);
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

  it('makes no second prediction while one is open, and predicts afresh once it lapses with risk still high', () => {
    const { predictor, calls, predictions } = setup();
    calls(60, 100);
    calls(20, 700);
    expect(predictions).toHaveLength(1);
    calls(20, 700); // 40 s of high risk: the first prediction lapsed at 30 s
    expect(predictions).toHaveLength(2);
    expect(predictions[1]?.id).toBe('prediction-2');
    expect(predictor.accuracy()).toMatchObject({ predictions: 2, falseAlarms: 1 });
  });

  it('a prediction less than 1 s before its episode is confirmed, yet the episode is missed', () => {
    const clock = settableClock(0);
    const predictor = createPredictor({ clock });
    for (let i = 0; i < 60; i++) {
      clock.advance(1_000);
      predictor.record({ key: 'api', ok: true, latencyMs: 100 });
    }
    const predictions: Prediction[] = [];
    predictor.predictions$.subscribe((p) => predictions.push(p));
    // Slow calls and failures arriving in the same instant: high risk and an episode 200 ms apart.
    for (let i = 0; i < 10; i++) {
      clock.advance(20);
      predictor.record({ key: 'api', ok: true, latencyMs: 1_500 });
    }
    predictor.record({ key: 'api', ok: false, latencyMs: 10, failure: failure() });
    expect(predictions).toHaveLength(1);
    predictor.record({ key: 'api', ok: false, latencyMs: 10, failure: failure() });
    clock.advance(200);
    predictor.record({ key: 'api', ok: false, latencyMs: 10, failure: failure() });
    expect(predictor.accuracy()).toMatchObject({ confirmed: 1, missed: 1, recall: 0, precision: 1 });
  });

  it('no prediction is made during an episode: the trouble is already here', () => {
    const { predictor, calls, fail, predictions } = setup();
    calls(60, 100);
    fail();
    fail();
    fail();
    expect(predictor.accuracy().missed).toBe(1);
    calls(15, 3_000);
    expect(predictor.risk('api').level).toBe('high');
    expect(predictions).toHaveLength(0);
  });

  it('ignores outcomes that say nothing about the dependency, and counts a 4xx as an answer', () => {
    const { predictor, calls, fail } = setup();
    calls(30, 100);
    for (const category of ['aborted', 'offline', 'circuit-open', 'storage'] as const) {
      fail(category);
      fail(category);
      fail(category);
    }
    for (let i = 0; i < 5; i++) fail('client');
    expect(predictor.accuracy().missed).toBe(0);
    expect(predictor.risk('api').level).toBe('low');
  });

  it('silence while calls fail raises suspicion (phi accrual); an idle pause before does not', () => {
    const { predictor, clock, calls } = setup({ episodeFailures: 100 });
    calls(60, 50, 1_000);
    clock.advance(600_000); // the user went for coffee
    predictor.record({ key: 'api', ok: false, latencyMs: 20 });
    const afterIdle = predictor.risk('api');
    expect(afterIdle.reasons.join()).not.toMatch(/no successful response/);
    for (let i = 0; i < 8; i++) {
      clock.advance(1_000);
      predictor.record({ key: 'api', ok: false, latencyMs: 20 });
    }
    const silent = predictor.risk('api');
    expect(silent.reasons.join()).toMatch(
      /no successful response for 9 s, usually one every 1 s \(φ \d+\.\d\)/,
    );
    expect(silent.score).toBeGreaterThan(afterIdle.score);
  });

  it('frustration signals raise risk for their key, or for every key without one, and fade', () => {
    const { predictor, calls, clock } = setup();
    calls(30, 100, 1_000, 'a');
    calls(30, 100, 1_000, 'b');
    predictor.signal({ kind: 'rage-click', key: 'a' });
    predictor.signal({ kind: 'repeat-submit', key: 'a' });
    predictor.signal({ kind: 'rage-click', key: 'a' });
    expect(predictor.risk('a').score).toBeCloseTo(0.35, 1);
    expect(predictor.risk('a').reasons).toEqual(['users show frustration (rage-click, repeat-submit)']);
    expect(predictor.risk('b').score).toBe(0);
    predictor.signal({ kind: 'abandon' });
    expect(predictor.risk('b').score).toBeGreaterThan(0);
    clock.advance(120_000);
    expect(predictor.risk('a').score).toBeLessThan(0.01);
  });

  it('risk$ gives every key at once, then again when a level changes', () => {
    const { predictor, calls } = setup();
    calls(60, 100);
    const seen: RiskSnapshot[][] = [];
    const sub = predictor.risk$.subscribe((list) => seen.push(list));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual([{ key: 'api', score: 0, level: 'low', reasons: [] }]);
    calls(30, 100);
    expect(seen).toHaveLength(1);
    calls(15, 700);
    expect(seen.some((list) => list[0]?.level === 'high')).toBe(true);
    sub.unsubscribe();
  });

  it('time never runs backwards for a key: late samples are taken as now', () => {
    const { predictor, clock } = setup();
    clock.set(10_000);
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 10_000 });
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 9_000 });
    predictor.record({ key: 'api', ok: false, latencyMs: 10, at: 5_000 });
    expect(predictor.accuracy().missed).toBe(1);
  });

  it('rejects bad options and bad samples with a TypeError naming the field', () => {
    expect(() => createPredictor({ slowFactor: 1 })).toThrow(/slowFactor/);
    expect(() => createPredictor({ latencyAlpha: 0 })).toThrow(/latencyAlpha/);
    expect(() => createPredictor({ latencyAlpha: 1.5 })).toThrow(/latencyAlpha/);
    expect(() => createPredictor({ episodeFailures: 2.5 })).toThrow(/episodeFailures/);
    expect(() => createPredictor({ horizonMs: -1 })).toThrow(TypeError);
    expect(() => createPredictor({ bogus: 1 } as never)).toThrow(/bogus/);
    const { predictor } = setup();
    expect(() => predictor.record({ key: '', ok: true, latencyMs: 1 })).toThrow(
      'record(): sample field "key" must not be empty (received "")',
    );
    expect(() => predictor.record({ key: 'a', ok: 1 as never, latencyMs: 1 })).toThrow(/ok/);
    expect(() => predictor.record({ key: 'a', ok: true, latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => predictor.record({ key: 'a', ok: true, latencyMs: Number.POSITIVE_INFINITY })).toThrow(
      /latencyMs/,
    );
    expect(() => predictor.signal({ kind: 'shout' as never })).toThrow(
      /^signal\(\): signal field "kind" must be one of "rage-click", /,
    );
    expect(() => predictor.signal({ kind: 'rage-click', key: '' })).toThrow(
      'signal(): signal field "key" must not be empty (received "")',
    );
  });
});

describe('maxKeys: how many keys are tracked', () => {
  /** Makes `key`'s risk turn high (sustained slowness), which opens a prediction. */
  function predictFor(t: ReturnType<typeof setup>, key: string): Prediction {
    t.calls(60, 100, 1_000, key);
    t.calls(15, 700, 1_000, key);
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

  it('passes over a key with an open prediction or an ongoing episode while another can go', () => {
    const t = setup({ maxKeys: 3 });
    const { predictor, calls, fail } = t;
    predictFor(t, 'slow');
    fail('server', 50, 'down');
    fail('server', 50, 'down');
    fail('server', 50, 'down');
    calls(1, 50, 1_000, 'idle');
    expect(predictor.accuracy()).toMatchObject({ predictions: 1, missed: 1 });
    calls(1, 50, 1_000, 'new');
    expect(predictor.keys().sort()).toEqual(['down', 'new', 'slow']);
    // The episode goes on: more failures of `down` are not a second episode.
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
    clock.set(p.at + 30_000);
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

  it('a forgotten key that comes back within the horizon takes its prediction back, and an episode confirms it', () => {
    const t = setup({ maxKeys: 1 });
    const { predictor, clock, fail, predictions } = t;
    const p = predictFor(t, 'api');
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    fail('server', 50, 'api');
    expect(predictor.keys()).toEqual(['api']);
    expect(predictor.activePredictions()).toEqual([p]);
    fail('server', 50, 'api');
    fail('server', 50, 'api');
    expect(predictions).toHaveLength(1);
    expect(predictor.accuracy()).toEqual({
      predictions: 1,
      confirmed: 1,
      falseAlarms: 0,
      missed: 0,
      precision: 1,
      recall: 1,
      meanLeadTimeMs: clock.now() - p.at,
    });
    expect(predictor.activePredictions()).toEqual([]);
  });

  it('a forgotten key that comes back after its prediction lapsed scores it as a false alarm', () => {
    const t = setup({ maxKeys: 1 });
    const { predictor, clock } = t;
    const p = predictFor(t, 'api');
    predictor.record({ key: 'other', ok: true, latencyMs: 50 });
    clock.set(p.at + 40_000);
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
      latencyAlpha: 0.2,
      slowFactor: 3,
      phiThreshold: 8,
      errorWindowMs: 60_000,
      episodeFailures: 3,
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
        if (random() < 0.05) k.failure(20, random() < 0.5, at);
        else k.success(50 + random() * 200, at);
        if (i % 1_000 === 0) k.evaluate(at, shared);
      }
    };
    feed(1_000);
    const early = footprint(k);
    feed(999_000);
    expect(footprint(k)).toBe(early);
    expect(k.window.size).toBe(12);
    expect(k.episodes.size).toBe(3);
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
