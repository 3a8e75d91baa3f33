import { setTimer, type Clock } from '../clock.js';
import { observable, ValueEmitter, type Observable } from '../observable.js';
import type { QueueCounts } from './queue.js';
import type { OutboxStats } from './types.js';

/** What the counts are made of, and who hears about them. */
export interface StatsSource {
  clock: Clock;
  counts(): QueueCounts;
  /** What the queue does not count: whether this page drains, is paused, and where it writes. */
  state(): Pick<OutboxStats, 'draining' | 'paused' | 'storage'>;
  /** Whether a lease's end may wake the counts now: not while this page drains, nor once closed. */
  mayWake(): boolean;
  /** Someone subscribed: a reason to load the queue if nothing has yet. */
  subscribed(): void;
  /** A lease ran out: an entry is due again. */
  leaseEnded(): void;
}

export interface StatsCache {
  /** The counts as they stand now (recounted only if stale). */
  readonly current: OutboxStats;
  readonly stream: Observable<OutboxStats>;
  /** Something counted changed: recounted once per tick, pushed only if the counts differ. */
  changed(): void;
  /** Counts one last time and ends the stream. */
  close(): void;
}

const KEYS = ['pending', 'inFlight', 'dead', 'oldestPendingAt', 'draining', 'paused', 'storage'] as const;

/**
 * The outbox's counts, kept without a read per call: recounted from the queue's mirror when
 * something changed, and pushed to `stream` only while someone listens.
 */
export function createStatsCache(source: StatsSource): StatsCache {
  const { clock } = source;
  let dirty = true;
  let scheduled = false;
  /** When the last counts go stale by themselves: the earliest end of a lease they count as in flight. */
  let leaseEndsAt: number | undefined;
  /** When the lease wake-up armed fires, if one is. */
  let wakeAt: number | undefined;
  let timer: unknown;

  const count = (): OutboxStats => {
    const counts = source.counts();
    leaseEndsAt = counts.leaseEndsAt;
    const stats: OutboxStats = {
      pending: counts.pending,
      inFlight: counts.inFlight,
      dead: counts.dead,
      ...source.state(),
    };
    if (counts.oldestPendingAt !== undefined) stats.oldestPendingAt = counts.oldestPendingAt;
    return stats;
  };
  const emitter = new ValueEmitter(count());

  /**
   * Whether the last counts are out of date: something changed, or the clock passed the end
   * of a lease they count as in flight (a page that died mid-delivery, or another page's
   * delivery that says nothing). Comparing timestamps here keeps `current` true when asked
   * even if no timer ran (background tabs throttle them).
   */
  const stale = () => dirty || (leaseEndsAt !== undefined && clock.now() >= leaseEndsAt);

  const refresh = () => {
    dirty = false;
    const next = count();
    const last = emitter.value;
    if (KEYS.some((key) => next[key] !== last[key])) emitter.next(next);
    armWake();
  };

  const changed = () => {
    dirty = true;
    if (scheduled || !emitter.observed) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (dirty) refresh();
    });
  };

  /**
   * A lease that runs out changes the counts with no event to notice it. The counts compare
   * lease ends with the clock whenever they are read; this timer only wakes `stream` to push
   * the change, and tells the source (which, with autoDrain, starts the drain the now-due
   * entry allows, taking the Web Lock over from a leader that died). It fires at the earliest
   * lease end; what it finds is decided by the clock, so a timer that fires early or late
   * changes nothing but timing.
   *
   * Not armed while this page drains: its own leases end with its deliveries, so a delivery
   * starts no timer. The drain's end refreshes the counts, which arms it for leases held
   * elsewhere. Nor without a subscriber: `current` read on demand needs no timer.
   */
  const armWake = () => {
    const at = leaseEndsAt;
    if (at === undefined || !source.mayWake() || !emitter.observed) return;
    // One timer, at the earliest end known: an earlier one already armed wakes in time.
    if (wakeAt !== undefined && wakeAt <= at) return;
    clock.clearTimeout(timer);
    wakeAt = at;
    timer = setTimer(
      clock,
      () => {
        wakeAt = undefined;
        // Recounted against the clock; pushed if changed, and the next lease end armed.
        changed();
        source.leaseEnded();
      },
      Math.max(0, at - clock.now()),
    );
  };

  return {
    get current() {
      if (stale()) refresh();
      return emitter.value;
    },
    stream: observable((observer) => {
      source.subscribed();
      // Counts are not pushed while nobody listens: bring them up to date first.
      if (stale()) refresh();
      const subscription = emitter.observable.subscribe(observer);
      // Now that someone listens, a lease ending must be pushed to them.
      armWake();
      return () => subscription.unsubscribe();
    }),
    changed,
    close() {
      clock.clearTimeout(timer);
      refresh();
      emitter.complete();
    },
  };
}
