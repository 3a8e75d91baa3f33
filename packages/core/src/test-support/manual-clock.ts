import type { Clock } from '../clock.js';

/** A `Clock` whose time moves, and whose timers fire, only when the test says so. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing each due timer in time order, at its own time. */
  advance(ms: number): void;
  /**
   * The same, awaiting `settle` before each timer and at the end, so the promise chains
   * a timer starts (a fetch, a probe) finish before the next one fires.
   */
  advanceAsync(ms: number, settle: () => Promise<void>): Promise<void>;
  /** Timers set and neither fired nor cleared yet. */
  pending(): number;
}

interface Timer {
  at: number;
  fn: () => void;
}

export function manualClock(start = 1_000): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  /** Fires the earliest timer due by `until` (the first set, among equals); false when none is. */
  const fireNext = (until: number): boolean => {
    let due: [number, Timer] | undefined;
    for (const entry of timers) if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
    if (!due) return false;
    timers.delete(due[0]);
    now = due[1].at;
    due[1].fn();
    return true;
  };

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      // Like browsers, a negative delay means "as soon as possible", never the past.
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      while (fireNext(until));
      now = until;
    },
    async advanceAsync(ms, settle) {
      const until = now + ms;
      do await settle();
      while (fireNext(until));
      now = until;
      await settle();
    },
    pending: () => timers.size,
  };
}
