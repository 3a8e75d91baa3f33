/** Least failure rate assumed as normal: a key with no failure yet is not held to perfection. */
const MIN_NORMAL_RATE = 0.01;
/** The rate the test looks for: at least this, and at least `RATE_FACTOR` × normal. */
const TROUBLE_RATE = 0.15;
const RATE_FACTOR = 5;
/** How long the normal failure rate takes to follow a lasting change. */
const NORMAL_RATE_TIME_CONSTANT_MS = 600_000;
/** A gap this long between outcomes starts the evidence afresh. */
const RESET_GAP_MS = 90_000;
/**
 * A failure this soon after the previous one adds no evidence: a network blip fails the calls
 * in flight together, and is one event. A rising failure rate spreads its failures out.
 */
const FAILURE_CLUMP_MS = 1_000;
const MAX_EVIDENCE_THRESHOLDS = 2;
/**
 * This many answers in a row, over at least `RECOVERY_MS` since the last failure, end the
 * build-up: whatever was rising has stopped (a dependency that recovered must not stay at
 * high risk while its evidence slowly fades).
 */
const RECOVERY_SUCCESSES = 5;
const RECOVERY_MS = 10_000;
/** Evidence fades with time as well as with successes: failures a few minutes old say little about now. */
const EVIDENCE_TIME_CONSTANT_MS = 60_000;

/**
 * A rising failure rate, as a Bernoulli CUSUM (the sequential probability ratio test run
 * continuously): each outcome adds the log-likelihood ratio of "failing at the trouble rate"
 * against "failing at the normal rate", and the sum restarts from 0 whenever it would go below.
 * With a normal rate of 1 %, a failure adds about 2.7 and a success takes about 0.15 away (the
 * evidence also fades with time), so scattered failures never add up
 * while several failures among few successes do.
 */
export class ErrorRateShift {
  evidence = 0;
  normalRate = MIN_NORMAL_RATE;
  runStartAt = Number.NaN;
  runFailures = 0;
  runCalls = 0;
  private lastAt = Number.NaN;
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private successes = 0;
  /** Evidence, run start, run failures and run outcomes kept by `setAside()`. */
  private aside: [number, number, number, number] | undefined = undefined;

  constructor(private readonly threshold: number) {}

  add(failed: boolean, at: number): void {
    const dt = Number.isNaN(this.lastAt) ? 0 : at - this.lastAt;
    if (dt > RESET_GAP_MS) this.reset();
    const p0 = Math.max(MIN_NORMAL_RATE, this.normalRate);
    const p1 = Math.max(TROUBLE_RATE, RATE_FACTOR * p0);
    const clumped = failed && at - this.lastFailureAt < FAILURE_CLUMP_MS;
    if (failed) {
      this.lastFailureAt = at;
      this.successes = 0;
    } else this.successes += 1;
    const llr = clumped ? 0 : failed ? Math.log(p1 / p0) : Math.log((1 - p1) / (1 - p0));
    const before = this.evidenceAt(at);
    this.lastAt = at;
    this.evidence = Math.min(MAX_EVIDENCE_THRESHOLDS * this.threshold, Math.max(0, before + llr));
    if (this.evidence > 0) {
      if (this.runCalls === 0) {
        this.runStartAt = at;
        this.runFailures = 0;
        this.runCalls = 0;
      }
      this.runCalls += 1;
      if (failed) this.runFailures += 1;
    } else this.reset();
    if (this.successes >= RECOVERY_SUCCESSES && at - this.lastFailureAt >= RECOVERY_MS) this.reset();
    // While evidence builds up the normal rate learns ten times slower, so a rising rate is
    // judged against what came before it rather than learnt as normal.
    let w = 1 - Math.exp(-Math.min(dt, 30_000) / NORMAL_RATE_TIME_CONSTANT_MS);
    if (this.evidence >= this.threshold / 2) w /= 10;
    this.normalRate += w * ((failed ? 1 : 0) - this.normalRate);
  }

  /** The evidence as of `at`: it fades while no outcome arrives (a breaker open, a quiet page). */
  evidenceAt(at: number): number {
    const dt = Number.isNaN(this.lastAt) ? 0 : at - this.lastAt;
    if (dt > RESET_GAP_MS) return 0;
    return dt > 0 ? this.evidence * Math.exp(-dt / EVIDENCE_TIME_CONSTANT_MS) : this.evidence;
  }

  /** Whether a rising rate is established: enough evidence, from failures spread over `minMs`. */
  persistent(at: number, minMs: number): boolean {
    return this.evidence > 0 && this.evidenceAt(at) >= this.threshold && at - this.runStartAt >= minMs;
  }

  score(at: number): number {
    return this.evidence === 0 ? 0 : Math.min(1, this.evidenceAt(at) / this.threshold);
  }

  /**
   * Puts the evidence aside and starts afresh (a failure episode begins and explains it),
   * keeping it so that `restore()` can bring it back if the episode turns out to be a few
   * failures among answers, part of a rising rate rather than an outage.
   */
  setAside(): void {
    this.aside = [this.evidence, this.runStartAt, this.runFailures, this.runCalls];
    this.reset();
  }

  /** Brings back what `setAside()` kept; nothing when nothing was kept. */
  restore(): void {
    const a = this.aside;
    if (a === undefined) return;
    this.aside = undefined;
    [this.evidence, this.runStartAt, this.runFailures, this.runCalls] = a;
  }

  /** Forgets what `setAside()` kept: the episode was an outage, and explains it. */
  discard(): void {
    this.aside = undefined;
  }

  /** Forgets the evidence (an outage explains it, or a long gap makes it stale). */
  reset(): void {
    this.evidence = 0;
    this.runStartAt = Number.NaN;
    this.runFailures = 0;
    this.runCalls = 0;
  }
}
