import * as z from 'zod/mini';
import type { Workbox } from 'workbox-window';
import { systemClock, type Clock } from '../clock.js';
import type { ConnectivityMonitor } from '../connectivity/index.js';
import { backoff as backoffs, backoffSchema } from '../policy/backoff.js';
import { timeout } from '../policy/timeout.js';
import type { Backoff, Policy } from '../policy/types.js';
import {
  clockSchema,
  fnSchema,
  methodsSchema,
  msSchema,
  parseOptions,
  positiveMsSchema,
} from '../validate.js';
import type {
  AutoDrainOptions,
  OutboxLockManager,
  OutboxHandler,
  OutboxOptions,
  OutboxWindow,
} from './types.js';

/** The outbox options and their defaults, as the README's "Offline writes" documents them. */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 12;
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_LEASE_MS = 60_000;
/** A server asking for a longer wait is asked again after this: an hour. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

const positiveInt = z.int().check(z.gte(1));

/**
 * Every option of `createOutbox`, one declaration each: the service worker entry checks the
 * ones it takes against the same schemas.
 */
export const outboxOptionShape = {
  // The name ends up in database, lock and channel names: keep it plain.
  name: z.optional(
    z
      .string()
      .check(z.regex(/^[\w.-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, "_", "." or "-"' })),
  ),
  handlers: z.optional(z.record(z.string(), fnSchema<OutboxHandler<never>>())),
  policy: z.optional(methodsSchema<Policy>(['execute'], 'must be a Policy ({ execute })')),
  backoff: z.optional(backoffSchema),
  maxAttempts: z.optional(positiveInt),
  maxAgeMs: z.optional(z.number().check(z.gt(0))),
  maxRetryAfterMs: z.optional(msSchema),
  concurrency: z.optional(positiveInt),
  // Its fields are checked on their own (autoDrainSchema): inside a union, zod would only say
  // "does not match" instead of naming the field.
  autoDrain: z.optional(
    z.custom<AutoDrainOptions | false>((v: unknown) => v === false || (typeof v === 'object' && v !== null), {
      message: 'must be false or an object',
    }),
  ),
  connectivity: z.optional(
    z.custom<ConnectivityMonitor>(
      (v) => {
        const monitor = v as { snapshot?: unknown; state$?: { subscribe?: unknown } } | null;
        return (
          typeof monitor === 'object' &&
          monitor !== null &&
          typeof monitor.snapshot === 'object' &&
          typeof monitor.state$?.subscribe === 'function'
        );
      },
      { message: 'must be a ConnectivityMonitor ({ snapshot, state$ })' },
    ),
  ),
  persistHeaders: z.optional(z.array(z.string())),
  keepCredentials: z.optional(z.array(z.string())),
  prepare: z.optional(fnSchema<(req: Request) => Request | Promise<Request>>()),
  backgroundSync: z.optional(
    z.union([
      z.literal(false),
      methodsSchema<Workbox>(['messageSW'], 'must be a Workbox instance (workbox-window)'),
    ]),
  ),
  leaseMs: z.optional(positiveMsSchema),
  durability: z.optional(z.enum(['strict', 'relaxed', 'default'])),
  clock: z.optional(clockSchema),
  indexedDB: z.optional(methodsSchema<IDBFactory>(['open'], 'must be an IDBFactory ({ open })')),
  fetch: z.optional(fnSchema<typeof fetch>()),
  locks: z.optional(
    z.union([z.literal(false), methodsSchema<OutboxLockManager>(['request'], 'must be a LockManager')]),
  ),
  BroadcastChannel: z.optional(
    z.union([
      z.literal(false),
      z.custom<typeof BroadcastChannel>((v) => typeof v === 'function', {
        message: 'must be a BroadcastChannel constructor',
      }),
    ]),
  ),
  window: z.optional(
    z.union([
      z.literal(false),
      methodsSchema<OutboxWindow>(['addEventListener', 'removeEventListener'], 'must be a Window'),
    ]),
  ),
};

const optionsSchema = z.optional(z.strictObject(outboxOptionShape));

/** Options with every default applied and every global resolved. */
export interface ResolvedOutboxOptions {
  name: string;
  handlers: Record<string, OutboxHandler<never>>;
  policy: Policy;
  backoff: Backoff;
  maxAttempts: number;
  maxAgeMs: number;
  maxRetryAfterMs: number;
  concurrency: number;
  autoDrain: { online: boolean; visible: boolean; intervalMs: number | false; afterEnqueue: boolean } | false;
  connectivity: ConnectivityMonitor | undefined;
  persistHeaders: string[] | undefined;
  keepCredentials: string[] | undefined;
  prepare: ((req: Request) => Request | Promise<Request>) | undefined;
  backgroundSync: Pick<Workbox, 'messageSW'> | undefined;
  leaseMs: number;
  durability: IDBTransactionDurability;
  clock: Clock;
  indexedDB: IDBFactory | undefined;
  /** Looked up at each send, so a fetch patched after creation (tests, polyfills) is used. */
  fetch: () => typeof fetch;
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

const autoDrainSchema = z.strictObject({
  autoDrain: z.strictObject({
    online: z.optional(z.boolean()),
    visible: z.optional(z.boolean()),
    intervalMs: z.optional(z.union([z.literal(false), positiveMsSchema])),
    afterEnqueue: z.optional(z.boolean()),
  }),
});

export function resolveOutboxOptions(o: OutboxOptions | undefined): ResolvedOutboxOptions {
  const parsed = parseOptions(optionsSchema, o, 'createOutbox()') ?? {};
  if (parsed.autoDrain) parseOptions(autoDrainSchema, { autoDrain: parsed.autoDrain }, 'createOutbox()');
  const clock = parsed.clock ?? systemClock;
  const auto = parsed.autoDrain;
  const injectedFetch = parsed.fetch;
  return {
    name: parsed.name ?? 'default',
    handlers: parsed.handlers ?? {},
    // Aggressive: a handler that ignores its signal must not hold its channel (and the drain) forever.
    policy: parsed.policy ?? timeout(DEFAULT_TIMEOUT_MS, { mode: 'aggressive', clock }),
    backoff: parsed.backoff ?? backoffs.exponential({ initialMs: 1_000, maxMs: 300_000 }),
    maxAttempts: parsed.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    maxAgeMs: parsed.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    maxRetryAfterMs: parsed.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    concurrency: parsed.concurrency ?? DEFAULT_CONCURRENCY,
    autoDrain:
      auto === false
        ? false
        : {
            online: auto?.online ?? true,
            visible: auto?.visible ?? true,
            intervalMs: auto?.intervalMs ?? DEFAULT_INTERVAL_MS,
            afterEnqueue: auto?.afterEnqueue ?? true,
          },
    connectivity: parsed.connectivity,
    persistHeaders: parsed.persistHeaders,
    keepCredentials: parsed.keepCredentials,
    prepare: parsed.prepare,
    backgroundSync: parsed.backgroundSync === false ? undefined : parsed.backgroundSync,
    leaseMs: parsed.leaseMs ?? DEFAULT_LEASE_MS,
    durability: parsed.durability ?? 'default',
    clock,
    indexedDB: parsed.indexedDB ?? globalIndexedDB(),
    fetch: injectedFetch ? () => injectedFetch : () => globalThis.fetch,
    locks: parsed.locks === false ? undefined : (parsed.locks ?? global.navigator?.locks),
    BroadcastChannel:
      parsed.BroadcastChannel === false
        ? undefined
        : (parsed.BroadcastChannel ??
          (typeof BroadcastChannel === 'undefined' ? undefined : BroadcastChannel)),
    window: parsed.window === false ? undefined : (parsed.window ?? global.window),
  };
}
