import type { Workbox } from 'workbox-window';

/**
 * The page's half of Background Sync. The page asks its service worker (through Workbox's
 * `messageSW`) to register the outbox's sync tag; the worker registers it from its own scope
 * (there is a window client, so the browser allows it) and, when the browser fires `sync`
 * — possibly after every tab has closed — replays the queued HTTP entries (see `sw/`).
 */

/** The message a page sends to have the sync tag registered. */
export const REGISTER_SYNC_MESSAGE = 'bulletproof-outbox:register-sync';

export function syncTag(name: string): string {
  return `bulletproof-outbox-${name}`;
}

/** Returns a function asking for the sync tag; calls made in one tick send one message. */
export function createSyncRequester(
  workbox: Pick<Workbox, 'messageSW'> | undefined,
  name: string,
): () => void {
  if (!workbox) return () => {};
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      // Background Sync is a best effort on top of the durable queue: the page's own
      // triggers still deliver when the worker is missing or the browser lacks the API.
      workbox.messageSW({ type: REGISTER_SYNC_MESSAGE, name }).catch(() => undefined);
    });
  };
}
