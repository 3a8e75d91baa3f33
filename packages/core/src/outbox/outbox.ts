import { object, optional, string } from '../check/schema.js';
import { clampDelay } from '../clock.js';
import { Emitter } from '../observable.js';
import { nonEmptyStringSchema, parseOptions } from '../validate.js';
import { createSyncRequester } from './background-sync.js';
import { createDrainScheduler } from './drain-scheduler.js';
import { FallbackRecordStore } from './fallback-store.js';
import { createLeaderLock } from './leader-lock.js';
import { newId } from '../new-id.js';
import { DEV } from '../dev.js';
import { resolveOutboxOptions } from './options.js';
import { EntryQueue } from './queue.js';
import { isHttpPayload, RECORD_VERSION, toEntry } from './schema.js';
import { createStatsCache } from './stats.js';
import { createTabSync } from './tab-sync.js';
import { installTriggers } from './triggers.js';
import type {
  EnqueueOptions,
  Outbox,
  OutboxEntry,
  OutboxEvent,
  OutboxHandler,
  OutboxOptions,
} from './types.js';

/** What only the service worker entry sets: it delivers `http` entries and leaves the rest. */
export interface InternalOutboxOptions {
  deliverTypes?: readonly string[];
  /**
   * Whether the network is up, when the caller knows better than `navigator.onLine`: a
   * Background Sync event is the browser's own word that it is, while the worker's
   * `navigator.onLine` may still say otherwise for a moment.
   */
  isOnline?: () => boolean;
}

/** What `enqueue` checks at run time; used only to word an error, in the development build. */
const enqueueOptionsSchema = () =>
  optional(
    object<EnqueueOptions>({ channel: optional(string()), idempotencyKey: optional(nonEmptyStringSchema) }),
  );

const isIdList = (ids: unknown): ids is string[] =>
  Array.isArray(ids) && ids.every((id) => typeof id === 'string');

/**
 * A durable queue of writes, delivered when the network allows (README: "Offline writes").
 * The database opens on first use; with `autoDrain` (the default) that is right away, since
 * entries left by an earlier visit should be delivered as soon as possible.
 */
export function createOutbox(o?: OutboxOptions): Outbox {
  return createOutboxInternal(o, {});
}

/**
 * `createOutbox` with the options only the service worker entry uses. This is the façade:
 * it wires the store, queue, drain scheduler, counts and tab sync together, and checks what
 * callers hand it.
 */
export function createOutboxInternal(
  options: OutboxOptions | undefined,
  internal: InternalOutboxOptions,
): Outbox {
  const o = resolveOutboxOptions(options);
  const { clock, autoDrain } = o;
  const state = { closed: false, paused: false };
  const closing = new AbortController();
  const events = new Emitter<OutboxEvent>();
  /** Events are built only while someone listens. */
  const emit = (build: () => OutboxEvent): void => {
    if (events.observed) events.next(build());
  };
  const changed = () => stats.changed();

  const store = new FallbackRecordStore(
    o.indexedDB,
    o.name,
    (error) => {
      emit(() => ({ type: 'storage-fallback', error }));
      changed();
    },
    o.durability,
    { clock, onRecovered: changed },
  );
  const queue = new EntryQueue(store, () => clock.now(), {
    quarantined: (entry, issues) => emit(() => ({ type: 'quarantined', entry, issues })),
    changed: (local) => {
      changed();
      if (local) sync.changed();
    },
    limits: {
      maxWaitMs: clampDelay(Math.max(o.backoff.maxMs ?? Infinity, o.maxRetryAfterMs)),
      leaseMs: o.leaseMs,
    },
  });
  const http = o.http;
  const handlers: Record<string, OutboxHandler<never>> = http
    ? { http: http.handler, ...o.handlers }
    : o.handlers;
  const only = internal.deliverTypes && new Set(internal.deliverTypes);
  const requestSync = createSyncRequester(o.backgroundSync, o.name);

  const isOnline =
    internal.isOnline ??
    (() => {
      const monitor = o.connectivity;
      if (monitor) return monitor.snapshot.status !== 'offline';
      const nav = o.window?.navigator ?? (globalThis as { navigator?: { onLine?: boolean } }).navigator;
      return nav?.onLine !== false;
    });

  let loaded: Promise<void> | undefined;
  const ensureLoaded = (): Promise<void> =>
    // A failed read (storage trouble) is not remembered: the next call reads again.
    (loaded ??= queue.load().then(
      () => undefined,
      (error: unknown) => {
        loaded = undefined;
        throw error;
      },
    ));

  const scheduler = createDrainScheduler({
    o,
    queue,
    lock: createLeaderLock(o.name, o.locks),
    state,
    closing: closing.signal,
    handler: (type) => handlers[type],
    // An 'http' entry (another tab's, or a service worker's to deliver) waits in an outbox
    // without HTTP support, rather than being dead-lettered as of an unknown type.
    deliverable: only ? (type) => only.has(type) : (type) => type !== 'http' || !!handlers.http,
    isOnline,
    ensureLoaded,
    on: {
      delivered: (entry) => {
        emit(() => ({ type: 'delivered', entry }));
        sync.relay({ type: 'delivered', entry });
      },
      retryScheduled: (entry, delayMs, failure) =>
        emit(() => ({ type: 'retry-scheduled', entry, delayMs, failure })),
      deadLettered: (entry, reason, failure) => {
        emit(() =>
          failure
            ? { type: 'dead-lettered', entry, reason, failure }
            : { type: 'dead-lettered', entry, reason },
        );
        sync.relay({ type: 'dead-lettered', entry, reason });
      },
      authRequired: (entry, failure) => {
        state.paused = true;
        changed();
        emit(() => ({ type: 'auth-required', entry, failure }));
      },
    },
    publicDrain: (options) => outbox.drain(options),
    drainingChanged: changed,
    // Whatever HTTP entries are left, the service worker may deliver after this page is gone.
    drained: () => {
      if (o.backgroundSync && queue.hasPending('http')) requestSync();
    },
  });
  const scheduleIfAuto = () => {
    if (autoDrain) scheduler.schedule();
  };

  const stats = createStatsCache({
    clock,
    counts: () => queue.counts(),
    state: () => ({ draining: scheduler.draining, paused: state.paused, storage: store.kind }),
    mayWake: () => !state.closed && !scheduler.draining,
    subscribed: () => void ensureLoaded(),
    leaseEnded: scheduleIfAuto,
  });

  /** Reload requests received; a reload that ends with more pending reads again. */
  let reloadRequests = 0;
  let reloading: Promise<void> | undefined;
  const sync = createTabSync(o.name, o.BroadcastChannel, newId(), clock, {
    // Another context changed the queue: re-read it (one read at a time, one more if needed).
    changed: () => {
      if (state.closed) return;
      if (scheduler.draining) scheduler.schedule();
      reloadRequests++;
      reloading ??= (async () => {
        let seen: number;
        do {
          seen = reloadRequests;
          await queue.load();
        } while (seen !== reloadRequests && !state.closed);
      })()
        .catch(() => undefined)
        .finally(() => (reloading = undefined));
    },
    // Rebuilt field by field: a message from another context is not trusted to be well formed.
    event: (event) =>
      emit(() =>
        event.type === 'delivered'
          ? { type: 'delivered', entry: event.entry, remote: true }
          : { type: 'dead-lettered', entry: event.entry, reason: event.reason, remote: true },
      ),
  });

  /** Pending entries still sitting out a backoff become due now, and are drained. */
  const makeWaitingDue = async (): Promise<void> => {
    try {
      await ensureLoaded();
      const now = clock.now();
      const waiting = (await queue.load())
        .filter((r) => r.state === 'pending' && r.nextAttemptAt > now)
        .map((r) => r.id);
      if (waiting.length > 0 && (await queue.retry(waiting)) > 0) scheduler.schedule();
    } catch {
      // Storage trouble is reported through the store's own fallback; the entries keep their schedule.
    }
  };

  const removeTriggers = autoDrain
    ? installTriggers({ ...autoDrain, window: o.window, connectivity: o.connectivity, clock }, (trigger) => {
        scheduler.schedule();
        // Backoff spares a failing server; the network coming back is news that it may answer now.
        if (trigger === 'online' || trigger === 'connectivity') void makeWaitingDue();
      })
    : () => {};
  scheduleIfAuto();

  const outbox: Outbox = {
    get stats() {
      return stats.current;
    },
    stats$: stats.stream,
    events$: events.observable,
    types: Object.keys(handlers),

    async enqueue<P>(type: string, payload: P, eo?: EnqueueOptions): Promise<OutboxEntry<P>> {
      const channel = eo?.channel ?? 'default';
      const key = eo?.idempotencyKey;
      if (
        typeof type !== 'string' ||
        !type ||
        typeof channel !== 'string' ||
        (key !== undefined && (typeof key !== 'string' || !key))
      ) {
        // Only bad input pays for the schemas, which word the error like every other one.
        if (DEV) {
          parseOptions(nonEmptyStringSchema, type, 'enqueue()', 'type');
          parseOptions(enqueueOptionsSchema(), eo, 'enqueue()');
        }
        throw new TypeError('enqueue(): bad type or options');
      }
      // An http entry is replayed by `outboxHttp`'s handler (and the service worker): a payload
      // it cannot replay is refused now rather than quarantined later.
      if (type === 'http' && !isHttpPayload(payload)) {
        throw new TypeError(
          DEV
            ? 'enqueue(): an "http" payload must be { url, method, headers, body: Uint8Array | null }; use enqueueRequest()'
            : 'enqueue(): bad "http" payload; use enqueueRequest()',
        );
      }
      if (state.closed) throw new Error('enqueue(): the outbox is closed');
      const id = newId();
      const now = clock.now();
      const entry = toEntry(
        await queue.add({
          v: RECORD_VERSION,
          id,
          type,
          payload,
          channel,
          idempotencyKey: key ?? id,
          state: 'pending',
          attempts: 0,
          createdAt: now,
          nextAttemptAt: now,
        }),
      ) as OutboxEntry<P>;
      emit(() => ({ type: 'enqueued', entry }));
      // A drain under way picks it up in another pass.
      if (scheduler.draining || (autoDrain && autoDrain.afterEnqueue)) scheduler.schedule();
      if (type === 'http') requestSync();
      return entry;
    },

    async enqueueRequest(req, eo) {
      if (!http)
        throw new TypeError(
          DEV
            ? 'enqueueRequest(): this outbox has no HTTP support; create it with createOutbox({ http: outboxHttp() })'
            : 'enqueueRequest(): no http',
        );
      const base = (o.window?.location ?? (globalThis as { location?: { href: string } }).location)?.href;
      const { payload, idempotencyKey } = await http.serialize(req, base);
      const enqueueOptions: EnqueueOptions = { ...eo };
      if (enqueueOptions.idempotencyKey === undefined && idempotencyKey !== undefined)
        enqueueOptions.idempotencyKey = idempotencyKey;
      return outbox.enqueue('http', payload, enqueueOptions);
    },

    drain: scheduler.drain,

    async list(lo) {
      await ensureLoaded();
      return queue.list(lo?.state);
    },

    async retry(ids) {
      if (ids !== 'dead' && !isIdList(ids))
        throw new TypeError(DEV ? 'retry(): expected an array of entry ids or "dead"' : 'retry(): bad ids');
      await ensureLoaded();
      const count = await queue.retry(ids);
      if (count > 0) scheduleIfAuto();
      return count;
    },

    async discard(ids) {
      if (!isIdList(ids))
        throw new TypeError(DEV ? 'discard(): expected an array of entry ids' : 'discard(): bad ids');
      await ensureLoaded();
      const discarded = await queue.discard(ids);
      if (discarded.length > 0) emit(() => ({ type: 'discarded', ids: discarded }));
      return discarded.length;
    },

    resume() {
      if (!state.paused) return;
      state.paused = false;
      changed();
      scheduler.schedule();
    },

    async close() {
      if (state.closed) return;
      state.closed = true;
      removeTriggers();
      scheduler.close();
      // Deliveries under way are aborted and their entries released (not counted as attempts).
      closing.abort(new DOMException('The outbox was closed', 'AbortError'));
      await scheduler.running?.catch(() => undefined);
      await loaded?.catch(() => undefined);
      sync.close();
      queue.close();
      stats.close();
      events.complete();
    },
  };
  return outbox;
}
