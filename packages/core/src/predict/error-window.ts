/** Buckets per window: fine enough that the window slides smoothly, few enough to sum quickly. */
export const ERROR_WINDOW_BUCKETS = 12;

/**
 * Calls and failures over a sliding time window, kept in a fixed ring of time buckets
 * (the shape Resilience4j and Hystrix use), so memory stays the same however many
 * samples arrive. Counts are exact to one bucket (`windowMs / 12`).
 */
export class ErrorWindow {
  private readonly bucketMs: number;
  private readonly epochs = new Float64Array(ERROR_WINDOW_BUCKETS).fill(-1);
  private readonly calls = new Uint32Array(ERROR_WINDOW_BUCKETS);
  private readonly fails = new Uint32Array(ERROR_WINDOW_BUCKETS);
  /** Totals from the latest `count()`. */
  total = 0;
  failures = 0;

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / ERROR_WINDOW_BUCKETS);
  }

  add(at: number, failed: boolean): void {
    const epoch = Math.floor(at / this.bucketMs);
    const i = epoch % ERROR_WINDOW_BUCKETS;
    if (this.epochs[i] !== epoch) {
      this.epochs[i] = epoch;
      this.calls[i] = 0;
      this.fails[i] = 0;
    }
    this.calls[i] = (this.calls[i] ?? 0) + 1;
    if (failed) this.fails[i] = (this.fails[i] ?? 0) + 1;
  }

  /** Sums the buckets still inside the window at `at` into `total` and `failures`. */
  count(at: number): void {
    const oldest = Math.floor(at / this.bucketMs) - ERROR_WINDOW_BUCKETS;
    let total = 0;
    let failures = 0;
    for (let i = 0; i < ERROR_WINDOW_BUCKETS; i++) {
      if ((this.epochs[i] ?? -1) > oldest) {
        total += this.calls[i] ?? 0;
        failures += this.fails[i] ?? 0;
      }
    }
    this.total = total;
    this.failures = failures;
  }

  /** Memory held, in buckets: constant by construction. */
  get size(): number {
    return this.epochs.length;
  }
}
