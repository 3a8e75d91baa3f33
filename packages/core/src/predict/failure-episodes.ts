/**
 * Detects failure episodes exactly as the contract defines them: an episode starts at the
 * n-th failure within the window and lasts while the window still holds n failures.
 * "At least n failures within the window" is the same as "the n-th most recent failure is
 * within the window", so a ring of the last n failure times is all the memory needed.
 */
export class EpisodeDetector {
  private readonly times: Float64Array;
  private next = 0;
  private stored = 0;
  active = false;
  startedAt = Number.NaN;

  constructor(
    private readonly failuresToStart: number,
    private readonly windowMs: number,
  ) {
    this.times = new Float64Array(failuresToStart);
  }

  /** Ends an episode whose window no longer holds enough failures by `at`. */
  refresh(at: number): void {
    if (this.active && !this.windowFull(at)) this.active = false;
  }

  /** Records a failure; true when it starts a new episode. */
  failure(at: number): boolean {
    this.refresh(at);
    this.times[this.next] = at;
    this.next = (this.next + 1) % this.failuresToStart;
    if (this.stored < this.failuresToStart) this.stored += 1;
    if (this.active || !this.windowFull(at)) return false;
    this.active = true;
    this.startedAt = at;
    return true;
  }

  private windowFull(at: number): boolean {
    if (this.stored < this.failuresToStart) return false;
    // After a write, `next` points at the oldest of the last n failures.
    const oldest = this.times[this.next] ?? Number.NEGATIVE_INFINITY;
    return at - oldest <= this.windowMs;
  }

  /** Memory held, in timestamps: `episodeFailures`, whatever the number of samples. */
  get size(): number {
    return this.times.length;
  }
}
