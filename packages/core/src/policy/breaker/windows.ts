import { TimeBuckets } from '../time-buckets.js';
import type { BreakerWindow } from '../types.js';

/**
 * Where a circuit breaker keeps the outcomes of recent calls. `record` is O(1) whatever
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
}

/** Absorbs floating-point error in rate comparisons (3 of 10 is a rate of 0.3, exactly). */
const EPSILON = 1e-9;

/** Opens after `threshold` bad calls in a row (a slow call counts as bad); any good call resets the run. */
export class ConsecutiveWindow implements OutcomeWindow {
  readonly needsTime = false;
  private run = 0;
  private slowInRun = 0;
  private calls = 0;

  constructor(private readonly threshold: number) {}

  record(failed: boolean, slow: boolean): boolean {
    this.calls++;
    if (!failed && !slow) {
      this.run = 0;
      this.slowInRun = 0;
      return false;
    }
    this.run++;
    if (slow) this.slowInRun++;
    return this.run >= this.threshold;
  }

  reset(): void {
    this.run = 0;
    this.slowInRun = 0;
    this.calls = 0;
  }

  counts() {
    return { failures: this.run, calls: this.calls, slowCalls: this.slowInRun };
  }
}

/**
 * What the count and time windows share: the rule that opens the breaker when at least
 * `minimumCalls` calls are in the window and the failure (or slow-call) rate reaches its threshold.
 */
abstract class RateWindow {
  constructor(
    private readonly failureRate: number,
    private readonly minimumCalls: number,
    private readonly slowRate: number | undefined,
  ) {}

  /**
   * Whether the call just recorded trips the window. Each rate is judged only on a call that
   * adds to it: a failure-rate threshold reached as a success arrives (the window filling up,
   * an old success leaving it) is a dependency recovering, and must not open the breaker.
   */
  protected trips(failed: boolean, isSlow: boolean, failures: number, slow: number, calls: number): boolean {
    if (calls < this.minimumCalls || calls === 0) return false;
    if (failed && failures / calls >= this.failureRate - EPSILON) return true;
    return isSlow && this.slowRate !== undefined && slow / calls >= this.slowRate - EPSILON;
  }
}

const FAILED = 1;
const SLOW = 2;

/** The last `size` calls, as a ring of outcome flags with running counts (resilience4j's count-based window). */
export class CountWindow extends RateWindow implements OutcomeWindow {
  readonly needsTime = false;
  private readonly ring: Uint8Array;
  private next = 0;
  private calls = 0;
  private failures = 0;
  private slow = 0;

  constructor(size: number, failureRate: number, minimumCalls: number, slowRate: number | undefined) {
    super(failureRate, minimumCalls, slowRate);
    this.ring = new Uint8Array(size);
  }

  record(failed: boolean, slow: boolean): boolean {
    const ring = this.ring;
    if (this.calls === ring.length) {
      const evicted = ring[this.next] ?? 0;
      if (evicted & FAILED) this.failures--;
      if (evicted & SLOW) this.slow--;
    } else {
      this.calls++;
    }
    ring[this.next] = (failed ? FAILED : 0) | (slow ? SLOW : 0);
    if (failed) this.failures++;
    if (slow) this.slow++;
    this.next = this.next + 1 === ring.length ? 0 : this.next + 1;
    return this.trips(failed, slow, this.failures, this.slow, this.calls);
  }

  reset(): void {
    // O(size), but only on a state change, never per call.
    this.ring.fill(0);
    this.next = 0;
    this.calls = 0;
    this.failures = 0;
    this.slow = 0;
  }

  counts() {
    return { failures: this.failures, calls: this.calls, slowCalls: this.slow };
  }
}

const CALLS = 0;
const FAILURES = 1;
const SLOW_CALLS = 2;

/** Calls of the last `durationMs`, aggregated in ten buckets (resilience4j's time-based window). */
export class TimeWindow extends RateWindow implements OutcomeWindow {
  readonly needsTime = true;
  private readonly buckets: TimeBuckets;

  constructor(durationMs: number, failureRate: number, minimumCalls: number, slowRate: number | undefined) {
    super(failureRate, minimumCalls, slowRate);
    this.buckets = new TimeBuckets(durationMs, 10, 3);
  }

  record(failed: boolean, slow: boolean, now: number): boolean {
    const b = this.buckets;
    const index = b.advance(now);
    b.add(CALLS, index);
    if (failed) b.add(FAILURES, index);
    if (slow) b.add(SLOW_CALLS, index);
    return this.trips(failed, slow, b.total(FAILURES), b.total(SLOW_CALLS), b.total(CALLS));
  }

  reset(): void {
    this.buckets.clear();
  }

  counts(now: number) {
    const b = this.buckets;
    b.advance(now);
    return { failures: b.total(FAILURES), calls: b.total(CALLS), slowCalls: b.total(SLOW_CALLS) };
  }
}

/** The window an option describes; `slowRate` is the slow-call rule's rate, if any. */
export function createWindow(w: BreakerWindow, slowRate: number | undefined): OutcomeWindow {
  switch (w.kind) {
    case 'consecutive':
      return new ConsecutiveWindow(w.failures);
    case 'count':
      return new CountWindow(w.size, w.failureRate, w.minimumCalls ?? w.size, slowRate);
    case 'time':
      return new TimeWindow(w.durationMs, w.failureRate, w.minimumCalls ?? 10, slowRate);
  }
}
