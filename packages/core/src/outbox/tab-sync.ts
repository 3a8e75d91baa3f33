import { type Clock, setTimer } from '../clock.js';
import type { DeadReason, OutboxEntry } from './types.js';

/** A delivery or dead letter another context made, relayed so this page's `events$` shows it. */
export type RelayedEvent =
  | { type: 'delivered'; entry: OutboxEntry }
  | { type: 'dead-lettered'; entry: OutboxEntry; reason: DeadReason };

interface SyncMessage {
  from: string;
  events: RelayedEvent[];
}

export interface TabSync {
  /** Tells the others the queue changed. */
  changed(): void;
  relay(event: RelayedEvent): void;
  /** Sends what is waiting, then closes. */
  close(): void;
}

/** Long enough to batch a busy drain, short enough for a live count. */
export const SYNC_FLUSH_MS = 50;

const NO_SYNC: TabSync = { changed() {}, relay() {}, close() {} };

/**
 * Whether a relayed event has the shape the page's subscribers rely on (`event.entry.id`):
 * the sender may be another version of the package, or broken, and one bad event must not
 * throw away the rest of its message.
 */
function isRelayedEvent(value: unknown): value is RelayedEvent {
  const { type, entry, reason } = (value ?? {}) as Partial<Record<string, unknown>>;
  return (
    (type === 'delivered' || (type === 'dead-lettered' && typeof reason === 'string')) &&
    typeof (entry as { id?: unknown } | null)?.id === 'string'
  );
}

export function channelName(name: string): string {
  return `bulletproof-outbox-${name}`;
}

/**
 * Keeps every tab (and the service worker) that opened the same outbox informed: a context
 * that changed the queue says so, and the others re-read it, so `stats$` is live in a tab
 * that is not draining. Deliveries and dead letters are relayed too, so a page hears what
 * another tab or the service worker delivered.
 *
 * Messages carry no counts: each receiver counts from the store itself, which is the only
 * place every context agrees on. A BroadcastChannel message costs a trip through the
 * browser, so what happens within `flushMs` goes out as one message.
 */
export function createTabSync(
  name: string,
  Channel: typeof BroadcastChannel | undefined,
  /** This context's id, so a context never reacts to its own messages. */
  self: string,
  clock: Clock,
  on: { changed(): void; event(event: RelayedEvent): void },
): TabSync {
  if (!Channel) return NO_SYNC;
  let channel: BroadcastChannel;
  try {
    channel = new Channel(channelName(name));
  } catch {
    // Opaque origins (sandboxed iframes, data: URLs) cannot open a channel; the queue works without.
    return NO_SYNC;
  }
  let dirty = false;
  let events: RelayedEvent[] = [];
  let timer: unknown;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (!dirty && events.length === 0) return;
    const message: SyncMessage = { from: self, events };
    dirty = false;
    events = [];
    try {
      channel.postMessage(message);
    } catch {
      // A payload that cannot be cloned costs the other tabs these relays, not the change notice.
      try {
        channel.postMessage({ from: self, events: [] } satisfies SyncMessage);
      } catch {
        // The channel is gone (closing context): nothing left to tell.
      }
    }
  };
  const schedule = (): void => {
    if (timer === undefined && !closed) timer = setTimer(clock, flush, SYNC_FLUSH_MS);
  };

  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = event.data as Partial<SyncMessage> | null;
    if (!message || typeof message !== 'object' || message.from === self || !Array.isArray(message.events))
      return;
    on.changed();
    for (const relayed of message.events as unknown[]) if (isRelayedEvent(relayed)) on.event(relayed);
  };
  return {
    changed() {
      dirty = true;
      schedule();
    },
    relay(event) {
      dirty = true;
      events.push(event);
      schedule();
    },
    close() {
      if (closed) return;
      closed = true;
      clock.clearTimeout(timer);
      // A closing service worker's last deliveries count too.
      flush();
      channel.onmessage = null;
      channel.close();
    },
  };
}
