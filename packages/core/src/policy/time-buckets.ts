/**
 * Counters over a sliding time window, kept as a ring of `bucketCount` buckets of
 * `durationMs / bucketCount` each with running totals: recording and reading cost O(1)
 * (at most `bucketCount` buckets are cleared when time jumps ahead), whatever the traffic.
 * The window slides one bucket at a time, so it covers between (n−1)/n and all of `durationMs`.
 * Several series (e.g. calls, failures) share the ring: bucket `b` of series `s` is `counts[b * series + s]`.
 */
export class TimeBuckets {
  private readonly counts: Float64Array;
  private readonly totals: Float64Array;
  private readonly bucketMs: number;
  private epoch = -Infinity;

  constructor(
    durationMs: number,
    private readonly bucketCount: number,
    private readonly series: number,
  ) {
    this.bucketMs = Math.max(1, durationMs / bucketCount);
    this.counts = new Float64Array(bucketCount * series);
    this.totals = new Float64Array(series);
  }

  /** Moves the window to `now`, dropping buckets that fell out of it. Returns the current bucket. */
  advance(now: number): number {
    const epoch = Math.floor(now / this.bucketMs);
    if (epoch > this.epoch) {
      const stale = Math.min(epoch - this.epoch, this.bucketCount);
      for (let step = 0; step < stale; step++) this.clearBucket(this.bucketOf(epoch - step));
      this.epoch = epoch;
    }
    // A clock that steps backwards keeps counting into the newest bucket.
    return this.bucketOf(this.epoch);
  }

  add(series: number, bucket: number, amount = 1): void {
    const at = bucket * this.series + series;
    this.counts[at] = (this.counts[at] ?? 0) + amount;
    this.totals[series] = this.total(series) + amount;
  }

  /** The series' total over the window as of the last `advance`. */
  total(series: number): number {
    return this.totals[series] ?? 0;
  }

  clear(): void {
    this.counts.fill(0);
    this.totals.fill(0);
  }

  private bucketOf(epoch: number): number {
    return ((epoch % this.bucketCount) + this.bucketCount) % this.bucketCount;
  }

  private clearBucket(bucket: number): void {
    for (let s = 0; s < this.series; s++) {
      const at = bucket * this.series + s;
      this.totals[s] = this.total(s) - (this.counts[at] ?? 0);
      this.counts[at] = 0;
    }
  }
}
