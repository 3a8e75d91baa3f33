import type { Workbox } from 'workbox-window';
import {
  boolean,
  custom,
  fn,
  literal,
  number,
  object,
  optional,
  record,
  union,
  type Schema,
  type Shape,
} from '../check/schema.js';
import { MAX_TIMER_MS, systemClock, type Clock } from '../clock.js';
import type { ConnectivityMonitor } from '../connectivity/index.js';
import { backoffSchema, exponentialBackoff } from '../policy/backoff.js';
import type { Backoff, Policy } from '../policy/types.js';
import {
  clockSchema,
  hasMethods,
  methodsSchema,
  msSchema,
  parseOptions,
  positiveMsSchema,
} from '../validate.js';
import type { OutboxHttp } from './outbox-http.js';
import type {
  AutoDrainOptions,
  OutboxLockManager,
  OutboxHandler,
  OutboxOptions,
  OutboxWindow,
} from './types.js';
import { DEV } from '../dev.js';
import { atLeastOr } from '../sane.js';

/** The outbox options and their defaults, as the README's "Offline writes" documents them. */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 12;
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_LEASE_MS = 60_000;
/** A server asking for a longer wait is asked again after this: an hour. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

const positiveInt = () => optional(number({ int: true, gte: 1 }));
const notThere = () => literal(false);

const autoDrainFields = () =>
  object<AutoDrainOptions>({
    online: optional(boolean),
    visible: optional(boolean),
    intervalMs: optional(union(notThere(), positiveMsSchema)),
    afterEnqueue: optional(boolean),
  });

/**
 * `false`, or an object checked field by field: as one branch of a union, a bad field
 * would only be reported as a shape that matches nothing, instead of by its name.
 */
const autoDrainSchema: Schema<AutoDrainOptions | false> = (value, path, issues) => {
  if (value === false) return;
  if (typeof value === 'object' && value !== null) autoDrainFields()(value, path, issues);
  else issues.push({ path, message: 'must be false or an object' });
};

/**
 * Every option of `createOutbox`, one declaration each, typed against `OutboxOptions`: the
 * service worker entry checks the ones it takes against the same schemas.
 */
export const outboxOptionShape = (): Shape<OutboxOptions> => ({
  // The name ends up in database, lock and channel names: keep it plain.
  name: optional(
    custom<string>(
      (v) => typeof v === 'string' && /^[\w.-]{1,64}$/.test(v),
      '1 to 64 letters, digits, "_", "." or "-"',
    ),
  ),
  handlers: optional(record(fn<OutboxHandler<never>>())),
  policy: optional(methodsSchema<Policy>(['execute'], 'a Policy ({ execute })')),
  backoff: optional(backoffSchema),
  maxAttempts: positiveInt(),
  maxAgeMs: optional(number({ gt: 0 })),
  maxRetryAfterMs: optional(msSchema),
  concurrency: positiveInt(),
  autoDrain: optional(autoDrainSchema),
  connectivity: optional(
    custom<ConnectivityMonitor>(
      (v) =>
        typeof (v as { snapshot?: unknown } | null)?.snapshot === 'object' &&
        hasMethods((v as { state$?: unknown }).state$, 'subscribe'),
      'a ConnectivityMonitor ({ snapshot, state$ })',
    ),
  ),
  http: optional(methodsSchema<OutboxHttp>(['handler', 'serialize'], 'the result of outboxHttp()')),
  backgroundSync: optional(
    union(notThere(), methodsSchema<Workbox>(['messageSW'], 'a Workbox instance (workbox-window)')),
  ),
  leaseMs: optional(positiveMsSchema),
  durability: optional(literal('strict', 'relaxed', 'default')),
  clock: optional(clockSchema),
  indexedDB: optional(methodsSchema<IDBFactory>(['open'], 'an IDBFactory ({ open })')),
  locks: optional(union(notThere(), methodsSchema<OutboxLockManager>(['request'], 'a LockManager'))),
  BroadcastChannel: optional(
    union(
      notThere(),
      custom<typeof BroadcastChannel>((v) => typeof v === 'function', 'a BroadcastChannel constructor'),
    ),
  ),
  window: optional(
    union(notThere(), methodsSchema<OutboxWindow>(['addEventListener', 'removeEventListener'], 'a Window')),
  ),
});

/** Options `createOutbox` took before they moved to `outboxHttp`. */
interface MovedOptions {
  prepare?: never;
  fetch?: never;
  persistHeaders?: never;
  keepCredentials?: never;
}

/** Refuses an option that moved to `outboxHttp`, saying where it goes now. */
const movedToHttp = (name: string) =>
  optional(
    custom<never>(() => false, `given to outboxHttp: createOutbox({ http: outboxHttp({ ${name} }) })`),
  );

const optionsSchema = () =>
  optional(
    object<OutboxOptions & MovedOptions>({
      ...outboxOptionShape(),
      prepare: movedToHttp('prepare'),
      fetch: movedToHttp('fetch'),
      persistHeaders: movedToHttp('persistHeaders'),
      keepCredentials: movedToHttp('keepCredentials'),
    }),
  );

/** Options with every default applied and every global resolved. */
export interface ResolvedOutboxOptions {
  name: string;
  handlers: Record<string, OutboxHandler<never>>;
  /** Undefined: each attempt gets `DEFAULT_TIMEOUT_MS` (see `withDeadline`). */
  policy: Policy | undefined;
  backoff: Backoff;
  maxAttempts: number;
  maxAgeMs: number;
  maxRetryAfterMs: number;
  concurrency: number;
  autoDrain: { online: boolean; visible: boolean; intervalMs: number | false; afterEnqueue: boolean } | false;
  connectivity: ConnectivityMonitor | undefined;
  http: OutboxHttp | undefined;
  backgroundSync: Pick<Workbox, 'messageSW'> | undefined;
  leaseMs: number;
  durability: IDBTransactionDurability;
  clock: Clock;
  indexedDB: IDBFactory | undefined;
  locks: OutboxLockManager | undefined;
  BroadcastChannel: typeof BroadcastChannel | undefined;
  window: OutboxWindow | undefined;
}

/** Globals that may be missing (Node, workers), typed as such. */
const global = globalThis as unknown as { window?: OutboxWindow; navigator?: { locks?: OutboxLockManager } };

/** `indexedDB` itself may throw (storage blocked by the user or a sandbox): that is a missing IndexedDB. */
function globalIndexedDB(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined;
  }
}

/** Above zero: what every duration option but `maxRetryAfterMs` must be. */
const POSITIVE = Number.MIN_VALUE;

export function resolveOutboxOptions(o: OutboxOptions | undefined): ResolvedOutboxOptions {
  if (DEV) parseOptions(optionsSchema(), o, 'createOutbox()');
  const parsed = o ?? {};
  const clock = parsed.clock ?? systemClock;
  const auto = parsed.autoDrain;
  return {
    name: parsed.name ?? 'default',
    handlers: parsed.handlers ?? {},
    policy: parsed.policy,
    backoff: parsed.backoff ?? exponentialBackoff({ initialMs: 1_000, maxMs: 300_000 }),
    // Unchecked in the production build (see sane.ts): a number that cannot be meant must not
    // harm the writes. A zero concurrency sent nothing, a NaN lease was stored and made
    // in-flight records unreadable (quarantined), a zero interval drained in a timer loop.
    maxAttempts: atLeastOr(parsed.maxAttempts, 1, DEFAULT_MAX_ATTEMPTS),
    maxAgeMs: atLeastOr(parsed.maxAgeMs, POSITIVE, DEFAULT_MAX_AGE_MS),
    maxRetryAfterMs: atLeastOr(parsed.maxRetryAfterMs, 0, DEFAULT_MAX_RETRY_AFTER_MS),
    concurrency: atLeastOr(parsed.concurrency, 1, DEFAULT_CONCURRENCY),
    autoDrain:
      auto === false
        ? false
        : {
            online: auto?.online ?? true,
            visible: auto?.visible ?? true,
            intervalMs:
              auto?.intervalMs === false ? false : atLeastOr(auto?.intervalMs, POSITIVE, DEFAULT_INTERVAL_MS),
            afterEnqueue: auto?.afterEnqueue ?? true,
          },
    connectivity: parsed.connectivity,
    http: parsed.http,
    backgroundSync: parsed.backgroundSync === false ? undefined : parsed.backgroundSync,
    // Stored as `leaseUntil`: it must stay a finite time.
    leaseMs: Math.min(atLeastOr(parsed.leaseMs, POSITIVE, DEFAULT_LEASE_MS), MAX_TIMER_MS),
    durability: parsed.durability ?? 'default',
    clock,
    indexedDB: parsed.indexedDB ?? globalIndexedDB(),
    locks: parsed.locks === false ? undefined : (parsed.locks ?? global.navigator?.locks),
    BroadcastChannel:
      parsed.BroadcastChannel === false
        ? undefined
        : (parsed.BroadcastChannel ??
          (typeof BroadcastChannel === 'undefined' ? undefined : BroadcastChannel)),
    window: parsed.window === false ? undefined : (parsed.window ?? global.window),
  };
}
