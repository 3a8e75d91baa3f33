import { wrap, type IDBPDatabase } from 'idb';
import type { DraftBackend } from './types.js';

const STORE = 'drafts';

/** What a draft looks like on disk. */
interface DraftRecord {
  value: unknown;
  savedAt: number;
}

function isDraftRecord(record: unknown): record is DraftRecord {
  return (
    typeof record === 'object' &&
    record !== null &&
    'value' in record &&
    'savedAt' in record &&
    typeof record.savedAt === 'number'
  );
}

/**
 * Drafts in IndexedDB, one record per key. Resolves only once the database has
 * opened, so the caller can fall back to memory when it cannot be.
 *
 * The connection closes itself when another tab needs to upgrade the database
 * (`versionchange`) or the browser drops it (`close`), and reopens on next use.
 */
export async function openIdbDraftBackend(factory: IDBFactory, name: string): Promise<DraftBackend> {
  let connection: Promise<IDBPDatabase> | undefined;

  const open = async (): Promise<IDBPDatabase> => {
    const request = factory.open(name, 1);
    request.addEventListener('upgradeneeded', () => {
      request.result.createObjectStore(STORE);
    });
    const db = await wrap(request);
    if (!db) throw new Error(`IndexedDB did not open "${name}"`);
    const forget = (): void => {
      connection = undefined;
    };
    db.addEventListener('versionchange', () => {
      db.close();
      forget();
    });
    db.addEventListener('close', forget);
    return db;
  };

  const database = (): Promise<IDBPDatabase> => {
    connection ??= open().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };

  await database();

  return {
    kind: 'indexeddb',

    async put(entries, savedAt) {
      const db = await database();
      // 'strict' asks the browser to flush to disk before reporting success:
      // a draft acknowledged as saved must survive a crash.
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      await Promise.all([
        ...entries.map(([key, value]) => tx.store.put({ value, savedAt } satisfies DraftRecord, key)),
        tx.done,
      ]);
    },

    async get(key) {
      const db = await database();
      const record: unknown = await db.get(STORE, key);
      // A foreign or damaged record reads as "no draft" rather than breaking the form that loads it.
      return isDraftRecord(record) ? record.value : undefined;
    },

    async delete(key) {
      const db = await database();
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      await Promise.all([tx.store.delete(key), tx.done]);
    },

    async keys() {
      const db = await database();
      const keys = await db.getAllKeys(STORE);
      return keys.filter((key): key is string => typeof key === 'string');
    },

    close() {
      const current = connection;
      connection = undefined;
      void current?.then(
        (db) => db.close(),
        () => {},
      );
    },
  };
}
