import { literal, object, optional, union } from '../check/schema.js';
import { ValueEmitter } from '../observable.js';
import { systemClock, setTimer } from '../clock.js';
import { clockSchema, methodsSchema, msSchema, nonEmptyStringSchema, parseOptions } from '../validate.js';
import { openIdbDraftBackend } from './idb-draft-backend.js';
import { createMemoryDraftBackend } from './memory-draft-backend.js';
import type { DraftBackend, DraftPageEvents, DraftStorage, DraftStore, DraftStoreOptions } from './types.js';
import { DEV } from '../dev.js';

const optionsSchema = () =>
  object<DraftStoreOptions>({
    name: optional(nonEmptyStringSchema),
    indexedDB: optional(methodsSchema<IDBFactory>(['open'], 'an IDBFactory ({ open })')),
    clock: optional(clockSchema),
    debounceMs: optional(msSchema),
    maxWaitMs: optional(msSchema),
    window: optional(
      union(
        literal(false),
        methodsSchema<DraftPageEvents>(
          ['addEventListener', 'removeEventListener'],
          'a window ({ addEventListener, removeEventListener })',
        ),
      ),
    ),
  });

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A save waiting for its debounce: the newest value wins, every caller is answered by its commit. */
interface PendingSave {
  value: unknown;
  firstSavedAt: number;
  timer: unknown;
  waiters: Waiter[];
}

/**
 * Autosaved user input that survives a reload or a crash. Saves are debounced
 * per key (with a maximum wait, so continuous typing is still written every
 * `maxWaitMs`), snapshotted when `save` is called, and acknowledged only once
 * committed to IndexedDB. When IndexedDB cannot be opened the store keeps drafts
 * in memory and says so through `storage` / `storage$`.
 */
export function createDraftStore(options: DraftStoreOptions = {}): DraftStore {
  if (DEV) parseOptions(optionsSchema(), options, 'createDraftStore()');
  const o = options;
  const name = o.name ?? 'default';
  const clock = o.clock ?? systemClock;
  const debounceMs = o.debounceMs ?? 500;
  const maxWaitMs = o.maxWaitMs ?? 2_000;
  const factory = o.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  const page = o.window === undefined ? defaultPage() : o.window || undefined;
  const label = `draft store "${name}"`;

  const storageKind = new ValueEmitter<DraftStorage>('indexeddb');
  const pending = new Map<string, PendingSave>();
  const inFlight = new Set<Promise<void>>();
  let backend: Promise<DraftBackend> | undefined;
  let closed = false;

  const getBackend = (): Promise<DraftBackend> => {
    backend ??= (async () => {
      if (!factory) return createMemoryDraftBackend();
      return openIdbDraftBackend(factory, `bulletproof-drafts-${name}`);
    })().catch(() => createMemoryDraftBackend());
    return backend.then((b) => {
      if (b.kind !== storageKind.value) storageKind.next(b.kind);
      return b;
    });
  };

  // Every storage operation runs after the previous one has finished, so a load
  // always sees the saves and removes requested before it.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(op: (b: DraftBackend) => Promise<T>): Promise<T> => {
    const result = tail.then(() => getBackend()).then(op);
    tail = result.catch(() => {});
    return result;
  };

  const takePending = (key: string): PendingSave | undefined => {
    const save = pending.get(key);
    if (save) {
      pending.delete(key);
      clock.clearTimeout(save.timer);
    }
    return save;
  };

  const settle = (saves: PendingSave[], outcome: Promise<void>): Promise<void> => {
    const done = outcome.then(
      () => {
        for (const save of saves) for (const w of save.waiters) w.resolve();
      },
      (error: unknown) => {
        for (const save of saves) for (const w of save.waiters) w.reject(error);
        throw error;
      },
    );
    const tracked = done.catch(() => {});
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    return done;
  };

  /** Writes the pending saves of `keys` in one transaction. */
  const commit = (keys: Iterable<string>): Promise<void> => {
    const saves: Array<readonly [string, PendingSave]> = [];
    for (const key of keys) {
      const save = takePending(key);
      if (save) saves.push([key, save]);
    }
    if (saves.length === 0) return Promise.resolve();
    const entries = saves.map(([key, save]) => [key, save.value] as const);
    return settle(
      saves.map(([, save]) => save),
      exclusive((b) => b.put(entries, clock.now())),
    );
  };

  const flush = async (): Promise<void> => {
    const earlier = [...inFlight];
    await commit([...pending.keys()]);
    await Promise.all(earlier);
  };

  const onHidden = (): void => {
    if (page?.document?.visibilityState === 'hidden') void flush().catch(() => {});
  };
  const onPageHide = (): void => void flush().catch(() => {});
  page?.addEventListener('pagehide', onPageHide);
  page?.document?.addEventListener('visibilitychange', onHidden);

  /**
   * The error a call with this key must fail with, if any: returned rather than thrown, because
   * `save` reports it through its promise. Worded by the shared validator, e.g.
   * `save(): key must not be empty (received "")`.
   */
  const keyProblem = (key: unknown, method: string): Error | undefined => {
    try {
      parseOptions(nonEmptyStringSchema, key, method, 'key');
    } catch (error) {
      return error as TypeError;
    }
    return closed ? new Error(`${method}: the ${label} is closed`) : undefined;
  };

  return {
    save(key, value) {
      const problem = keyProblem(key, 'save()');
      if (problem) return Promise.reject(problem);
      let snapshot: unknown;
      try {
        // The snapshot is taken now: a caller that keeps editing the same object
        // after save() must not change what gets written later.
        snapshot = structuredClone(value);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return Promise.reject(
          new TypeError(
            `save(): the draft "${key}" cannot be stored because its value is not structured-cloneable (${reason}). ` +
              'Drafts hold data such as plain objects, arrays, strings, numbers, Dates, Maps and Blobs; not functions, DOM nodes or symbols.',
          ),
        );
      }
      return new Promise<void>((resolve, reject) => {
        const now = clock.now();
        let save = pending.get(key);
        if (save) {
          clock.clearTimeout(save.timer);
          save.value = snapshot;
        } else {
          save = { value: snapshot, firstSavedAt: now, timer: undefined, waiters: [] };
          pending.set(key, save);
        }
        save.waiters.push({ resolve, reject });
        const delay = Math.min(debounceMs, Math.max(0, save.firstSavedAt + maxWaitMs - now));
        save.timer = setTimer(clock, () => void commit([key]).catch(() => {}), delay);
      });
    },

    async load<T>(key: string) {
      const problem = keyProblem(key, 'load()');
      if (problem) throw problem;
      const save = pending.get(key);
      if (save) return structuredClone(save.value) as T;
      return (await exclusive((b) => b.get(key))) as T | undefined;
    },

    async remove(key) {
      const problem = keyProblem(key, 'remove()');
      if (problem) throw problem;
      const save = takePending(key);
      const removal = exclusive((b) => b.delete(key));
      // Superseded saves are answered by the removal: the key's stored state is now the newest.
      await (save ? settle([save], removal) : removal);
    },

    async keys() {
      if (closed) throw new Error(`keys(): the ${label} is closed`);
      const stored = await exclusive((b) => b.keys());
      return [...new Set([...stored, ...pending.keys()])].sort();
    },

    async flush() {
      if (closed) return;
      await flush();
    },

    get storage() {
      return storageKind.value;
    },

    storage$: storageKind.observable,

    async close() {
      if (closed) return;
      page?.removeEventListener('pagehide', onPageHide);
      page?.document?.removeEventListener('visibilitychange', onHidden);
      try {
        await flush();
      } finally {
        closed = true;
        storageKind.complete();
        if (backend)
          await exclusive((b) => {
            b.close();
            return Promise.resolve();
          });
      }
    },
  };
}

function defaultPage(): DraftPageEvents | undefined {
  const candidate = globalThis as Partial<DraftPageEvents>;
  return typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
    ? (candidate as DraftPageEvents)
    : undefined;
}
