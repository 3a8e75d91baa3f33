import type { NewOutboxRecord } from './schema.js';

/**
 * What the outbox needs from persistence. Values are read raw (`unknown`): validation is
 * the reader's job, because a store can hold records written by other code.
 */
export interface RecordStore {
  readonly kind: 'indexeddb' | 'memory';
  /**
   * Stores one new record and resolves with its key once it is committed. Records inserted
   * in the same tick share one transaction.
   */
  insert(record: NewOutboxRecord): Promise<number>;
  /** Every stored value with its key, in key order. */
  scan(): Promise<Array<{ seq: number; value: unknown }>>;
  /**
   * Reads, changes and writes records in one transaction. `change` sees the current value
   * (`undefined` when absent) and returns the new value, `null` to delete, or `undefined`
   * to leave it. Resolves with what each record became, once committed.
   */
  update(seqs: number[], change: RecordChange): Promise<Array<unknown>>;
  /** Deletes records, once committed. */
  remove(seqs: number[]): Promise<void>;
  close(): void;
}

export type RecordChange = (current: unknown, seq: number) => unknown;

/** A write the caller got wrong (a payload that cannot be cloned): it must fail alone, not as a storage failure. */
export function isCloneError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'DataCloneError'
  );
}

/** A rejection reason that is an Error (DOMExceptions are); anything else is wrapped. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
