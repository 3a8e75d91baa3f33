import { setTimer, systemClock, type Clock } from '../clock.js';
import { IdbRecordStore, openDatabase } from './idb-store.js';
import { MemoryRecordStore } from './memory-store.js';
import type { NewOutboxRecord } from './schema.js';
import { asError, isCloneError, type RecordChange, type RecordStore } from './store.js';

/**
 * How long opening IndexedDB may take before new writes go to memory. An open normally takes
 * milliseconds; one that waits for another tab to let go, or never settles at all (a browser
 * bug seen in WebKit), must not hold every write hostage. The open keeps going: if it succeeds
 * later, the database is used from then on.
 */
export const OPEN_TIME_LIMIT_MS = 3_000;

/** After a refused write (quota), new writes stay in memory at least this long before the disk is tried again. */
export const DISK_RETRY_AFTER_MS = 30_000;

export interface FallbackStoreHooks {
  clock?: Clock;
  /** New writes go to IndexedDB again: `kind` is back to `'indexeddb'`. */
  onRecovered?: () => void;
}

/**
 * IndexedDB first, memory when IndexedDB fails — and never a write dropped on the way.
 *
 * Trouble is contained to what failed. When IndexedDB refuses a new write (quota exceeded),
 * that write and the ones after it go to memory while the entries already on disk are still
 * read, delivered and deleted (which frees space); once the entries in memory are delivered
 * and a while has passed, new writes try the disk again. A read or a change that fails fails
 * alone (its caller sees the error and tries again later); it does not turn the disk off. Only
 * an open that fails, is blocked or takes longer than `OPEN_TIME_LIMIT_MS` sends everything to
 * memory — and an open that succeeds late is still taken up.
 *
 * The database opens lazily, on the first operation, and reopens after the browser or
 * another version of the code closed the connection.
 */
export class FallbackRecordStore implements RecordStore {
  readonly #factory: IDBFactory | undefined;
  readonly #name: string;
  readonly #onFallback: (error: unknown) => void;
  readonly #onRecovered: () => void;
  readonly #durability: IDBTransactionDurability;
  readonly #clock: Clock;
  readonly #memory = new MemoryRecordStore();
  /** Set once open: the synchronous path keeps same-tick inserts in one batch. */
  #idb: IdbRecordStore | undefined;
  #opening: Promise<IdbRecordStore | undefined> | undefined;
  /** New records go to memory. */
  #insertsInMemory = false;
  /** When new records may try the disk again. */
  #diskRetryAt = 0;
  /** IndexedDB could not be opened: it is not asked again (a late success is still taken up). */
  #unusable = false;
  #closed = false;

  constructor(
    factory: IDBFactory | undefined,
    name: string,
    onFallback: (error: unknown) => void,
    /** How inserts commit (see `OutboxOptions.durability`). */
    durability: IDBTransactionDurability = 'default',
    hooks: FallbackStoreHooks = {},
  ) {
    this.#factory = factory;
    this.#name = name;
    this.#onFallback = onFallback;
    this.#durability = durability;
    this.#clock = hooks.clock ?? systemClock;
    this.#onRecovered = hooks.onRecovered ?? (() => undefined);
  }

  get kind(): 'indexeddb' | 'memory' {
    return this.#insertsInMemory ? 'memory' : 'indexeddb';
  }

  /** Opens IndexedDB now (it otherwise opens on first use); resolves whether or not it worked. */
  async ready(): Promise<void> {
    await this.#database();
  }

  insert(record: NewOutboxRecord): Promise<number> {
    if (this.#insertsInMemory) this.#tryDiskAgain();
    const idb = this.#idb;
    if (idb && !this.#insertsInMemory)
      return idb.insert(record).catch((error: unknown) => this.#insertFailed(error, record));
    if (this.#insertsInMemory) return this.#memory.insert(record);
    return this.#database().then(() => this.insert(record));
  }

  async scan(): Promise<Array<{ seq: number; value: unknown }>> {
    const idb = await this.#database();
    const fromMemory = await this.#memory.scan();
    if (!idb) return fromMemory;
    // A failed read fails this read only: the caller tries again later.
    const fromDisk = await idb.scan();
    return fromMemory.length === 0 ? fromDisk : fromDisk.concat(fromMemory);
  }

  async update(seqs: number[], change: RecordChange): Promise<unknown[]> {
    const { disk, memory } = this.#split(seqs);
    const results = new Map<number, unknown>();
    if (memory.length > 0) {
      const changed = await this.#memory.update(memory, change);
      memory.forEach((seq, i) => results.set(seq, changed[i]));
    }
    if (disk.length > 0) {
      const idb = await this.#database();
      if (idb) {
        // A failed change (quota on a put) fails alone: what is on disk stays as it was, and
        // the outbox's leases and idempotency keys make a repeat harmless.
        const changed = await idb.update(disk, change);
        disk.forEach((seq, i) => results.set(seq, changed[i]));
      }
    }
    return seqs.map((seq) => results.get(seq));
  }

  async remove(seqs: number[]): Promise<void> {
    const { disk, memory } = this.#split(seqs);
    if (memory.length > 0) await this.#memory.remove(memory);
    if (disk.length === 0) return;
    const idb = await this.#database();
    if (idb) await idb.remove(disk);
  }

  close(): void {
    this.#closed = true;
    this.#idb?.close();
    this.#idb = undefined;
    this.#memory.close();
  }

  #split(seqs: number[]): { disk: number[]; memory: number[] } {
    const disk: number[] = [];
    const memory: number[] = [];
    for (const seq of seqs) (this.#memory.owns(seq) ? memory : disk).push(seq);
    return { disk, memory };
  }

  #database(): Promise<IdbRecordStore | undefined> {
    if (this.#idb) return Promise.resolve(this.#idb);
    if (this.#unusable || this.#closed) return Promise.resolve(undefined);
    this.#opening ??= this.#open();
    return this.#opening;
  }

  #open(): Promise<IdbRecordStore | undefined> {
    const factory = this.#factory;
    if (!factory) {
      this.#fail(new Error('IndexedDB is not available here'), true);
      return Promise.resolve(undefined);
    }
    return new Promise<IdbRecordStore | undefined>((resolve) => {
      let settled = false;
      const giveUp = (error: unknown) => {
        if (settled) return;
        settled = true;
        this.#clock.clearTimeout(timer);
        this.#opening = undefined;
        this.#fail(error, true);
        resolve(undefined);
      };
      const timer = setTimer(
        this.#clock,
        () => giveUp(new DOMException('IndexedDB did not open in time', 'TimeoutError')),
        OPEN_TIME_LIMIT_MS,
      );
      openDatabase(
        factory,
        this.#name,
        () => {
          // Reopen on next use; a newer schema then fails to open here and falls back.
          this.#idb = undefined;
          this.#opening = undefined;
        },
        () => giveUp(new DOMException('IndexedDB is blocked by another tab', 'AbortError')),
      ).then(
        (db) => {
          if (this.#closed) {
            db.close();
            if (!settled) resolve(undefined);
            settled = true;
            return;
          }
          // Late (after a time limit or a block) or not, an open database is used: what it
          // holds is delivered, and new writes go back to it once memory is empty.
          this.#unusable = false;
          this.#idb = new IdbRecordStore(db, this.#durability);
          if (settled) return;
          settled = true;
          this.#clock.clearTimeout(timer);
          this.#opening = undefined;
          resolve(this.#idb);
        },
        (error: unknown) => giveUp(error),
      );
    });
  }

  #insertFailed(error: unknown, record: NewOutboxRecord): Promise<number> {
    if (isCloneError(error)) return Promise.reject(asError(error));
    this.#fail(error, false);
    return this.#memory.insert(record);
  }

  /**
   * New writes go back to the disk once it is open again, nothing is left in memory (a write
   * on disk would get a key below theirs and overtake them), and the wait after a refusal is over.
   */
  #tryDiskAgain(): void {
    if (!this.#idb || !this.#memory.empty() || this.#clock.now() < this.#diskRetryAt) return;
    this.#insertsInMemory = false;
    this.#onRecovered();
  }

  #fail(error: unknown, unusable: boolean): void {
    if (unusable) {
      this.#unusable = true;
      this.#idb = undefined;
    }
    this.#diskRetryAt = this.#clock.now() + DISK_RETRY_AFTER_MS;
    if (this.#insertsInMemory) return;
    this.#insertsInMemory = true;
    this.#onFallback(error);
  }
}
