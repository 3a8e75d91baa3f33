/**
 * Counters over a sliding time window, kept as a ring of `bucketCount` buckets of
 * `durationMs / bucketCount` each with running totals: recording and reading cost O(1)
 * (at most `bucketCount` buckets are cleared when time jumps ahead), whatever the traffic.
 * The window slides one bucket at a time, so it covers between (n−1)/n and all of `durationMs`.
 * Several series (e.g. calls, failures) share the ring: bucket `b` of series `s` is `counts[b * series + s]`.
 */
export interface TimeBuckets {
  /** Moves the window to `now`, dropping buckets that fell out of it. Returns the current bucket. */
  advance(now: number): number;
  /** Counts one in `series`, in `bucket` (what `advance` returned). */
  add(series: number, bucket: number): void;
  /** The series' total over the window as of the last `advance`. */
  total(series: number): number;
  clear(): void;
  /** The current bucket's number (time / bucket length) and every count, bucket by bucket, for `load`. */
  save(): { epoch: number; counts: number[] };
  /**
   * Takes counts `save` gave (checked by the caller: `counts` as long as this ring's, none
   * negative), as of `epoch`; the next `advance` drops the buckets that fell out since.
   */
  load(epoch: number, counts: readonly number[]): void;
}

export function timeBuckets(durationMs: number, bucketCount: number, series: number): TimeBuckets {
  const bucketMs = Math.max(1, durationMs / bucketCount);
  const counts = new Float64Array(bucketCount * series);
  const totals = new Float64Array(series);
  let epoch = -Infinity;
  const bucketOf = (e: number) => ((e % bucketCount) + bucketCount) % bucketCount;
  const total = (s: number) => totals[s] ?? 0;
  return {
    advance(now) {
      const current = Math.floor(now / bucketMs);
      if (current > epoch) {
        const stale = Math.min(current - epoch, bucketCount);
        for (let step = 0; step < stale; step++) {
          const bucket = bucketOf(current - step);
          for (let s = 0; s < series; s++) {
            const at = bucket * series + s;
            totals[s] = total(s) - (counts[at] ?? 0);
            counts[at] = 0;
          }
        }
        epoch = current;
      }
      // A clock that steps backwards keeps counting into the newest bucket.
      return bucketOf(epoch);
    },
    add(s, bucket) {
      const at = bucket * series + s;
      counts[at] = (counts[at] ?? 0) + 1;
      totals[s] = total(s) + 1;
    },
    total,
    clear() {
      counts.fill(0);
      totals.fill(0);
    },
    save: () => ({ epoch: Number.isFinite(epoch) ? epoch : 0, counts: Array.from(counts) }),
    load(at, saved) {
      counts.set(saved);
      totals.fill(0);
      saved.forEach((n, i) => (totals[i % series] = total(i % series) + n));
      epoch = at;
    },
  };
}
