/**
 * What counts as an outage, for the predictor's own scoring and for the offline evaluation
 * alike: `failuresToStart` failed requests in a row — calls, or connectivity probes, which
 * with sparse traffic may be most of what there is — with no call answered (a success or a
 * client error, a sign of life) between them, and no more than `windowMs` between one failure
 * and the next. It starts at the last of those failures and lasts until a call is answered, or
 * until `windowMs` passes without a failure (calls may simply have stopped: writes queued for later).
 * Its *first failure* is the first of the run: a warning counts only if it came before that.
 * A probe that succeeds ends no run: the health check answering says nothing of calls failing.
 *
 * A run rather than "n failures within a window": under a rising error rate (1 % → 25 %)
 * scattered failures fill any window long before the dependency is down, so a count in a
 * window would call the warning sign itself the outage and leave nothing to predict.
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

  /** Ends an outage that has seen no failure for `windowMs` by `at`. */
  refresh(at: number): void {
    if (this.active && at - this.lastFailureAt > this.windowMs) {
      this.active = false;
      this.run = 0;
      this.runStartAt = Number.NaN;
    }
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
