import { object, optional } from '../check/schema.js';
import { setTimer, systemClock, type Clock } from '../clock.js';
import { meaningOf } from '../failure/meaning.js';
import { REGISTER_SYNC_MESSAGE, syncTag } from '../outbox/background-sync.js';
import { outboxHttpShape, outboxHttp } from '../outbox/outbox-http.js';
import { outboxOptionShape } from '../outbox/options.js';
import { createOutboxInternal } from '../outbox/outbox.js';
import type { DrainReport } from '../outbox/types.js';
import type { Backoff, Policy } from '../policy/types.js';
import { parseOptions } from '../validate.js';
import { DEV } from '../dev.js';

/**
 * `@bulletproof/core/sw`: the service worker half of the outbox.
 *
 * On the Background Sync `sync` event it drains the same database's `http` entries under
 * the same Web Lock and with the same guarantees as a page (leases, per-channel order,
 * delete-after-success, `prepare` before every send), and the pages still open hear about it
 * through the outbox's BroadcastChannel. Entries of other types are left for a page, and
 * they hold their channel, so order is kept.
 *
 * When HTTP entries are left undelivered, the sync handler fails on purpose: the browser then
 * fires `sync` again later (with its own backoff), even if no page is open.
 */
export interface OutboxSyncOptions {
  /** The outbox name used by the pages. Default 'default'. */
  name?: string;
  /** Runs before every send (apply fresh auth here). */
  prepare?: (req: Request) => Request | Promise<Request>;
  policy?: Policy;
  backoff?: Backoff;
  maxAttempts?: number;
  leaseMs?: number;
  clock?: Clock;
  /** What queued requests are sent with. Default: the worker's `fetch`, looked up at each send. */
  fetch?: typeof fetch;
  indexedDB?: IDBFactory;
}

/** The parts of a service worker's global scope this uses. */
export interface ServiceWorkerScopeLike {
  /** Subscribes to Background Sync's `sync` event, which replays the queued requests. */
  addEventListener(type: 'sync', listener: (event: SyncEventLike) => void): void;
  /** Subscribes to messages from pages, which ask the worker to register the sync tag. */
  addEventListener(type: 'message', listener: (event: ExtendableMessageEventLike) => void): void;
  /** Ends a `sync` subscription made with `addEventListener`. */
  removeEventListener(type: 'sync', listener: (event: SyncEventLike) => void): void;
  /** Ends a `message` subscription made with `addEventListener`. */
  removeEventListener(type: 'message', listener: (event: ExtendableMessageEventLike) => void): void;
  registration: {
    sync?: {
      /** Asks the browser to fire `sync` with `tag` once the network is back (Background Sync). */
      register(tag: string): Promise<void>;
    };
  };
}

/** The parts of a Background Sync `sync` event this uses. */
export interface SyncEventLike {
  tag: string;
  /** True on the browser's last retry of this sync. */
  lastChance?: boolean;
  /** Keeps the worker alive until `promise` settles; its rejection tells the browser to fire `sync` again later. */
  waitUntil(promise: Promise<unknown>): void;
}

/** The parts of a service worker's `message` event this uses. */
export interface ExtendableMessageEventLike {
  data: unknown;
  ports: ReadonlyArray<{
    /** Answers the page that sent the message. */
    postMessage(message: unknown): void;
  }>;
  /** Keeps the worker alive until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/** The outbox options a service worker takes, checked when it installs (not at its first sync). */
const optionsSchema = () =>
  optional(
    object<OutboxSyncOptions>({
      name: outboxOptionShape().name,
      prepare: outboxHttpShape().prepare,
      policy: outboxOptionShape().policy,
      backoff: outboxOptionShape().backoff,
      maxAttempts: outboxOptionShape().maxAttempts,
      leaseMs: outboxOptionShape().leaseMs,
      clock: outboxOptionShape().clock,
      fetch: outboxHttpShape().fetch,
      indexedDB: outboxOptionShape().indexedDB,
    }),
  );

/**
 * A sync event can come a moment before requests get through (the browser saw the link come
 * back; the first fetches still fail on the network). Entries whose last try failed on the
 * network get these quick passes within the same event, after these waits, instead of
 * waiting minutes for the browser's next `sync`. Other failures (a 5xx) keep their backoff.
 */
export const EARLY_PASS_WAITS_MS: readonly number[] = [1_000, 3_000];

/** Thrown (and so failing the sync event) while HTTP entries are still waiting. */
export class SyncIncompleteError extends Error {
  override name = 'SyncIncompleteError';
  constructor(readonly waiting: number) {
    super(`${waiting} queued request(s) still waiting; the browser will fire sync again`);
  }
}

/**
 * Installs the `sync` and `message` listeners on the service worker scope. Call it at the
 * top level of the worker script. Returns the function that removes them.
 */
export function installOutboxSync(
  o?: OutboxSyncOptions,
  scope: ServiceWorkerScopeLike = globalThis as unknown as ServiceWorkerScopeLike,
): () => void {
  if (DEV) parseOptions(optionsSchema(), o, 'installOutboxSync()');
  const parsed = o;
  const name = parsed?.name ?? 'default';
  const tag = syncTag(name);

  const clock = o?.clock ?? systemClock;
  const replay = async (): Promise<DrainReport> => {
    // The sync event means the network is back, although the worker's `navigator.onLine` can
    // lag behind it: gating on that flag would skip the drain and wait minutes for a retry.
    const { prepare, fetch, ...rest } = o ?? {};
    const outbox = createOutboxInternal(
      { ...rest, name, autoDrain: false, http: outboxHttp({ prepare, fetch }) },
      { deliverTypes: ['http'], isOnline: () => true },
    );
    const waitingHttp = async () =>
      (await outbox.list({ state: 'pending' })).filter((e) => e.type === 'http');
    try {
      const report = await outbox.drain();
      // A page holding the lock is delivering right now: it keeps its own triggers.
      if (report.skipped === 'not-leader') return report;
      for (const waitMs of EARLY_PASS_WAITS_MS) {
        const early = (await waitingHttp()).filter(
          (e) => e.lastFailure && meaningOf(e.lastFailure).pathFailure,
        );
        if (early.length === 0) break;
        await new Promise<void>((resolve) => setTimer(clock, () => resolve(), waitMs));
        await outbox.retry(early.map((e) => e.id));
        const pass = await outbox.drain();
        report.delivered += pass.delivered;
        report.retried += pass.retried;
        report.dead += pass.dead;
      }
      const waiting = (await waitingHttp()).length;
      if (waiting > 0) throw new SyncIncompleteError(waiting);
      return report;
    } finally {
      await outbox.close();
    }
  };

  const onSync = (event: SyncEventLike): void => {
    if (event.tag !== tag) return;
    event.waitUntil(replay());
  };

  const onMessage = (event: ExtendableMessageEventLike): void => {
    const data = event.data as { type?: unknown; name?: unknown } | null;
    if (!data || data.type !== REGISTER_SYNC_MESSAGE || data.name !== name) return;
    const port = event.ports[0];
    const sync = scope.registration.sync;
    const registering = sync
      ? sync.register(tag)
      : Promise.reject(new Error('Background Sync is not supported here'));
    // The page waits for an answer (workbox-window's messageSW), whatever it is.
    event.waitUntil(
      registering.then(
        () => port?.postMessage({ ok: true }),
        (error: unknown) => port?.postMessage({ ok: false, error: String(error) }),
      ),
    );
  };

  scope.addEventListener('sync', onSync);
  scope.addEventListener('message', onMessage);
  return () => {
    scope.removeEventListener('sync', onSync);
    scope.removeEventListener('message', onMessage);
  };
}
