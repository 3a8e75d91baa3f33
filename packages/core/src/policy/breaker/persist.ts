/** The slice of `localStorage` a breaker uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const storageKey = (name: string) => `bulletproof:breaker:${name}`;

/**
 * Reads the persisted state, still unchecked (the breaker checks it as any state it is given);
 * storage that throws (privacy modes, sandboxed frames) or holds no JSON yields nothing.
 */
export function loadRecord(storage: StorageLike, name: string): unknown {
  try {
    const raw = storage.getItem(storageKey(name));
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

export function saveRecord(storage: StorageLike, name: string, state: object): void {
  try {
    storage.setItem(storageKey(name), JSON.stringify(state));
  } catch {
    // A full or forbidden storage costs only the restore after a reload.
  }
}
