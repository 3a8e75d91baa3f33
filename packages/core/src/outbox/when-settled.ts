import { oneAtATime } from '../one-at-a-time.js';
import type { Outbox } from './types.js';

/** How a queued write ended: delivered (by any tab, page or the service worker), given up on, or discarded. */
export type SettledOutcome = 'delivered' | 'dead' | 'discarded';

/**
 * Resolves when the entry `id` leaves the queue, however that happens. Deliveries made by
 * another tab or the service worker are relayed as events, but a relay can be missed (the
 * deliverer closed first), so every change of the shared counts also looks the entry up:
 * an entry that is gone and was not given up on or discarded here was delivered.
 * Rejects with the signal's reason when `signal` aborts first.
 */
export function whenSettled(outbox: Outbox, id: string, signal?: AbortSignal): Promise<SettledOutcome> {
  return new Promise<SettledOutcome>((resolve, reject) => {
    let done = false;
    const finish = (outcome: SettledOutcome) => {
      if (done) return;
      done = true;
      events.unsubscribe();
      stats.unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      if (done) return;
      done = true;
      events.unsubscribe();
      stats.unsubscribe();
      const reason: unknown = signal?.reason;
      reject(reason instanceof Error ? reason : new DOMException('The wait was aborted', 'AbortError'));
    };
    const events = outbox.events$.subscribe((event) => {
      if (event.type === 'delivered' && event.entry.id === id) finish('delivered');
      else if (event.type === 'dead-lettered' && event.entry.id === id) finish('dead');
      else if (event.type === 'discarded' && event.ids.includes(id)) finish('discarded');
    });
    // Reads of the store run one at a time; a change seen meanwhile asks for one more.
    const reads = oneAtATime(async () => {
      if (done) return;
      try {
        const entries = await outbox.list();
        if (isDone()) return;
        const entry = entries.find((e) => e.id === id);
        if (!entry) finish('delivered');
        else if (entry.state === 'dead') finish('dead');
      } catch {
        // The store could not be read now; the next change of the counts looks again.
      }
    });
    // Read through a function: `done` changes while a read awaits.
    const isDone = () => done;
    const stats = outbox.stats$.subscribe(() => void reads.run());
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
