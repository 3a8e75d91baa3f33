import { IdbRecordStore, openDatabase } from './idb-store.js';
import { MemoryRecordStore } from './memory-store.js';
import type { NewOutboxRecord } from './schema.js';
import { asError, isCloneError, type RecordChange, type RecordStore } from './store.js';

/**
 * IndexedDB first, memory when IndexedDB fails — and never a write dropped on the way.
 *
 * Two kinds of trouble are told apart. When IndexedDB refuses *new* writes (quota exceeded),
 * new entries go to memory while the ones already on disk are still read, delivered and
 * deleted (which frees space). When IndexedDB cannot be used at all (it will not open, or a
 * read fails), this page stops touching it: what is on disk stays there, durable, for the
 * next page load, and everything from now on lives in memory.
 *
 * The database opens lazily, on the first operation, and reopens after the browser or
 * another version of the code closed the connection.
 */
export class FallbackRecordStore implements RecordStore {
  readonly #factory: IDBFactory | undefined;
  readonly #name: string;
  readonly #onFallback: (error: unknown) => void;
  readonly #durability: IDBTransactionDurability;
  readonly #memory = new MemoryRecordStore();
  /** Set once open: the synchronous path keeps same-tick inserts in one batch. */
  #idb: IdbRecordStore | undefined;
  #opening: Promise<IdbRecordStore | undefined> | undefined;
  /** New records go to memory. */
  #insertsInMemory = false;
  /** IndexedDB is not touched any more. */
  #unusable = false;
  #closed = false;

  constructor(
    factory: IDBFactory | undefined,
    name: string,
    onFallback: (error: unknown) => void,
    /** How inserts commit (see `OutboxOptions.durability`). */
    durability: IDBTransactionDurability = 'default',
  ) {
    this.#factory = factory;
    this.#name = name;
    this.#onFallback = onFallback;
    this.#durability = durability;
  }

  get kind(): 'indexeddb' | 'memory' {
    return this.#insertsInMemory ? 'memory' : 'indexeddb';
  }

  /** Opens IndexedDB now (it otherwise opens on first use); resolves whether or not it worked. */
  async ready(): Promise<void> {
    await this.#database();
  }

  insert(record: NewOutboxRecord): Promise<number> {
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
    try {
      const fromDisk = await idb.scan();
      return fromMemory.length === 0 ? fromDisk : fromDisk.concat(fromMemory);
    } catch (error) {
      this.#fail(error, true);
      return fromMemory;
    }
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
        try {
          const changed = await idb.update(disk, change);
          disk.forEach((seq, i) => results.set(seq, changed[i]));
        } catch (error) {
          this.#fail(error, true);
        }
      }
    }
    return seqs.map((seq) => results.get(seq));
  }

  async remove(seqs: number[]): Promise<void> {
    const { disk, memory } = this.#split(seqs);
    if (memory.length > 0) await this.#memory.remove(memory);
    if (disk.length === 0) return;
    const idb = await this.#database();
    if (!idb) return;
    try {
      await idb.remove(disk);
    } catch (error) {
      this.#fail(error, true);
    }
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

  async #open(): Promise<IdbRecordStore | undefined> {
    if (!this.#factory) {
      this.#fail(new Error('IndexedDB is not available here'), true);
      return undefined;
    }
    try {
      const db = await openDatabase(this.#factory, this.#name, () => {
        // Reopen on next use; a newer schema then fails to open here and falls back.
        this.#idb = undefined;
        this.#opening = undefined;
      });
      if (this.#closed) {
        db.close();
        return undefined;
      }
      this.#idb = new IdbRecordStore(db, this.#durability);
      return this.#idb;
    } catch (error) {
      this.#fail(error, true);
      return undefined;
    } finally {
      this.#opening = undefined;
    }
  }

  #insertFailed(error: unknown, record: NewOutboxRecord): Promise<number> {
    if (isCloneError(error)) return Promise.reject(asError(error));
    this.#fail(error, false);
    return this.#memory.insert(record);
  }

  #fail(error: unknown, unusable: boolean): void {
    if (unusable) {
      this.#unusable = true;
      this.#idb = undefined;
    }
    if (this.#insertsInMemory) return;
    this.#insertsInMemory = true;
    this.#onFallback(error);
  }
}
