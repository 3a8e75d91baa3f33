import { overlayPending } from '@bulletproof/core';
import type { OutboxEntry, PendingOverlay, PendingOverlayOptions } from '@bulletproof/core';
import { useEffect, useMemo, useState } from '../react.js';
import { useProtection } from '../context/BulletproofProvider.js';
import { watchEntries } from './useOutbox.js';

const NO_ENTRIES: OutboxEntry[] = [];

/**
 * `items` with the writes still in the outbox laid over them (`overlayPending`): what the user
 * did offline shows in the list it belongs to, across reloads, until the server has it; then
 * the write leaves the outbox and `items` (the next answer from the server) carry it. The
 * entries are listed again after every change of the outbox, whoever made it (this page,
 * another tab, the service worker). `pending` holds the ids still waiting to sync, for a
 * "waiting to sync" mark.
 *
 * The result is computed again when `items`, the entries or `options` change: define the
 * options outside the component (or memoize them) to keep its identity between renders. The
 * server and hydration see the outbox empty (it lives in the browser's storage).
 */
export function usePendingOverlay<Item, Payload = unknown>(
  items: readonly Item[],
  options: PendingOverlayOptions<Item, Payload>,
): PendingOverlay<Item> {
  const { outbox } = useProtection();
  const [entries, setEntries] = useState(NO_ENTRIES);
  useEffect(() => {
    if (!outbox) {
      setEntries(NO_ENTRIES);
      return;
    }
    return watchEntries(outbox, setEntries);
  }, [outbox]);
  return useMemo(() => overlayPending(items, entries, options), [items, entries, options]);
}
