import { PROTOCOL, parseRecord, type BreakerRecord } from './record.js';

/** The slice of `localStorage` a breaker uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const storageKey = (name: string) => `bulletproof:breaker:${name}`;

/** Reads the persisted record; storage that throws (privacy modes, sandboxed frames) or holds junk yields nothing. */
export function loadRecord(storage: StorageLike, name: string): BreakerRecord | undefined {
  try {
    const raw = storage.getItem(storageKey(name));
    return raw === null ? undefined : parseRecord(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

export function saveRecord(storage: StorageLike, name: string, record: BreakerRecord): void {
  try {
    storage.setItem(storageKey(name), JSON.stringify({ v: PROTOCOL, ...record }));
  } catch {
    // A full or forbidden storage costs only the restore after a reload.
  }
}
