import type { NewOutboxRecord } from './schema.js';
import { asError, type RecordChange, type RecordStore } from './store.js';

/**
 * Keys of records kept in memory start here, far above any key IndexedDB hands out, so one
 * number space orders both: entries written after a fallback come after those on disk.
 */
export const MEMORY_SEQ_BASE = 2 ** 52;

/**
 * The store of last resort when IndexedDB cannot be opened or refuses writes. It behaves
 * like IndexedDB where the outbox can tell: values are cloned in and out (a caller mutating
 * its payload after `enqueue` changes nothing queued), and a value that cannot be cloned is
 * refused the same way.
 */
export class MemoryRecordStore implements RecordStore {
  readonly kind = 'memory' as const;
  readonly #records = new Map<number, unknown>();
  #nextSeq = MEMORY_SEQ_BASE;

  insert(record: NewOutboxRecord): Promise<number> {
    try {
      const seq = this.#nextSeq++;
      this.#records.set(seq, { ...structuredClone(record), seq });
      return Promise.resolve(seq);
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  /** Whether it holds no record at all. */
  empty(): boolean {
    return this.#records.size === 0;
  }

  owns(seq: number): boolean {
    return seq >= MEMORY_SEQ_BASE;
  }

  scan(): Promise<Array<{ seq: number; value: unknown }>> {
    // Map iteration follows insertion order, which is key order here.
    return Promise.resolve(
      [...this.#records].map(([seq, value]) => ({ seq, value: structuredClone(value) })),
    );
  }

  update(seqs: number[], change: RecordChange): Promise<unknown[]> {
    try {
      // Compute every change before applying any: all or nothing, like a transaction.
      const results = seqs.map((seq) => {
        const current = this.#records.get(seq);
        return change(current === undefined ? undefined : structuredClone(current), seq);
      });
      const stored = results.map((next) =>
        next === null || next === undefined ? next : structuredClone(next),
      );
      seqs.forEach((seq, i) => {
        const next = stored[i];
        if (next === null) this.#records.delete(seq);
        else if (next !== undefined) this.#records.set(seq, next);
      });
      return Promise.resolve(results);
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  remove(seqs: number[]): Promise<void> {
    for (const seq of seqs) this.#records.delete(seq);
    return Promise.resolve();
  }

  close(): void {
    this.#records.clear();
  }
}
