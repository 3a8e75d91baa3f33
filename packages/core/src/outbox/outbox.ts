import { BehaviorSubject, Observable, Subject } from 'rxjs';
import { clampDelay, setTimer } from '../clock.js';
import * as z from 'zod/mini';
import type { Failure } from '../failure/types.js';
import { createSyncRequester } from './background-sync.js';
import { drainQueue } from './drain.js';
import { FallbackRecordStore } from './fallback-store.js';
import { createHttpHandler, headerFilter, paramFilter, serializeRequest } from './http.js';
import { createLeaderLock, lockName, type LeaderLock } from './leader-lock.js';
import { newId } from '../new-id.js';
import { resolveOutboxOptions, type ResolvedOutboxOptions } from './options.js';
import { EntryQueue } from './queue.js';
import { httpPayloadSchema, RECORD_VERSION, toEntry, type NewOutboxRecord } from './schema.js';
import { createTabSync, type RelayedEvent, type TabSync } from './tab-sync.js';
import { installTriggers } from './triggers.js';
import { nonEmptyStringSchema, parseOptions } from '../validate.js';
import type {
  DeadReason,
  DrainReport,
  EnqueueOptions,
  HttpPayload,
  Outbox,
  OutboxEntry,
  OutboxEntryState,
  OutboxEvent,
  OutboxHandler,
  OutboxOptions,
  OutboxRequestInit,
  OutboxStats,
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

/**
 * A durable queue of writes, delivered when the network allows (README: "Offline writes").
 * The database opens on first use; with `autoDrain` (the default) that is right away, since
 * entries left by an earlier visit should be delivered as soon as possible.
 */
export function createOutbox(o?: OutboxOptions): Outbox {
  return new OutboxImpl(resolveOutboxOptions(o), {});
}

/** `createOutbox` with the options only the service worker entry uses. */
export function createOutboxInternal(o: OutboxOptions | undefined, internal: InternalOutboxOptions): Outbox {
  return new OutboxImpl(resolveOutboxOptions(o), internal);
}

const EMPTY_REPORT: DrainReport = { delivered: 0, retried: 0, dead: 0 };

/**
 * The drain under way in this page, per outbox name, whichever outbox object runs it: a page
 * may hold two outboxes of one name (an app's own beside `createProtection`'s, or one a
 * component made), and a "Sync now" through either must join the drain the other started
 * rather than report that this page is not the leader.
 */
const drainsInPage = new Map<
  string,
  { report: Promise<DrainReport>; rescan: () => void; signal: AbortSignal | undefined }
>();

/** What `enqueue` checks at run time; used only to word an error. */
const enqueueOptionsSchema = z.optional(
  z.strictObject({ channel: z.optional(z.string()), idempotencyKey: z.optional(nonEmptyStringSchema) }),
);

class OutboxImpl implements Outbox {
  readonly #o: ResolvedOutboxOptions;
  readonly #onlineOverride: (() => boolean) | undefined;
  readonly #store: FallbackRecordStore;
  readonly #queue: EntryQueue;
  readonly #lock: LeaderLock;
  readonly #sync: TabSync;
  readonly #handlers: Record<string, OutboxHandler<never>>;
  readonly #deliverable: (type: string) => boolean;
  readonly #keepHeader: (header: string) => boolean;
  readonly #keepParam: (name: string) => boolean;
  readonly #requestSync: () => void;
  readonly #events = new Subject<OutboxEvent>();
  readonly #stats: BehaviorSubject<OutboxStats>;
  readonly #removeTriggers: () => void;
  readonly #closing = new AbortController();
  readonly events$: Observable<OutboxEvent>;
  readonly stats$: Observable<OutboxStats>;

  #loaded: Promise<void> | undefined;
  #reloading: Promise<void> | undefined;
  /** Reload requests received; a reload that ends with more pending reads again. */
  #reloadRequests = 0;
  #statsDirty = true;
  #statsScheduled = false;
  /** When the last counts go stale by themselves: the earliest end of a lease they count as in flight. */
  #leaseEndsAt: number | undefined;
  #leaseTimer: unknown;
  /** When the lease wake-up armed fires, if one is. */
  #leaseWakeAt: number | undefined;
  #paused = false;
  #closed = false;
  #draining = false;
  #currentDrain: Promise<DrainReport> | undefined;
  /** The signal the caller who started the current drain gave, if any. */
  #currentSignal: AbortSignal | undefined;
  #rescan = false;
  #drainTimer: unknown;
  #drainScheduled = false;
  #wakeTimer: unknown;

  constructor(o: ResolvedOutboxOptions, internal: InternalOutboxOptions) {
    this.#o = o;
    this.#store = new FallbackRecordStore(
      o.indexedDB,
      o.name,
      (error) => {
        this.#emit(() => ({ type: 'storage-fallback', error }));
        this.#statsChanged();
      },
      o.durability,
      { clock: o.clock, onRecovered: () => this.#statsChanged() },
    );
    this.#queue = new EntryQueue(this.#store, () => o.clock.now(), {
      quarantined: (entry, issues) => this.#emit(() => ({ type: 'quarantined', entry, issues })),
      changed: (local) => {
        this.#statsChanged();
        if (local) this.#sync.changed();
      },
      limits: {
        maxWaitMs: clampDelay(Math.max(o.backoff.maxMs ?? Infinity, o.maxRetryAfterMs)),
        leaseMs: o.leaseMs,
      },
    });
    this.#lock = createLeaderLock(o.name, o.locks);
    this.#handlers = {
      http: createHttpHandler(o.fetch, o.prepare),
      ...o.handlers,
    };
    this.#onlineOverride = internal.isOnline;
    const only = internal.deliverTypes ? new Set(internal.deliverTypes) : undefined;
    this.#deliverable = only ? (type) => only.has(type) : () => true;
    this.#keepHeader = headerFilter(o.persistHeaders, o.keepCredentials);
    this.#keepParam = paramFilter(o.keepCredentials);
    this.#requestSync = createSyncRequester(o.backgroundSync, o.name);
    this.#sync = createTabSync(o.name, o.BroadcastChannel, newId(), o.clock, {
      changed: () => this.#remoteChanged(),
      event: (event) => this.#relayed(event),
    });
    this.#stats = new BehaviorSubject<OutboxStats>(this.#computeStats());
    this.events$ = this.#events.asObservable();
    // Subscribing is a reason to know the counts: it loads the queue if nothing has yet.
    this.stats$ = new Observable<OutboxStats>((subscriber) => {
      void this.#ensureLoaded();
      // Counts are not pushed while nobody listens: bring them up to date first.
      if (this.#statsStale()) this.#refreshStats();
      const subscription = this.#stats.subscribe(subscriber);
      // Now that someone listens, a lease ending must be pushed to them.
      this.#armLeaseWake();
      return subscription;
    });

    const auto = o.autoDrain;
    this.#removeTriggers = auto
      ? installTriggers(
          {
            window: o.window,
            online: auto.online,
            visible: auto.visible,
            intervalMs: auto.intervalMs,
            connectivity: o.connectivity,
            clock: o.clock,
          },
          (trigger) => {
            this.#scheduleDrain();
            // Backoff spares a failing server; the network coming back is news that it may answer now.
            if (trigger === 'online' || trigger === 'connectivity') void this.#makeWaitingDue();
          },
        )
      : () => {};
    if (auto) this.#scheduleDrain();
  }

  get stats(): OutboxStats {
    if (this.#statsStale()) this.#refreshStats();
    return this.#stats.value;
  }

  async enqueue<P>(type: string, payload: P, o?: EnqueueOptions): Promise<OutboxEntry<P>> {
    const channel = o?.channel ?? 'default';
    const key = o?.idempotencyKey;
    if (
      typeof type !== 'string' ||
      type.length === 0 ||
      typeof channel !== 'string' ||
      (key !== undefined && (typeof key !== 'string' || key.length === 0))
    ) {
      // Only bad input pays for the schemas, which word the error like every other one.
      parseOptions(nonEmptyStringSchema, type, 'enqueue()', 'type');
      parseOptions(enqueueOptionsSchema, o, 'enqueue()');
    }
    // An http entry is replayed by the built-in handler (and the service worker): a payload
    // it cannot replay is refused now rather than quarantined later.
    if (type === 'http' && !httpPayloadSchema.safeParse(payload).success) {
      throw new TypeError(
        'enqueue(): an "http" payload must be { url, method, headers, body: Uint8Array | null }; use enqueueRequest()',
      );
    }
    if (this.#closed) throw new Error('enqueue(): the outbox is closed');
    const id = newId();
    const now = this.#o.clock.now();
    const record: NewOutboxRecord<P> = {
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
    };
    const entry = toEntry(await this.#queue.add(record)) as OutboxEntry<P>;
    this.#emit(() => ({ type: 'enqueued', entry }));
    // A drain under way picks it up in another pass.
    if (this.#draining) this.#rescan = true;
    else if (this.#o.autoDrain && this.#o.autoDrain.afterEnqueue) this.#scheduleDrain();
    if (type === 'http') this.#requestSync();
    return entry;
  }

  async enqueueRequest(req: OutboxRequestInit, o?: EnqueueOptions): Promise<OutboxEntry<HttpPayload>> {
    const base = (this.#o.window?.location ?? (globalThis as { location?: { href: string } }).location)?.href;
    const { payload, idempotencyKey } = await serializeRequest(req, this.#keepHeader, base, this.#keepParam);
    const options: EnqueueOptions = { ...o };
    if (options.idempotencyKey === undefined && idempotencyKey !== undefined)
      options.idempotencyKey = idempotencyKey;
    return this.enqueue('http', payload, options);
  }

  drain(o?: { signal?: AbortSignal }): Promise<DrainReport> {
    if (this.#closed) return Promise.reject(new Error('drain(): the outbox is closed'));
    if (this.#paused) return Promise.resolve({ ...EMPTY_REPORT, skipped: 'paused' });
    if (!this.#isOnline()) return Promise.resolve({ ...EMPTY_REPORT, skipped: 'offline' });
    if (this.#currentDrain) {
      // Joining the drain under way: it makes another pass for whatever is new.
      this.#rescan = true;
      return this.#join(this.#currentDrain, this.#currentSignal, o);
    }
    const key = lockName(this.#o.name);
    const inPage = drainsInPage.get(key);
    if (inPage) {
      inPage.rescan();
      return this.#join(inPage.report, inPage.signal, o);
    }
    const signal = o?.signal;
    const drain = this.#runDrain(signal).finally(() => {
      this.#currentDrain = undefined;
      this.#currentSignal = undefined;
      if (drainsInPage.get(key)?.report === drain) drainsInPage.delete(key);
    });
    this.#currentDrain = drain;
    this.#currentSignal = signal;
    drainsInPage.set(key, {
      report: drain,
      rescan: () => {
        this.#rescan = true;
      },
      signal,
    });
    return drain;
  }

  /**
   * The report of a drain joined. Its starter may abort it with its own signal: that cancels
   * its request, not the joiner's, who then gets a drain of its own.
   */
  #join(
    running: Promise<DrainReport>,
    startersSignal: AbortSignal | undefined,
    o: { signal?: AbortSignal } | undefined,
  ): Promise<DrainReport> {
    if (!startersSignal) return running;
    return running.then((report) => (startersSignal.aborted && !this.#closed ? this.drain(o) : report));
  }

  async list(o?: { state?: OutboxEntryState }): Promise<OutboxEntry[]> {
    await this.#ensureLoaded();
    return this.#queue.list(o?.state);
  }

  async retry(ids: string[] | 'dead'): Promise<number> {
    if (ids !== 'dead' && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
      throw new TypeError('retry(): expected an array of entry ids or "dead"');
    }
    await this.#ensureLoaded();
    const count = await this.#queue.retry(ids);
    if (count > 0 && this.#o.autoDrain) this.#scheduleDrain();
    return count;
  }

  async discard(ids: string[]): Promise<number> {
    if (!(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
      throw new TypeError('discard(): expected an array of entry ids');
    }
    await this.#ensureLoaded();
    const discarded = await this.#queue.discard(ids);
    if (discarded.length > 0) this.#emit(() => ({ type: 'discarded', ids: discarded }));
    return discarded.length;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#statsChanged();
    if (!this.#closed) this.#scheduleDrain();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#removeTriggers();
    this.#o.clock.clearTimeout(this.#drainTimer);
    this.#o.clock.clearTimeout(this.#wakeTimer);
    this.#o.clock.clearTimeout(this.#leaseTimer);
    // Deliveries under way are aborted and their entries released (not counted as attempts).
    this.#closing.abort(new DOMException('The outbox was closed', 'AbortError'));
    await this.#currentDrain?.catch(() => undefined);
    await this.#loaded?.catch(() => undefined);
    this.#sync.close();
    this.#queue.close();
    this.#refreshStats();
    this.#events.complete();
    this.#stats.complete();
  }

  // ── draining ────────────────────────────────────────────────────────────────────────────

  async #runDrain(signal: AbortSignal | undefined): Promise<DrainReport> {
    await this.#ensureLoaded();
    const combined = signal ? anySignal([signal, this.#closing.signal]) : this.#closing.signal;
    const attempt = await this.#lock.tryRun(async () => {
      this.#draining = true;
      this.#rescan = false;
      this.#statsChanged();
      try {
        return await drainQueue(
          {
            queue: this.#queue,
            handler: (type) => this.#handlers[type],
            deliverable: this.#deliverable,
            policy: this.#o.policy,
            backoff: this.#o.backoff,
            maxAttempts: this.#o.maxAttempts,
            maxAgeMs: this.#o.maxAgeMs,
            maxRetryAfterMs: this.#o.maxRetryAfterMs,
            concurrency: this.#o.concurrency,
            leaseMs: this.#o.leaseMs,
            clock: this.#o.clock,
            exclusive: this.#lock.spansContexts,
            isOnline: () => this.#isOnline(),
            takeRescan: () => {
              const rescan = this.#rescan;
              this.#rescan = false;
              return rescan;
            },
            on: {
              delivered: (entry) => {
                this.#emit(() => ({ type: 'delivered', entry }));
                this.#sync.relay({ type: 'delivered', entry });
              },
              retryScheduled: (entry, delayMs, failure) =>
                this.#emit(() => ({ type: 'retry-scheduled', entry, delayMs, failure })),
              deadLettered: (entry, reason, failure) => this.#deadLettered(entry, reason, failure),
              authRequired: (entry, failure) => {
                this.#paused = true;
                this.#statsChanged();
                this.#emit(() => ({ type: 'auth-required', entry, failure }));
              },
            },
          },
          combined,
        );
      } finally {
        this.#draining = false;
        this.#statsChanged();
      }
    });
    if (!attempt.acquired) return { ...EMPTY_REPORT, skipped: 'not-leader' };
    const { report, stopped, wakeAt } = attempt.value;
    this.#armWakeTimer(wakeAt);
    // Aborted by its caller's signal while an enqueue asked for another pass: that request
    // was not the caller's to cancel.
    if (stopped === 'aborted' && this.#rescan && this.#o.autoDrain && !this.#closed) this.#scheduleDrain();
    if (stopped === 'offline' || stopped === 'paused') {
      if (report.delivered + report.retried + report.dead === 0) report.skipped = stopped;
    }
    // Whatever HTTP entries are left, the service worker may deliver after this page is gone.
    if (this.#hasPendingHttp()) this.#requestSync();
    return report;
  }

  /** Pending entries still sitting out a backoff become due now, and are drained. */
  async #makeWaitingDue(): Promise<void> {
    try {
      await this.#ensureLoaded();
      const now = this.#o.clock.now();
      const waiting = (await this.#queue.load())
        .filter((r) => r.state === 'pending' && r.nextAttemptAt > now)
        .map((r) => r.id);
      if (waiting.length > 0 && (await this.#queue.retry(waiting)) > 0) this.#scheduleDrain();
    } catch {
      // Storage trouble is reported through the store's own fallback; the entries keep their schedule.
    }
  }

  /** A drain soon (next macrotask): bursts of triggers and enqueues share one. */
  #scheduleDrain(): void {
    if (this.#closed) return;
    if (this.#draining) {
      this.#rescan = true;
      return;
    }
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    this.#drainTimer = setTimer(
      this.#o.clock,
      () => {
        this.#drainScheduled = false;
        if (this.#closed || this.#paused || !this.#isOnline()) return;
        // A background drain has nobody to report to: its outcome is in events$ and stats$.
        this.drain().catch(() => undefined);
      },
      0,
    );
  }

  /** Backoff and leases end without any event to notice it: a timer starts the drain they allow. */
  #armWakeTimer(wakeAt: number | undefined): void {
    this.#o.clock.clearTimeout(this.#wakeTimer);
    if (wakeAt === undefined || !this.#o.autoDrain || this.#closed) return;
    const delay = Math.max(0, wakeAt - this.#o.clock.now());
    this.#wakeTimer = setTimer(this.#o.clock, () => this.#scheduleDrain(), delay);
  }

  #isOnline(): boolean {
    if (this.#onlineOverride) return this.#onlineOverride();
    const monitor = this.#o.connectivity;
    if (monitor) return monitor.snapshot.status !== 'offline';
    const nav = this.#o.window?.navigator ?? (globalThis as { navigator?: { onLine?: boolean } }).navigator;
    return nav?.onLine !== false;
  }

  #hasPendingHttp(): boolean {
    if (!this.#o.backgroundSync) return false;
    return this.#queue.hasPending('http');
  }

  // ── loading, stats and other contexts ──────────────────────────────────────────────────

  #ensureLoaded(): Promise<void> {
    // A failed read (storage trouble) is not remembered: the next call reads again.
    this.#loaded ??= this.#queue.load().then(
      () => undefined,
      (error: unknown) => {
        this.#loaded = undefined;
        throw error;
      },
    );
    return this.#loaded;
  }

  /** Another context changed the queue: re-read it (one read at a time, one more if needed). */
  #remoteChanged(): void {
    if (this.#closed) return;
    if (this.#draining) this.#rescan = true;
    this.#reloadRequests++;
    if (this.#reloading) return;
    this.#reloading = (async () => {
      let seen: number;
      do {
        seen = this.#reloadRequests;
        await this.#queue.load();
      } while (seen !== this.#reloadRequests && !this.#closed);
    })()
      .catch(() => undefined)
      .finally(() => {
        this.#reloading = undefined;
      });
  }

  #relayed(event: RelayedEvent): void {
    if (event.type === 'delivered')
      this.#emit(() => ({ type: 'delivered', entry: event.entry, remote: true }));
    else
      this.#emit(() => ({ type: 'dead-lettered', entry: event.entry, reason: event.reason, remote: true }));
  }

  #deadLettered(entry: OutboxEntry, reason: DeadReason, failure: Failure | undefined): void {
    this.#emit(() =>
      failure ? { type: 'dead-lettered', entry, reason, failure } : { type: 'dead-lettered', entry, reason },
    );
    this.#sync.relay({ type: 'dead-lettered', entry, reason });
  }

  /** Events are built only while someone listens. */
  #emit(build: () => OutboxEvent): void {
    if (this.#events.observed) this.#events.next(build());
  }

  /** Counts are recomputed once per tick, and only pushed to `stats$` when they changed. */
  #statsChanged(): void {
    this.#statsDirty = true;
    if (this.#statsScheduled || !this.#stats.observed) return;
    this.#statsScheduled = true;
    queueMicrotask(() => {
      this.#statsScheduled = false;
      if (this.#statsDirty) this.#refreshStats();
    });
  }

  /**
   * Whether the last counts are out of date: something changed, or the clock passed the end
   * of a lease they count as in flight (a page that died mid-delivery, or another page's
   * delivery that says nothing). Comparing timestamps here keeps `stats` true when asked even
   * if no timer ran (background tabs throttle them).
   */
  #statsStale(): boolean {
    return this.#statsDirty || (this.#leaseEndsAt !== undefined && this.#o.clock.now() >= this.#leaseEndsAt);
  }

  #refreshStats(): void {
    this.#statsDirty = false;
    const next = this.#computeStats();
    if (!sameStats(next, this.#stats.value)) this.#stats.next(next);
    this.#armLeaseWake();
  }

  /**
   * A lease that runs out changes the counts with no event to notice it. The counts compare
   * lease ends with the clock whenever they are read; this timer only wakes `stats$` to push
   * the change, and with autoDrain starts the drain the now-due entry allows (which takes the
   * Web Lock over from a leader that died). It fires at the earliest lease end; what it finds
   * is decided by the clock, so a timer that fires early or late changes nothing but timing.
   *
   * Not armed while this page drains: its own leases end with its deliveries, so a delivery
   * starts no timer. The drain's end refreshes the counts, which arms it for leases held
   * elsewhere. Nor without a `stats$` subscriber: `stats` read on demand needs no timer.
   */
  #armLeaseWake(): void {
    const at = this.#leaseEndsAt;
    if (at === undefined || this.#closed || this.#draining || !this.#stats.observed) return;
    // One timer, at the earliest end known: an earlier one already armed wakes in time.
    if (this.#leaseWakeAt !== undefined && this.#leaseWakeAt <= at) return;
    this.#o.clock.clearTimeout(this.#leaseTimer);
    this.#leaseWakeAt = at;
    this.#leaseTimer = setTimer(
      this.#o.clock,
      () => {
        this.#leaseWakeAt = undefined;
        // Recounted against the clock; pushed if changed, and the next lease end armed.
        this.#statsChanged();
        if (this.#o.autoDrain) this.#scheduleDrain();
      },
      Math.max(0, at - this.#o.clock.now()),
    );
  }

  /** The counts as they stand now; notes when they next go stale by themselves. */
  #computeStats(): OutboxStats {
    const counts = this.#queue.counts();
    this.#leaseEndsAt = counts.leaseEndsAt;
    const stats: OutboxStats = {
      pending: counts.pending,
      inFlight: counts.inFlight,
      dead: counts.dead,
      draining: this.#draining,
      paused: this.#paused,
      storage: this.#store.kind,
    };
    if (counts.oldestPendingAt !== undefined) stats.oldestPendingAt = counts.oldestPendingAt;
    return stats;
  }
}

function sameStats(a: OutboxStats, b: OutboxStats): boolean {
  return (
    a.pending === b.pending &&
    a.inFlight === b.inFlight &&
    a.dead === b.dead &&
    a.oldestPendingAt === b.oldestPendingAt &&
    a.draining === b.draining &&
    a.paused === b.paused &&
    a.storage === b.storage
  );
}

/** `AbortSignal.any` where it exists (Chrome 116, Safari 17.4, Node 20), a linked controller elsewhere. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
