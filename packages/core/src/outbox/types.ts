import type { Observable } from '../observable.js';
import type { Workbox } from 'workbox-window';
import type { Clock } from '../clock.js';
import type { ConnectivityMonitor } from '../connectivity/index.js';
import type { Failure, FailureCategory } from '../failure/types.js';
import type { Backoff, Policy } from '../policy/types.js';
import type { OutboxHttp } from './outbox-http.js';

/** Why an entry was moved out of the delivery queue. */
export type DeadReason = 'rejected' | 'expired' | 'max-attempts' | 'invalid' | 'unknown-type';

/** Where an entry is in its life: waiting, being delivered right now, or given up on. */
export type OutboxEntryState = 'pending' | 'in-flight' | 'dead';

/** What is kept of the failure that last stopped a delivery: enough to show and to reason about. */
export interface OutboxFailureSummary {
  category: FailureCategory;
  /** For developers. */
  message: string;
  status?: number;
  /** The server's own explanation, fit to show the person whose change it is. */
  detail?: string;
}

/** One queued write. */
export interface OutboxEntry<P = unknown> {
  id: string;
  type: string;
  payload: P;
  /** Entries of one channel are delivered in enqueue order, one at a time. */
  channel: string;
  /** Sent with every attempt (`Idempotency-Key` for HTTP entries) so the server applies the write once. */
  idempotencyKey: string;
  /** As it stands now: an entry whose in-flight lease ran out (its holder died) is `'pending'` again. */
  state: OutboxEntryState;
  /** Delivery attempts that counted (an offline or auth-paused attempt does not). */
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastFailure?: OutboxFailureSummary;
  deadReason?: DeadReason;
}

/** What a handler gets with each delivery attempt. */
export interface OutboxHandlerContext<P = unknown> {
  /** Aborted when the attempt times out, the drain is aborted or the outbox closes. */
  signal: AbortSignal;
  idempotencyKey: string;
  /** This attempt's number, counting from 1. */
  attempt: number;
  entry: OutboxEntry<P>;
}

/** Delivers one entry; resolving means delivered (the entry is then deleted), throwing is classified. */
export type OutboxHandler<P = unknown> = (payload: P, ctx: OutboxHandlerContext<P>) => Promise<unknown>;

/** The stored form of an HTTP entry's request: bytes, not a Blob, so every browser can store it. */
export interface HttpPayload {
  url: string;
  method: string;
  /** Persisted headers, credentials excluded; `Idempotency-Key` is added at send time. */
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  /** The body's content type, kept apart so `persistHeaders` can never drop it. */
  contentType?: string;
  /** Kept when not the default `same-origin`. */
  credentials?: RequestCredentials;
}

/** What may be queued with `enqueueRequest`. */
export type OutboxRequestInit =
  Request | { url: string | URL; method?: string; headers?: HeadersInit; body?: BodyInit | null };

/** Options of one `enqueue` or `enqueueRequest`: the channel that orders it and the key the server dedupes it by. */
export interface EnqueueOptions {
  /** Default `'default'`. */
  channel?: string;
  /** Default: a fresh random key (the entry's id). */
  idempotencyKey?: string;
}

/** What one `drain()` did: how many entries it delivered, scheduled for another attempt and dead-lettered. */
export interface DrainReport {
  delivered: number;
  retried: number;
  dead: number;
  /** Set when nothing was attempted, and why. */
  skipped?: 'not-leader' | 'offline' | 'paused';
}

/** Counts of the outbox's entries and its delivery state, for showing the user what is waiting. */
export interface OutboxStats {
  /** Waiting entries, including those whose in-flight lease ran out (compared with the clock when read). */
  pending: number;
  /** Entries being delivered under a lease still running, here or in another tab. */
  inFlight: number;
  dead: number;
  /** Creation time of the oldest entry still waiting to be delivered (pending or in flight). */
  oldestPendingAt?: number;
  /** True while this page (or worker) is delivering. */
  draining: boolean;
  /** True after an `auth` failure, until `resume()`. */
  paused: boolean;
  /** `'memory'` after a storage failure: entries then die with the page. */
  storage: 'indexeddb' | 'memory';
}

/**
 * Everything the outbox does, as it happens. `remote: true` marks a delivery made by another
 * tab or by the service worker, relayed over BroadcastChannel.
 */
export type OutboxEvent =
  | { type: 'enqueued'; entry: OutboxEntry }
  | { type: 'delivered'; entry: OutboxEntry; remote?: true }
  | { type: 'retry-scheduled'; entry: OutboxEntry; delayMs: number; failure: Failure }
  | { type: 'dead-lettered'; entry: OutboxEntry; reason: DeadReason; failure?: Failure; remote?: true }
  | { type: 'discarded'; ids: string[] }
  | { type: 'quarantined'; entry: OutboxEntry; issues: string[] }
  | { type: 'auth-required'; entry: OutboxEntry; failure: Failure }
  | { type: 'storage-fallback'; error: unknown };

/** When the outbox drains without being asked (`OutboxOptions.autoDrain`). */
export interface AutoDrainOptions {
  /** Drain when the browser fires `online`. Default true. */
  online?: boolean;
  /** Drain when the tab becomes visible. Default true. */
  visible?: boolean;
  /** Drain this often; `false` for never. Default 30 000. */
  intervalMs?: number | false;
  /** Drain right after an enqueue commits (when online). Default true. */
  afterEnqueue?: boolean;
}

/** The Web Locks surface the outbox uses (`navigator.locks`). */
export type OutboxLockManager = Pick<LockManager, 'request'>;

/** The window surface the outbox listens to: `online`, `visibilitychange`. */
export interface OutboxWindow {
  /** Subscribes to `online`, which starts a drain. */
  addEventListener(type: string, listener: () => void): void;
  /** Ends a subscription made with `addEventListener`. */
  removeEventListener(type: string, listener: () => void): void;
  navigator?: { onLine?: boolean; locks?: OutboxLockManager };
  document?: {
    visibilityState?: string;
    /** Subscribes to `visibilitychange`: the tab becoming visible starts a drain. */
    addEventListener?(type: string, listener: () => void): void;
    /** Ends a subscription made with `addEventListener`. */
    removeEventListener?(type: string, listener: () => void): void;
  };
  location?: { href: string };
}

/** Options of `createOutbox`: how entries are delivered, retried and given up on, and what to use instead of the browser's globals. */
export interface OutboxOptions {
  /** Database `bulletproof-outbox-<name>`, Web Lock and BroadcastChannel of the same name. Default 'default'. */
  name?: string;
  /** Delivery functions by entry type; `'http'` comes with `http` (one named here wins). */
  handlers?: Record<string, OutboxHandler<never>>;
  /** Wraps each delivery attempt. Default `timeout(15_000)`. */
  policy?: Policy;
  /** Wait between attempts of one entry. Default exponential, 1 s … 5 min. */
  backoff?: Backoff;
  /** Counted attempts before an entry is dead-lettered (`max-attempts`). Default 12. */
  maxAttempts?: number;
  /**
   * Age after which an undelivered entry is dead-lettered (`expired`). Default 7 days. Age
   * counts from the enqueue, or from the last `retry()` that brought the entry back from dead:
   * a revived entry gets a full `maxAgeMs` again. A failed attempt whose next wait would end
   * past that age dead-letters the entry at once, rather than keep it waiting for nothing.
   */
  maxAgeMs?: number;
  /**
   * Longest wait a server's `Retry-After` may impose on an entry; a longer one is cut to this.
   * Default 3 600 000 (an hour); at most 2 147 483 647 (what timers hold, about 24.8 days).
   */
  maxRetryAfterMs?: number;
  /** Channels delivered in parallel; one entry in flight per channel. Default 4. */
  concurrency?: number;
  /** When to drain without being asked; `false` for manual `drain()` only. */
  autoDrain?: AutoDrainOptions | false;
  /** No delivery attempts while it reports `offline`; its return to `online` starts a drain. */
  connectivity?: ConnectivityMonitor;
  /**
   * HTTP support, `outboxHttp()`: without it `enqueueRequest` throws, and `'http'` entries
   * (another context's) are delivered only by a handler of that name in `handlers`.
   */
  http?: OutboxHttp;
  /** Registers a Background Sync tag through this Workbox so the service worker replays HTTP entries. */
  backgroundSync?: Workbox | false;
  /**
   * How long an in-flight mark protects an entry from another drainer. A page that dies
   * mid-delivery leaves its entry in flight; it returns to pending when the lease runs out.
   * Default 60 000; keep it above the policy's timeout.
   */
  leaseMs?: number;
  /**
   * How `enqueue` commits (the transaction's durability hint). `'strict'`: resolved once the
   * entry is flushed to disk, so it survives a power cut, at the price of a flush per
   * transaction. `'relaxed'`: once it is handed to the operating system, so it survives a
   * crash of the tab or the browser. `'default'` (the default): the browser's own choice.
   * Deliveries' bookkeeping always uses the default: losing it costs a repeated delivery,
   * which the idempotency key makes harmless.
   */
  durability?: 'strict' | 'relaxed' | 'default';
  clock?: Clock;
  indexedDB?: IDBFactory;
  /** Web Locks; default `navigator.locks`, or a lock within this page where there is none. */
  locks?: OutboxLockManager | false;
  BroadcastChannel?: typeof BroadcastChannel | false;
  window?: OutboxWindow | false;
}

/** A durable queue of writes, delivered in order per channel when the network allows (made by `createOutbox`). */
export interface Outbox {
  /** Queues a write for the handler of `type`; resolves with the entry once it is stored. */
  enqueue<P>(type: string, payload: P, o?: EnqueueOptions): Promise<OutboxEntry<P>>;
  /**
   * Queues an HTTP request, stored without its credentials, as an `'http'` entry; resolves
   * with the entry once it is stored. Needs `createOutbox({ http: outboxHttp() })`.
   */
  enqueueRequest(req: OutboxRequestInit, o?: EnqueueOptions): Promise<OutboxEntry<HttpPayload>>;
  /**
   * Delivers every entry that is due now, or joins the drain under way. Resolves with what was
   * done, `skipped` when nothing could be tried; rejects once the outbox is closed.
   */
  drain(o?: { signal?: AbortSignal }): Promise<DrainReport>;
  /** The entries as they stand now, all or those in `state`. */
  list(o?: { state?: OutboxEntryState }): Promise<OutboxEntry[]>;
  /**
   * Dead entries → pending with attempts reset and a fresh `maxAgeMs` (an expired entry can
   * be sent again); pending ones become due now. Returns how many changed.
   */
  retry(ids: string[] | 'dead'): Promise<number>;
  /** Deletes the entries with these ids from the outbox; returns how many it deleted. */
  discard(ids: string[]): Promise<number>;
  /** Lifts the pause an `auth` failure set, and drains. */
  resume(): void;
  /** The entry types this outbox delivers: its `handlers`' names, and `'http'` with `http`. */
  readonly types: readonly string[];
  readonly stats: OutboxStats;
  readonly stats$: Observable<OutboxStats>;
  readonly events$: Observable<OutboxEvent>;
  /**
   * Stops draining, aborts deliveries under way (their entries stay queued, the attempt not
   * counted) and closes the database; later enqueues and drains reject.
   */
  close(): Promise<void>;
}
