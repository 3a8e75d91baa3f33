/** Failed requests an outage holds at least. */
export const OUTAGE_MIN_FAILURES = 3;
/** Time from an outage's first failure to the failure that makes it one, at least. */
export const OUTAGE_MIN_MS = 10_000;
/** Share of the requests since the first failure that failed, at least. */
export const OUTAGE_MIN_FAILED_SHARE = 0.8;
/** A gap without failures that ends a stretch of them (calls may have stopped: writes queued). */
export const OUTAGE_GAP_MS = 60_000;

/**
 * What counts as an outage when predictions are scored, live (`predictor.accuracy()`) and in
 * the offline evaluation alike — a property of the requests, not of any detector: the
 * dependency is down when, from some failed request on, at least 80 % of requests failed over
 * at least 10 s, with at least 3 failures and never 60 s without one. Requests are calls and
 * connectivity probes that failed (with sparse traffic probes may be most of what there is);
 * an answered call (a success or a client error, a sign of life) lowers the share; a probe
 * that succeeds changes nothing (the health check answering says nothing of calls failing).
 *
 * Its *first failure* is the first of that stretch: a warning counts only if it came before.
 * The outage is known once it has lasted 10 s; it lasts until a call is answered or 60 s pass
 * without a failure.
 *
 * A sustained share rather than "n failures in a row": a run of 3 can happen while a failure
 * rate is only creeping up (at 25 %, one triple in 64), and a detector that alarms at such a
 * run must be able to lead the outage that follows; nor can a detector that alarms at the
 * outage's 3rd failure be scored as leading it, because the outage began at its first.
 * A share rather than a count in a window: scattered failures of a rising error rate fill any
 * window long before the dependency is down.
 *
 * Fixed fields, O(1) per request, so it costs nothing per `record()`.
 */
export class OutageDetector {
  /** Failures and answered calls since the stretch's first failure; 0 when there is no stretch. */
  failures = 0;
  answers = 0;
  /** First failure of the current stretch; NaN when there is none. */
  runStartAt = Number.NaN;
  lastFailureAt = Number.NaN;
  /** Whether an outage is under way (known once it has lasted `OUTAGE_MIN_MS`). */
  active = false;

  /** Whether a stretch of failures is under way that may still become an outage. */
  get pending(): boolean {
    return this.failures > 0 && !this.active;
  }

  private reset(): void {
    this.failures = 0;
    this.answers = 0;
    this.runStartAt = Number.NaN;
    this.active = false;
  }

  /** Takes over another detector's state: a forgotten key's, when it is tracked again. */
  adopt(other: OutageDetector): void {
    this.failures = other.failures;
    this.answers = other.answers;
    this.runStartAt = other.runStartAt;
    this.lastFailureAt = other.lastFailureAt;
    this.active = other.active;
  }

  /** Ends a stretch or an outage that has seen no failure for `OUTAGE_GAP_MS` by `at`. */
  refresh(at: number): void {
    if (this.failures > 0 && at - this.lastFailureAt > OUTAGE_GAP_MS) this.reset();
  }

  /** A call was answered: it ends an outage, and a stretch whose share of failures falls too low. */
  answer(): void {
    if (this.failures === 0) return;
    if (this.active) {
      this.reset();
      return;
    }
    this.answers += 1;
    if (this.failures < OUTAGE_MIN_FAILED_SHARE * (this.failures + this.answers)) this.reset();
  }

  /** Records a failed request; true when it makes the stretch an outage. */
  failure(at: number): boolean {
    this.refresh(at);
    if (this.failures === 0) this.runStartAt = at;
    this.failures += 1;
    this.lastFailureAt = at;
    if (this.active || this.failures < OUTAGE_MIN_FAILURES || at - this.runStartAt < OUTAGE_MIN_MS)
      return false;
    this.active = true;
    return true;
  }
}
