import { object, optional } from '../../check/schema.js';
import { DEV } from '../../dev.js';
import { methodsSchema, parseOptions } from '../../validate.js';
import type { BreakerSavedState } from './record.js';

/** The slice of `localStorage` a breaker uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Where a breaker keeps its state across reloads: what its `persist` option takes. Made by
 * `persistInLocalStorage()`; any object with these two methods does.
 */
export interface BreakerPersistence {
  /**
   * The state saved for the breaker `name`, as it was stored: the breaker checks it as data
   * from outside, so this may return anything (undefined when nothing was saved).
   */
  load(name: string): unknown;
  /** Keeps `state` for the breaker `name`; called on every state change and, once per burst, as calls settle. */
  save(name: string, state: BreakerSavedState): void;
}

/** Options of `persistInLocalStorage`. */
export interface PersistInLocalStorageOptions {
  /** Where to keep the state; default `globalThis.localStorage` (`sessionStorage` fits too). */
  storage?: StorageLike;
}

const storageKey = (name: string) => `bulletproof:breaker:${name}`;

const optionsSchema = () =>
  optional(
    object<PersistInLocalStorageOptions>({
      storage: optional(methodsSchema<StorageLike>(['getItem', 'setItem'], 'a Storage')),
    }),
  );

/**
 * Keeps a breaker's state, window counts included, in `localStorage` and restores it after a
 * reload: `circuitBreaker({ …, persist: persistInLocalStorage() })`. An open breaker stays open
 * across the reload, and one a failure short of opening still opens on the next failure.
 * Storage that throws (privacy modes, sandboxed frames, a full quota) costs only the restore.
 */
export function persistInLocalStorage(o?: PersistInLocalStorageOptions): BreakerPersistence {
  if (DEV) parseOptions(optionsSchema(), o, 'persistInLocalStorage()');
  // Looked up on use: a page without storage (a worker, a sandboxed frame) simply keeps nothing.
  const storage = () => o?.storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  return {
    load(name) {
      try {
        const raw = storage()?.getItem(storageKey(name));
        return raw == null ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        return undefined;
      }
    },
    save(name, state) {
      try {
        storage()?.setItem(storageKey(name), JSON.stringify(state));
      } catch {
        // A full or forbidden storage costs only the restore after a reload.
      }
    },
  };
}
