import { number, object, optional, refine } from '../../check/schema.js';
import { DEV } from '../../dev.js';
import { countOr, msOr, rateOr } from '../../sane.js';
import { parseOptions, rateSchema } from '../../validate.js';
import { timeBuckets } from '../time-buckets.js';

/**
 * How a circuit breaker judges recent outcomes: `consecutiveFailures(n)`, `countWindow({…})`
 * or `timeWindow({…})`. Each breaker makes its own window from it, so one may be shared.
 */
export interface BreakerWindow {
  /**
   * Makes one breaker's record of outcomes; `slowRate` is that breaker's `slowCall.rate`.
   * @internal
   */
  create(slowRate: number | undefined): OutcomeWindow;
}

/** Options of `countWindow`: the last `size` calls open the breaker at `failureRate`. */
export interface CountWindowOptions {
  /** How many of the latest calls are judged. */
  size: number;
  /** The share of failed calls, from 0 (exclusive) to 1, that opens the breaker. */
  failureRate: number;
  /** Calls the window must hold before it may open the breaker. Default: `size`. */
  minimumCalls?: number;
}

/** Options of `timeWindow`: the calls of the last `durationMs` open the breaker at `failureRate`. */
export interface TimeWindowOptions {
  /** How far back calls are judged, in ms. */
  durationMs: number;
  /** The share of failed calls, from 0 (exclusive) to 1, that opens the breaker. */
  failureRate: number;
  /** Calls the window must hold before it may open the breaker. Default 10. */
  minimumCalls?: number;
}

/**
 * Where one circuit breaker keeps the outcomes of recent calls. `record` is O(1) whatever
 * the window size, so a failing dependency costs the same per call with a window of 100
 * or of 10 000; it returns true when the window's rule says the breaker should open,
 * which only a failed (or slow) call can do.
 */
export interface OutcomeWindow {
  record(failed: boolean, slow: boolean, now: number): boolean;
  reset(): void;
  /** Counts as of `now`: failures, calls, slow calls. */
  counts(now: number): { failures: number; calls: number; slowCalls: number };
  /** Whether recording needs the current time (time-based windows). */
  readonly needsTime: boolean;
  /** The window's counts as plain data, for `load`. */
  save(): BreakerWindowRecord;
  /**
   * Takes counts `save` gave, here or before a reload. Anything that is not what a window of
   * this kind and size could have saved is ignored, never trusted; so are counts a closed
   * breaker could not hold (a run long enough to have opened it) and time buckets from the future.
   */
  load(record: unknown, now: number): void;
}

/**
 * A breaker window's counts, as `toJSON()` saves them: the current run of a consecutive window,
 * the outcomes of a count window (oldest first; 1 = failed, 2 = slow, 3 = both), the buckets of
 * a time window (its current bucket's number, then calls, failures and slow calls per bucket).
 */
export type BreakerWindowRecord =
  | { kind: 'consecutive'; failures: number; slowCalls: number; calls: number }
  | { kind: 'count'; size: number; outcomes: number[] }
  | { kind: 'time'; durationMs: number; epoch: number; buckets: number[] };

/** A saved window of the kind `K`, with every field still unchecked. */
type Unchecked<K extends BreakerWindowRecord['kind']> = {
  [F in keyof Extract<BreakerWindowRecord, { kind: K }>]?: unknown;
};

/** The record, if it claims to be of `kind`: its fields are still to be checked. */
const ofKind = <K extends BreakerWindowRecord['kind']>(record: unknown, kind: K): Unchecked<K> | undefined =>
  typeof record === 'object' && record !== null && (record as { kind?: unknown }).kind === kind
    ? record
    : undefined;

// Exact integers only: a count beyond them was not saved by a window, and stops counting anyway.
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A window that needs no time: its `record` and `counts` may be called without `now`. */
type UntimedWindow = OutcomeWindow & {
  record(failed: boolean, slow: boolean): boolean;
  counts(): ReturnType<OutcomeWindow['counts']>;
};

/** Absorbs floating-point error in rate comparisons (3 of 10 is a rate of 0.3, exactly). */
const EPSILON = 1e-9;

/** Opens after `threshold` bad calls in a row (a slow call counts as bad); any good call resets the run. */
export function consecutiveRun(threshold: number): UntimedWindow {
  let run = 0;
  let slowInRun = 0;
  let calls = 0;
  return {
    needsTime: false,
    record(failed: boolean, slow: boolean) {
      calls++;
      if (!failed && !slow) {
        run = slowInRun = 0;
        return false;
      }
      run++;
      if (slow) slowInRun++;
      return run >= threshold;
    },
    reset() {
      run = slowInRun = calls = 0;
    },
    counts: () => ({ failures: run, calls, slowCalls: slowInRun }),
    save: () => ({ kind: 'consecutive', failures: run, slowCalls: slowInRun, calls }),
    load(record) {
      const r = ofKind(record, 'consecutive');
      const { failures, slowCalls, calls: saved } = r ?? {};
      if (
        isCount(failures) &&
        isCount(slowCalls) &&
        isCount(saved) &&
        slowCalls <= failures &&
        failures <= saved &&
        failures < threshold
      ) {
        run = failures;
        slowInRun = slowCalls;
        calls = saved;
      }
    },
  };
}

/**
 * What the count and time windows share: the rule that opens the breaker when at least
 * `minimumCalls` calls are in the window and the failure (or slow-call) rate reaches its threshold.
 * Each rate is judged only on a call that adds to it: a failure-rate threshold reached as a
 * success arrives (the window filling up, an old success leaving it) is a dependency
 * recovering, and must not open the breaker.
 */
const rateRule =
  (failureRate: number, minimumCalls: number, slowRate: number | undefined) =>
  (failed: boolean, isSlow: boolean, failures: number, slow: number, calls: number): boolean => {
    if (calls < minimumCalls || calls === 0) return false;
    if (failed && failures / calls >= failureRate - EPSILON) return true;
    return isSlow && slowRate !== undefined && slow / calls >= slowRate - EPSILON;
  };

const FAILED = 1;
const SLOW = 2;

/** The last `size` calls, as a ring of outcome flags with running counts (resilience4j's count-based window). */
export function countRing(
  size: number,
  failureRate: number,
  minimumCalls: number,
  slowRate: number | undefined,
): UntimedWindow {
  const trips = rateRule(failureRate, minimumCalls, slowRate);
  const ring = new Uint8Array(size);
  let next = 0;
  let calls = 0;
  let failures = 0;
  let slowCalls = 0;
  const window: UntimedWindow = {
    needsTime: false,
    record(failed: boolean, slow: boolean) {
      if (calls === size) {
        const evicted = ring[next] ?? 0;
        if (evicted & FAILED) failures--;
        if (evicted & SLOW) slowCalls--;
      } else {
        calls++;
      }
      ring[next] = (failed ? FAILED : 0) | (slow ? SLOW : 0);
      if (failed) failures++;
      if (slow) slowCalls++;
      next = next + 1 === size ? 0 : next + 1;
      return trips(failed, slow, failures, slowCalls, calls);
    },
    reset() {
      // O(size), but only on a state change, never per call.
      ring.fill(0);
      next = calls = failures = slowCalls = 0;
    },
    counts: () => ({ failures, calls, slowCalls }),
    save() {
      // Oldest first: the ring starts at `next` once full, at 0 before.
      const oldest = calls === size ? next : 0;
      return {
        kind: 'count',
        size,
        outcomes: Array.from({ length: calls }, (_, i) => ring[(oldest + i) % size] ?? 0),
      };
    },
    load(record) {
      const r = ofKind(record, 'count');
      const outcomes = r?.size === size ? r.outcomes : undefined;
      if (
        !Array.isArray(outcomes) ||
        outcomes.length > size ||
        // Array.from turns the holes of a sparse array into undefined, which every() would skip.
        !Array.from(outcomes).every((o) => isCount(o) && o <= (FAILED | SLOW))
      )
        return;
      window.reset();
      // Replayed without judging: only a new outcome may open the breaker.
      for (const o of outcomes as number[]) window.record((o & FAILED) !== 0, (o & SLOW) !== 0);
    },
  };
  return window;
}

const BUCKETS = 10;
const CALLS = 0;
const FAILURES = 1;
const SLOW_CALLS = 2;

/** Calls of the last `durationMs`, aggregated in ten buckets (resilience4j's time-based window). */
export function timeRing(
  durationMs: number,
  failureRate: number,
  minimumCalls: number,
  slowRate: number | undefined,
): OutcomeWindow {
  const trips = rateRule(failureRate, minimumCalls, slowRate);
  const b = timeBuckets(durationMs, BUCKETS, 3);
  const counts = () => ({
    failures: b.total(FAILURES),
    calls: b.total(CALLS),
    slowCalls: b.total(SLOW_CALLS),
  });
  return {
    needsTime: true,
    record(failed, slow, now) {
      const index = b.advance(now);
      b.add(CALLS, index);
      if (failed) b.add(FAILURES, index);
      if (slow) b.add(SLOW_CALLS, index);
      const c = counts();
      return trips(failed, slow, c.failures, c.slowCalls, c.calls);
    },
    reset() {
      b.clear();
    },
    counts(now) {
      b.advance(now);
      return counts();
    },
    save() {
      const { epoch, counts: buckets } = b.save();
      return { kind: 'time', durationMs, epoch, buckets };
    },
    load(record, now) {
      const r = ofKind(record, 'time');
      const { epoch, buckets } = r ?? {};
      b.advance(now);
      if (
        r?.durationMs !== durationMs ||
        !Number.isInteger(epoch) ||
        // Bucket numbers from the future: a clock that ran ahead, or not ours.
        (epoch as number) > b.save().epoch ||
        !Array.isArray(buckets) ||
        buckets.length !== BUCKETS * 3 ||
        !Array.from(buckets as unknown[]).every(
          (n, i, all) => isCount(n) && (i % 3 === CALLS || n <= (all[i - (i % 3)] as number)),
        )
      )
        return;
      b.load(epoch as number, buckets as number[]);
      b.advance(now);
    },
  };
}

const count = () => number({ int: true, gte: 1 });

const countWindowSchema = () =>
  refine(
    object<CountWindowOptions>({ size: count(), failureRate: rateSchema, minimumCalls: optional(count()) }),
    (w) => w.minimumCalls === undefined || w.minimumCalls <= w.size,
    'must not exceed size (the window never holds more calls)',
    ['minimumCalls'],
  );

const timeWindowSchema = () =>
  object<TimeWindowOptions>({
    durationMs: number({ gte: 1 }),
    failureRate: rateSchema,
    minimumCalls: optional(count()),
  });

/** Opens the breaker after `failures` failed (or slow) calls in a row; any good call starts the count again. */
export function consecutiveFailures(failures: number): BreakerWindow {
  if (DEV) parseOptions(count(), failures, 'consecutiveFailures()', 'failures');
  // Unchecked in the production build: what cannot be meant falls back to a default (sane.ts).
  const threshold = countOr(failures, 5);
  return { create: () => consecutiveRun(threshold) };
}

/**
 * Judges the last `size` calls: opens the breaker when at least `minimumCalls` of them are in
 * the window and `failureRate` of them failed (resilience4j's count-based sliding window).
 */
export function countWindow(o: CountWindowOptions): BreakerWindow {
  if (DEV) parseOptions(countWindowSchema(), o, 'countWindow()');
  // Unchecked in the production build: missing options give the default window, like bad ones.
  const w = o as CountWindowOptions | undefined;
  const size = countOr(w?.size, 100);
  const failureRate = rateOr(w?.failureRate, 0.5);
  const minimumCalls = Math.min(size, countOr(w?.minimumCalls, size));
  return { create: (slowRate) => countRing(size, failureRate, minimumCalls, slowRate) };
}

/**
 * Judges the calls of the last `durationMs`, kept in ten buckets: opens the breaker when at
 * least `minimumCalls` were made and `failureRate` of them failed (resilience4j's time-based window).
 */
export function timeWindow(o: TimeWindowOptions): BreakerWindow {
  if (DEV) parseOptions(timeWindowSchema(), o, 'timeWindow()');
  const w = o as TimeWindowOptions | undefined;
  const durationMs = msOr(w?.durationMs, 60_000, 1);
  const failureRate = rateOr(w?.failureRate, 0.5);
  const minimumCalls = countOr(w?.minimumCalls, 10);
  return { create: (slowRate) => timeRing(durationMs, failureRate, minimumCalls, slowRate) };
}
