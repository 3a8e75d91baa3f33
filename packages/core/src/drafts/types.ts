import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';

/** Where drafts live: IndexedDB, or memory when IndexedDB cannot be opened (lost when the tab closes). */
export type DraftStorage = 'indexeddb' | 'memory';

/** The parts of `window` the store listens to, so it can save before the page goes away. */
export interface DraftPageEvents {
  /** Subscribes to `pagehide`: pending saves are flushed when the page is unloaded. */
  addEventListener(type: 'pagehide', listener: () => void): void;
  /** Ends a subscription made with `addEventListener`. */
  removeEventListener(type: 'pagehide', listener: () => void): void;
  document?: {
    readonly visibilityState: string;
    /** Subscribes to `visibilitychange`: pending saves are flushed when the page is hidden. */
    addEventListener(type: 'visibilitychange', listener: () => void): void;
    /** Ends a subscription made with `addEventListener`. */
    removeEventListener(type: 'visibilitychange', listener: () => void): void;
  };
}

/** Options of `createDraftStore`: the database name, the save timing (in ms) and what to use instead of the browser's globals. */
export interface DraftStoreOptions {
  /** Database `bulletproof-drafts-<name>`. Default `'default'`. */
  name?: string;
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
  clock?: Clock;
  /** Quiet time after the last save of a key before it is written. Default 500. */
  debounceMs?: number;
  /** Longest a save waits while saves of the same key keep coming (continuous typing). Default 2 000. */
  maxWaitMs?: number;
  /**
   * Flush pending saves when the page is hidden or unloaded (`visibilitychange`,
   * `pagehide`). Default `globalThis` when it has `addEventListener`; `false` turns it off.
   */
  window?: DraftPageEvents | false;
}

/** Autosaved user input, kept per key, that survives a reload or a crash (made by `createDraftStore`). */
export interface DraftStore {
  /**
   * Saves a draft, debounced per key. Resolves once this value — or a later
   * operation on the same key that replaced it (a newer save, a remove) — is
   * committed to storage. Rejects with a `TypeError` naming the key when the
   * value is not structured-cloneable, and with the storage error when the write fails.
   */
  save(key: string, value: unknown): Promise<void>;
  /** The latest saved value, including one still waiting for its debounce; a copy each time. */
  load<T>(key: string): Promise<T | undefined>;
  /** Removes a draft and cancels its pending save. */
  remove(key: string): Promise<void>;
  /** Every key with a draft, pending ones included, sorted. */
  keys(): Promise<string[]>;
  /** Commits every pending save now, in one transaction; resolves when all saves made before it are committed. */
  flush(): Promise<void>;
  readonly storage: DraftStorage;
  readonly storage$: Observable<DraftStorage>;
  /** Flushes, stops listening to the page and closes the database. Later calls reject. */
  close(): Promise<void>;
}

/** One way of keeping drafts; every method is only ever called one at a time. */
export interface DraftBackend {
  readonly kind: DraftStorage;
  put(entries: ReadonlyArray<readonly [key: string, value: unknown]>, savedAt: number): Promise<void>;
  get(key: string): Promise<unknown>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
  close(): void;
}
