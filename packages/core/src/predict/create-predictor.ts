import { boolean, literal, number, object, optional, unknown, type Schema } from '../check/schema.js';
import { systemClock } from '../clock.js';
import { FAILURE_MEANINGS, type FailureMeaning } from '../failure/meaning.js';
import type { Failure } from '../failure/types.js';
import { Emitter, observable } from '../observable.js';
import { clockSchema, nonEmptyStringSchema, parseOptions } from '../validate.js';
import { FRUSTRATION_KINDS, FrustrationMeter } from './frustration-meter.js';
import { KeyHealth, type HealthSettings } from './key-health.js';
import { PredictionLedger } from './prediction-ledger.js';
import type {
  FrustrationKind,
  FrustrationSignal,
  Prediction,
  Predictor,
  PredictorOptions,
  PredictorSample,
  ProbeSample,
  RiskSnapshot,
} from './types.js';
import { DEV } from '../dev.js';

// Run-time checks of what `record()`, `probe()` and `signal()` are given; used only to word an error.
const latency = number({ gte: 0 });
const at = optional(number());
const key = optional(nonEmptyStringSchema);
const sampleSchema = object<PredictorSample>({
  key: nonEmptyStringSchema,
  ok: boolean,
  latencyMs: latency,
  failure: optional(unknown as Schema<Failure>),
  at,
});
const probeSchema = object<ProbeSample>({ ok: boolean, latencyMs: latency, key, at });
const signalSchema = object<FrustrationSignal>({ kind: literal(...FRUSTRATION_KINDS), key, at });
// The cheap run-time tests behind those schemas. A non-finite `at` would poison every average
// it touches for good (one signal at NaN made every key's score NaN), an infinite latency the
// probes' normal.
const finiteLatency = (v: unknown): boolean =>
  typeof v === 'number' && v >= 0 && v !== Number.POSITIVE_INFINITY;
const validAt = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

const positive = () => optional(number({ gt: 0 }));
const optionsSchema = () =>
  object<PredictorOptions>({
    horizonMs: positive(),
    latencyThreshold: positive(),
    errorThreshold: positive(),
    persistMs: optional(number({ gte: 0 })),
    minLatencyRatio: optional(number({ gt: 1 })),
    errorWindowMs: positive(),
    episodeFailures: optional(number({ int: true, gte: 1, lte: 1_000 })),
    maxKeys: optional(number({ int: true, gte: 1 })),
    clock: optional(clockSchema),
  });

export const DEFAULT_LATENCY_THRESHOLD = 6;
export const DEFAULT_ERROR_THRESHOLD = 5.5;
export const DEFAULT_PERSIST_MS = 2_000;
export const DEFAULT_MIN_LATENCY_RATIO = 2.5;
export const DEFAULT_HORIZON_MS = 60_000;

/** A score change this large is news for `risk$` even when the level stays the same. */
const RISK_EMIT_STEP = 0.1;

/**
 * Failure prediction per key (usually a dependency) by change detection: a sustained shift
 * of log-latency against a long, robust per-key normal (CUSUM), and a rising failure rate
 * (Bernoulli CUSUM), each required to persist over observations and time; connectivity
 * probes count as samples; user frustration adds to the score but never decides alone.
 * It keeps score of its own predictions (`accuracy()`) with the same rules as the offline
 * evaluation. At most `maxKeys` keys are tracked; past that, the least recently observed is forgotten.
 */
export function createPredictor(options: PredictorOptions = {}): Predictor {
  if (DEV) parseOptions(optionsSchema(), options, 'createPredictor()');
  const o = options;
  const clock = o.clock ?? systemClock;
  const horizonMs = o.horizonMs ?? DEFAULT_HORIZON_MS;
  const settings: HealthSettings = {
    errorWindowMs: o.errorWindowMs ?? 60_000,
    episodeFailures: o.episodeFailures ?? 3,
    latencyThreshold: o.latencyThreshold ?? DEFAULT_LATENCY_THRESHOLD,
    errorThreshold: o.errorThreshold ?? DEFAULT_ERROR_THRESHOLD,
    persistMs: o.persistMs ?? DEFAULT_PERSIST_MS,
    minLatencyRatio: o.minLatencyRatio ?? DEFAULT_MIN_LATENCY_RATIO,
  };

  const maxKeys = o.maxKeys ?? 256;

  const keys = new Map<string, KeyHealth>();
  const shared = new FrustrationMeter();
  const ledger = new PredictionLedger(horizonMs);
  const predictionSubject = new Emitter<Prediction>();
  const riskSubject = new Emitter<RiskSnapshot[]>();
  let sequence = 0;
  /** Counts observations; a key's `observed` is the count at its latest one. */
  let observations = 0;
  /** A key was forgotten whose risk subscribers were shown above `low`: the next evaluation tells them. */
  let forgotSeenKey = false;

  /** The key's state, created if new; either way it counts as just observed. */
  function health(key: string): KeyHealth {
    let k = keys.get(key);
    if (k === undefined) {
      if (keys.size >= maxKeys) forget(clock.now());
      k = new KeyHealth(key, settings);
      keys.set(key, k);
      ledger.attach(k);
    }
    k.observed = ++observations;
    return k;
  }

  /**
   * Makes room for a new key by forgetting the least recently observed one. Keys that the
   * accuracy figures still depend on — an open prediction, an ongoing episode — are passed
   * over while any other key is left; when every key is in trouble the stalest goes anyway,
   * so the cap holds, and its open prediction is detached for the ledger to settle on time.
   * A scan of at most `maxKeys` entries, and only when a new key arrives at the cap.
   */
  function forget(now: number): void {
    let stalest: KeyHealth | undefined;
    let stalestIdle: KeyHealth | undefined;
    for (const k of keys.values()) {
      if (stalest === undefined || k.observed < stalest.observed) stalest = k;
      if (stalestIdle !== undefined && k.observed >= stalestIdle.observed) continue;
      const at = Math.max(now, k.lastAt);
      ledger.expire(k, at);
      if (k.open === undefined && !k.outages.active && k.scoring.failures === 0) stalestIdle = k;
    }
    const victim = stalestIdle ?? stalest;
    if (victim === undefined) return;
    ledger.detach(victim);
    keys.delete(victim.key);
    if (victim.emittedLevel !== 'low') forgotSeenKey = true;
    // Detached predictions are swept here too, so that they cannot pile up unread.
    ledger.expireAll(now);
  }

  function snapshot(k: KeyHealth): RiskSnapshot {
    return {
      key: k.key,
      score: k.score,
      level: k.level,
      reasons: k.level === 'low' && k.score === 0 ? [] : k.reasons(shared),
    };
  }

  /** After an evaluation: make a prediction if risk just turned high, and tell `risk$`. */
  function afterEvaluate(k: KeyHealth, at: number): void {
    if (k.level === 'high') {
      if (k.armed && !k.outages.active && !k.scoring.active && k.open === undefined) {
        const prediction: Prediction = {
          id: `prediction-${++sequence}`,
          key: k.key,
          at,
          horizonMs,
          confidence: k.score,
          reasons: k.reasons(shared),
        };
        ledger.opened(k, prediction);
        predictionSubject.next(prediction);
      }
      // High during an outage or under an open prediction is not "turning" high later on.
      k.armed = false;
    } else {
      k.armed = true;
    }
    if (!riskSubject.observed) return;
    if (forgotSeenKey || k.level !== k.emittedLevel || Math.abs(k.score - k.emittedScore) >= RISK_EMIT_STEP) {
      forgotSeenKey = false;
      k.emittedLevel = k.level;
      k.emittedScore = k.score;
      riskSubject.next(allSnapshots());
    }
  }

  function allSnapshots(): RiskSnapshot[] {
    const list: RiskSnapshot[] = [];
    for (const k of keys.values()) list.push(snapshot(k));
    return list;
  }

  function record(s: PredictorSample): void {
    // Checked at run time too (cheap typeof tests): a JavaScript caller's bad sample would
    // otherwise poison the averages silently.
    const keyGiven: unknown = s.key;
    const okGiven: unknown = s.ok;
    const latencyMs: unknown = s.latencyMs;
    if (
      typeof keyGiven !== 'string' ||
      keyGiven === '' ||
      typeof okGiven !== 'boolean' ||
      !finiteLatency(latencyMs) ||
      !validAt(s.at)
    ) {
      // Only a bad sample pays for the schema, which words the error like every other one.
      parseOptions(sampleSchema, s, 'record()', 'sample');
    }
    // What the failure says about the dependency (see FAILURE_MEANINGS): nothing (an abort,
    // the device offline, an open breaker, full storage), or a sign of life (a 4xx answer).
    // Undefined for a category it does not know (a JavaScript caller's): counted as failing.
    const meaning: FailureMeaning | undefined =
      s.ok || !s.failure ? undefined : FAILURE_MEANINGS[s.failure.category];
    const signal = meaning?.signal;
    if (signal === 'none') return;

    const k = health(s.key);
    const at = advance(k, observedAt(s.at));
    // An answer's latency says little about the dependency, but it is alive.
    if (k.call(s.ok || signal === 'alive', s.latencyMs, s.ok, at)) {
      ledger.outageStarted(k, at);
    }
    ledger.expire(k, at);
    k.evaluate(at, shared);
    afterEvaluate(k, at);
  }

  /**
   * When a sample or signal was observed: its `at`, but never later than the clock's now. A
   * time ahead of the clock (another time base, a skewed timestamp) would otherwise become the
   * key's time, which never runs backwards: every later sample would be taken as that instant,
   * no shift could persist and its predictions would never lapse.
   */
  function observedAt(at: number | undefined): number {
    const now = clock.now();
    return at === undefined || at > now ? now : at;
  }

  /** Samples may arrive slightly out of order (parallel calls); time never runs backwards per key. */
  function advance(k: KeyHealth, requested: number): number {
    const at = requested > k.lastAt ? requested : k.lastAt;
    k.lastAt = at;
    return at;
  }

  function probe(s: ProbeSample): void {
    const okGiven: unknown = s.ok;
    const latencyMs: unknown = s.latencyMs;
    const keyGiven: unknown = s.key;
    if (
      typeof okGiven !== 'boolean' ||
      !finiteLatency(latencyMs) ||
      !validAt(s.at) ||
      (keyGiven !== undefined && (typeof keyGiven !== 'string' || keyGiven === ''))
    ) {
      parseOptions(probeSchema, s, 'probe()', 'sample');
    }
    const requested = observedAt(s.at);
    const apply = (k: KeyHealth) => {
      const at = advance(k, requested);
      if (k.probe(s.ok, s.latencyMs, at)) ledger.outageStarted(k, at);
      ledger.expire(k, at);
      k.evaluate(at, shared);
      afterEvaluate(k, at);
    };
    if (s.key !== undefined) apply(health(s.key));
    else for (const k of keys.values()) apply(k);
  }

  function signal(s: FrustrationSignal): void {
    const kindGiven: unknown = s.kind;
    const keyGiven: unknown = s.key;
    if (
      !(FRUSTRATION_KINDS as unknown[]).includes(kindGiven) ||
      !validAt(s.at) ||
      (keyGiven !== undefined && (typeof keyGiven !== 'string' || keyGiven === ''))
    ) {
      parseOptions(signalSchema, s, 'signal()', 'signal');
    }
    const at = observedAt(s.at);
    const kind: FrustrationKind = s.kind;
    if (s.key !== undefined) {
      const k = health(s.key);
      k.frustration.add(kind, at);
      touch(k, at);
    } else {
      shared.add(kind, at);
      for (const k of keys.values()) touch(k, at);
    }
  }

  function touch(k: KeyHealth, requested: number): void {
    const at = advance(k, requested);
    ledger.expire(k, at);
    k.evaluate(at, shared);
    afterEvaluate(k, at);
  }

  const risk$ = observable<RiskSnapshot[]>((observer) => {
    const now = clock.now();
    for (const k of keys.values()) {
      k.evaluate(Math.max(now, k.lastAt), shared);
      k.emittedLevel = k.level;
      k.emittedScore = k.score;
    }
    observer.next(allSnapshots());
    const subscription = riskSubject.observable.subscribe(observer);
    return () => subscription.unsubscribe();
  });

  return {
    record,
    probe,
    signal,
    risk(key: string): RiskSnapshot {
      const k = keys.get(key);
      if (k === undefined) return { key, score: 0, level: 'low', reasons: [] };
      k.evaluate(Math.max(clock.now(), k.lastAt), shared);
      return snapshot(k);
    },
    risk$,
    predictions$: predictionSubject.observable,
    accuracy() {
      ledger.expireAll(clock.now());
      return ledger.accuracy();
    },
    activePredictions() {
      ledger.expireAll(clock.now());
      return ledger.active();
    },
    keys() {
      return [...keys.keys()];
    },
  };
}
