import type { Outbox, OutboxEntry, OutboxStats } from '@bulletproof/core';
import { useEffect, useMemo, useState } from '../react.js';
import { useProtection } from '../context/BulletproofProvider.js';
import { NEVER, useObserved } from './use-observed.js';

/** What `useOutbox` returns: the outbox's counts and entries, and the functions that act on entries. */
export interface OutboxView {
  stats: OutboxStats;
  /** Entries given up on, oldest first, each with its `deadReason` and `lastFailure`. */
  dead: OutboxEntry[];
  /** Entries waiting or being delivered, oldest first. */
  pending: OutboxEntry[];
  /** Dead entries → pending with attempts reset; pending ones become due now. */
  retry: (ids: string[] | 'dead') => Promise<number>;
  /** Deletes these entries from the outbox; resolves with how many it deleted (0 without an outbox). */
  discard: (ids: string[]) => Promise<number>;
}

/** What an app without an outbox (`outbox: false`) sees: nothing waiting. */
const NO_STATS: OutboxStats = {
  pending: 0,
  inFlight: 0,
  dead: 0,
  draining: false,
  paused: false,
  storage: 'indexeddb',
};
const noStats = () => NO_STATS;
const NO_ENTRIES = { pending: [] as OutboxEntry[], dead: [] as OutboxEntry[] };
const none = () => Promise.resolve(0);

/**
 * The outbox's counts (live) and its entries (listed again after every change,
 * one listing at a time, so a burst of changes costs at most two reads).
 */
export function useOutbox(): OutboxView {
  const { outbox } = useProtection();
  // The outbox lives in the browser's storage: the server and hydration see it empty.
  const stats = useObserved(outbox?.stats$ ?? NEVER, () => outbox?.stats ?? NO_STATS, undefined, noStats);
  const [entries, setEntries] = useState(NO_ENTRIES);

  useEffect(() => {
    if (!outbox) {
      setEntries(NO_ENTRIES);
      return;
    }
    return watchEntries(outbox, (all) => {
      setEntries({
        pending: all.filter((e) => e.state !== 'dead'),
        dead: all.filter((e) => e.state === 'dead'),
      });
    });
  }, [outbox]);

  return useMemo(
    () => ({
      stats,
      dead: entries.dead,
      pending: entries.pending,
      retry: outbox ? (ids: string[] | 'dead') => outbox.retry(ids) : none,
      discard: outbox ? (ids: string[]) => outbox.discard(ids) : none,
    }),
    [stats, entries, outbox],
  );
}

/**
 * Lists the outbox's entries now and again after every change, one listing at a time (a burst
 * of changes costs at most two reads), until the returned function is called.
 */
export function watchEntries(outbox: Outbox, publish: (entries: OutboxEntry[]) => void): () => void {
  let live = true;
  let listing = false;
  let again = false;
  const list = () => {
    if (listing) {
      again = true;
      return;
    }
    listing = true;
    outbox
      .list()
      .then(
        (all) => {
          if (live) publish(all);
        },
        // A failed read keeps the last listing; the next change lists again.
        () => undefined,
      )
      .finally(() => {
        listing = false;
        if (again && live) {
          again = false;
          list();
        }
      });
  };
  // Counts change on enqueue, delivery and dead-lettering; events also cover changes that
  // keep the counts (a retry scheduled with a new failure message).
  const subscriptions = [outbox.stats$.subscribe(list), outbox.events$.subscribe(list)];
  list();
  return () => {
    live = false;
    for (const s of subscriptions) s.unsubscribe();
  };
}
