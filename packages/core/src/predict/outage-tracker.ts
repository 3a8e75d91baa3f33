/**
 * The predictor's own failure episode: `failuresToStart` failed requests in a row — calls, or
 * connectivity probes — with no call answered between them, and no more than `windowMs`
 * between one failure and the next. It lasts until a call is answered, or until `windowMs`
 * passes without a failure. While it lasts the predictor explains its evidence away and makes
 * no prediction. This is a detector's notion, not what predictions are scored against: that
 * is `OutageDetector`, a property of the requests alone.
 *
 * A run rather than "n failures within a window": under a rising error rate (1 % → 25 %)
 * scattered failures fill any window long before the dependency is down, so a count in a
 * window would call the warning sign itself an episode and explain it away.
 */
export class OutageTracker {
  /** Failures in the current run; 0 after a success. */
  run = 0;
  /** First failure of the current run; NaN when there is none. */
  runStartAt = Number.NaN;
  lastFailureAt = Number.NaN;
  /** Whether an outage is under way. */
  active = false;

  constructor(
    private readonly failuresToStart: number,
    private readonly windowMs: number,
  ) {}

  /** Ends an outage that has seen no failure for `windowMs` by `at`; true when it did. */
  refresh(at: number): boolean {
    if (!this.active || at - this.lastFailureAt <= this.windowMs) return false;
    this.active = false;
    this.run = 0;
    this.runStartAt = Number.NaN;
    return true;
  }

  success(): void {
    this.run = 0;
    this.runStartAt = Number.NaN;
    this.active = false;
  }

  /** Records a failure; true when it starts an outage. */
  failure(at: number): boolean {
    if (this.run > 0 && at - this.lastFailureAt > this.windowMs) {
      // Failures this far apart are not one run (a background tab, a quiet hour between them).
      this.run = 0;
      this.active = false;
    }
    if (this.run === 0) this.runStartAt = at;
    this.run += 1;
    this.lastFailureAt = at;
    if (this.active || this.run < this.failuresToStart) return false;
    this.active = true;
    return true;
  }
}
