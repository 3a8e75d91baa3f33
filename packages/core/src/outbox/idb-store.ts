import type { NewOutboxRecord } from './schema.js';
import { asError, isCloneError, type RecordChange, type RecordStore } from './store.js';

/**
 * The outbox's IndexedDB store, on the raw IndexedDB API.
 *
 * Why not `idb`: its promise wrappers recognise IndexedDB objects with `instanceof` against
 * the global constructors (`IDBRequest`, `IDBDatabase`, …), so they only work with the
 * global `indexedDB`, while the outbox takes its `IDBFactory` by injection. The enqueue hot
 * path also wants one listener per transaction rather than a promise per request.
 */

/** Database schema version: bump it and extend `upgradeDatabase` to change object stores or indexes. */
export const DB_VERSION = 1;
export const ENTRIES_STORE = 'entries';

export function databaseName(name: string): string {
  return `bulletproof-outbox-${name}`;
}

/** Brings a database from `oldVersion` to `DB_VERSION`, one step at a time. */
function upgradeDatabase(db: IDBDatabase, oldVersion: number): void {
  // `seq` is an auto-increment key: it orders entries by commit across every tab and the
  // service worker, which is the order each channel delivers in.
  if (oldVersion < 1) db.createObjectStore(ENTRIES_STORE, { keyPath: 'seq', autoIncrement: true });
}

/**
 * Opens (creating or upgrading) the outbox database. `onLost` runs when the connection ends
 * for a reason other than `close()`: another version of the code needs to upgrade it, or the
 * browser closed it (site data cleared). `onBlocked` runs when the open has to wait for other
 * connections to close (an older tab that will not let go): it may still succeed later.
 */
export function openDatabase(
  factory: IDBFactory,
  name: string,
  onLost: () => void,
  onBlocked?: () => void,
): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(databaseName(name), DB_VERSION);
    } catch (error) {
      // Some browsers throw synchronously (e.g. a sandboxed iframe without storage access).
      reject(asError(error));
      return;
    }
    request.onupgradeneeded = (event) => upgradeDatabase(request.result, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      // Let a newer version of the code upgrade the database instead of blocking it forever.
      db.onversionchange = () => {
        db.close();
        onLost();
      };
      db.onclose = onLost;
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    if (onBlocked) request.onblocked = onBlocked;
  });
}

function abortQuietly(tx: IDBTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: its handlers report it.
  }
}

interface PendingInsert {
  record: NewOutboxRecord;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

interface PendingChange {
  seqs: number[];
  change: RecordChange;
  resolve: (results: unknown[]) => void;
  reject: (error: unknown) => void;
}

const removeRecord: RecordChange = () => null;

/** What a stored value the browser could not read back is replaced by, when read one by one. */
export interface UnreadableValue {
  unreadable: string;
}

export function isUnreadable(value: unknown): value is UnreadableValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { unreadable?: unknown }).unreadable === 'string'
  );
}

function unreadable(error: unknown): UnreadableValue {
  return { unreadable: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted', 'AbortError'));
  });
}

export class IdbRecordStore implements RecordStore {
  readonly kind = 'indexeddb' as const;
  readonly #db: IDBDatabase;
  #batch: PendingInsert[] = [];
  #changes: PendingChange[] = [];
  /** A change transaction is running (or about to start): new changes wait for the next one. */
  #changing = false;

  /** For inserts: a user's write is what must survive; bookkeeping lost costs a repeat at most. */
  readonly #insertOptions: IDBTransactionOptions;

  constructor(db: IDBDatabase, durability: IDBTransactionDurability = 'default') {
    this.#db = db;
    this.#insertOptions = { durability };
  }

  insert(record: NewOutboxRecord): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      // The first insert of a tick schedules the flush; the rest of the tick joins its batch.
      if (this.#batch.length === 0) queueMicrotask(this.#flush);
      this.#batch.push({ record, resolve, reject });
    });
  }

  readonly #flush = (): void => {
    const batch = this.#batch;
    this.#batch = [];
    let tx: IDBTransaction;
    try {
      tx = this.#db.transaction(ENTRIES_STORE, 'readwrite', this.#insertOptions);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const store = tx.objectStore(ENTRIES_STORE);
    const requests: Array<IDBRequest<IDBValidKey> | undefined> = new Array<undefined>(batch.length);
    /** Inserts already rejected on their own (uncloneable payloads). */
    let refused: Set<number> | undefined;
    let failure: unknown;
    for (let i = 0; i < batch.length && failure === undefined; i++) {
      const item = batch[i] as PendingInsert;
      try {
        requests[i] = store.add(item.record);
      } catch (error) {
        if (isCloneError(error)) {
          // A payload that cannot be cloned throws here, synchronously: only its own enqueue fails.
          (refused ??= new Set()).add(i);
          item.reject(error);
        } else {
          failure = error;
          abortQuietly(tx);
        }
      }
    }
    tx.oncomplete = () => {
      for (let i = 0; i < batch.length; i++) {
        const request = requests[i];
        if (request) (batch[i] as PendingInsert).resolve(request.result as number);
      }
    };
    tx.onabort = () => {
      const error = failure ?? tx.error ?? new DOMException('The transaction was aborted', 'AbortError');
      // In batch order, so whoever takes the entries over (memory) keeps their order.
      for (let i = 0; i < batch.length; i++) if (!refused?.has(i)) (batch[i] as PendingInsert).reject(error);
    };
  };

  /**
   * Every record, read in one snapshot. When reading them all at once fails (one value the
   * browser cannot read back makes `getAll` fail for all), they are read one by one instead,
   * and a value that cannot be read stands as an `UnreadableValue`, to be quarantined: one
   * bad record must not hide every other one.
   */
  async scan(): Promise<Array<{ seq: number; value: unknown }>> {
    try {
      return await this.#scanAll();
    } catch {
      return this.#scanEach();
    }
  }

  #scanAll(): Promise<Array<{ seq: number; value: unknown }>> {
    return new Promise((resolve, reject) => {
      const tx = this.#db.transaction(ENTRIES_STORE, 'readonly');
      const store = tx.objectStore(ENTRIES_STORE);
      // Keys and values come from one snapshot, in the same (key) order.
      const keys = store.getAllKeys();
      const values = store.getAll();
      done(tx).then(() => {
        const out = new Array<{ seq: number; value: unknown }>(keys.result.length);
        for (let i = 0; i < keys.result.length; i++)
          out[i] = { seq: keys.result[i] as number, value: values.result[i] };
        resolve(out);
      }, reject);
    });
  }

  #scanEach(): Promise<Array<{ seq: number; value: unknown }>> {
    return new Promise((resolve, reject) => {
      const tx = this.#db.transaction(ENTRIES_STORE, 'readonly');
      const store = tx.objectStore(ENTRIES_STORE);
      const out: Array<{ seq: number; value: unknown }> = [];
      const keys = store.getAllKeys();
      keys.onsuccess = () => {
        for (const key of keys.result) {
          const row: { seq: number; value: unknown } = { seq: key as number, value: undefined };
          out.push(row);
          try {
            const get = store.get(key);
            get.onsuccess = () => {
              row.value = get.result as unknown;
            };
            get.onerror = (event) => {
              // Handled: the transaction goes on to the other records.
              event.preventDefault();
              row.value = unreadable(get.error);
            };
          } catch (error) {
            row.value = unreadable(error);
          }
        }
      };
      done(tx).then(() => resolve(out), reject);
    });
  }

  /**
   * Changes share transactions: while one is running, the changes asked for meanwhile wait
   * and then go together in the next one. IndexedDB runs read-write transactions on a store
   * one at a time anyway, and a transaction costs far more than the reads and writes in it,
   * so a drain delivering on several channels at once pays for about one transaction per
   * round of deliveries instead of one per delivery.
   *
   * Each change still stands alone: its reads see every change queued before it, and a
   * `change` callback that throws fails that change only, with none of its writes made.
   */
  update(seqs: number[], change: RecordChange): Promise<unknown[]> {
    return new Promise<unknown[]>((resolve, reject) => {
      this.#changes.push({ seqs, change, resolve, reject });
      if (!this.#changing) {
        this.#changing = true;
        // A microtask, so that changes asked for in the same tick share the first transaction too.
        queueMicrotask(this.#applyChanges);
      }
    });
  }

  remove(seqs: number[]): Promise<void> {
    return this.update(seqs, removeRecord).then(() => undefined);
  }

  readonly #applyChanges = (): void => {
    const batch = this.#changes;
    this.#changes = [];
    const next = () => {
      if (this.#changes.length > 0) this.#applyChanges();
      else this.#changing = false;
    };
    let tx: IDBTransaction;
    try {
      tx = this.#db.transaction(ENTRIES_STORE, 'readwrite');
    } catch (error) {
      // Closed (or closing) connection: nothing was started.
      for (const pending of batch) pending.reject(asError(error));
      next();
      return;
    }
    const store = tx.objectStore(ENTRIES_STORE);
    const outcomes: Array<{ results: unknown[] } | { error: unknown }> = [];
    /** Thrown by IndexedDB itself while writing: the transaction is aborted for everyone. */
    let writeFailure: { error: unknown } | undefined;
    const run = (i: number): void => {
      const pending = batch[i];
      if (pending === undefined || writeFailure) return;
      const { seqs, change } = pending;
      if (seqs.length === 0) {
        outcomes[i] = { results: [] };
        run(i + 1);
        return;
      }
      const reads = seqs.map((seq) => store.get(seq));
      // Requests complete in the order made: the last read done means every read is.
      (reads[reads.length - 1] as IDBRequest).onsuccess = () => {
        let results: unknown[];
        try {
          results = seqs.map((seq, j) => change((reads[j] as IDBRequest).result, seq));
        } catch (error) {
          // Decided before any write: nothing of this change reaches the disk.
          outcomes[i] = { error };
          run(i + 1);
          return;
        }
        try {
          seqs.forEach((seq, j) => {
            const value = results[j];
            if (value === null) store.delete(seq);
            else if (value !== undefined) store.put(value);
          });
        } catch (error) {
          writeFailure = { error };
          abortQuietly(tx);
          return;
        }
        outcomes[i] = { results };
        run(i + 1);
      };
    };
    run(0);
    done(tx).then(
      () => {
        batch.forEach((pending, i) => {
          const outcome = outcomes[i];
          if (outcome && 'results' in outcome) pending.resolve(outcome.results);
          else pending.reject(asError(outcome ? outcome.error : new Error('The change was not applied')));
        });
        next();
      },
      (error: unknown) => {
        const reason = asError(writeFailure ? writeFailure.error : error);
        for (const pending of batch) pending.reject(reason);
        next();
      },
    );
  };

  close(): void {
    this.#db.close();
  }
}
