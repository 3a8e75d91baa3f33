import type { OutboxEntry } from './types.js';

/** How the writes of an outbox are laid over one list (see `overlayPending`). */
export interface PendingOverlayOptions<Item, Payload = unknown> {
  /** The entry type, or types, that write to this list; entries of other types are left out. */
  type: string | readonly string[];
  /** An item's id, unique in the list. */
  id: (item: Item) => string;
  /**
   * The id of the item an entry writes to, or `undefined` for a create whose item gets its id
   * from `apply`. Default: the payload's `id`, when it is a string.
   */
  idOf?: (payload: Payload, entry: OutboxEntry<Payload>) => string | undefined;
  /**
   * The item as the write leaves it: `item` is the one in the list so far (with the earlier
   * writes applied), `undefined` when there is none (a create); return `undefined` to remove
   * it (a delete). The entry says more: its `type`, its `state`, `createdAt`.
   */
  apply: (item: Item | undefined, payload: Payload, entry: OutboxEntry<Payload>) => Item | undefined;
  /**
   * Lay dead entries (given up on) over the list too, for `apply` to mark what did not save
   * (`entry.state === 'dead'`) next to a way to retry it. Default `false`: a dead write will
   * not reach the server unless the user retries it, so by default it is not shown as done.
   */
  includeDead?: boolean;
}

/** A list with the outbox's writes laid over it. */
export interface PendingOverlay<Item> {
  items: Item[];
  /** Ids of the items a write still waiting or in flight created or changed: "waiting to sync". */
  pending: ReadonlySet<string>;
}

const payloadId = (payload: unknown): string | undefined => {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
};

/**
 * The list as the user expects to see it: `items` (the server's answer, or a saved copy) with
 * the writes still in the outbox applied, so what was done offline shows until the server has
 * it. `entries` are `outbox.list()`'s, in enqueue order; each write of a listed `type` that is
 * still waiting or in flight (and dead, with `includeDead`) is applied in that order: an update
 * replaces its item in place, a create is appended, a delete removes it. Delivered and
 * discarded writes are no longer in the outbox: the next answer from the server has them.
 * Pure: `items` and the entries are not changed.
 */
export function overlayPending<Item, Payload = unknown>(
  items: readonly Item[],
  entries: readonly OutboxEntry[],
  options: PendingOverlayOptions<Item, Payload>,
): PendingOverlay<Item> {
  const { type, id, apply, includeDead } = options;
  const idOf = options.idOf ?? payloadId;
  const types: readonly string[] = typeof type === 'string' ? [type] : type;
  const list: Array<Item | undefined> = [...items];
  const removed = new Set<number>();
  const at = new Map<string, number>();
  list.forEach((item, i) => at.set(id(item as Item), i));
  const pending = new Set<string>();

  for (const e of entries as ReadonlyArray<OutboxEntry<Payload>>) {
    const dead = e.state === 'dead';
    if ((dead && !includeDead) || !types.includes(e.type)) continue;
    const target = idOf(e.payload, e);
    const i = target === undefined ? undefined : at.get(target);
    const next = apply(i === undefined ? undefined : list[i], e.payload, e);
    // Still waiting for an earlier write: a dead one after it does not make it synced.
    let waits = !dead;
    if (i !== undefined) {
      at.delete(target as string);
      if (pending.delete(target as string)) waits = true;
    }
    if (next === undefined) {
      if (i !== undefined) removed.add(i);
      continue;
    }
    const nextId = id(next);
    // Another item listed under the id it now has is replaced by it.
    const other = at.get(nextId);
    const place = i ?? other ?? list.push(undefined) - 1;
    if (other !== undefined && other !== place) removed.add(other);
    list[place] = next;
    at.set(nextId, place);
    if (waits) pending.add(nextId);
  }
  return {
    items: list.filter((_, i) => !removed.has(i)) as Item[],
    pending,
  };
}
