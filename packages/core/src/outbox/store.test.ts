import { IDBDatabase, IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FallbackRecordStore } from './fallback-store.js';
import { ENTRIES_STORE, IdbRecordStore, openDatabase } from './idb-store.js';
import { MEMORY_SEQ_BASE, MemoryRecordStore } from './memory-store.js';
import type { NewOutboxRecord } from './schema.js';
import { pendingRecord } from '../test-support/outbox-records.js';

const record = (id: string, payload: unknown = { id }): NewOutboxRecord => pendingRecord(id, { payload });

afterEach(() => {
  vi.restoreAllMocks();
});

async function openStore(factory = new IDBFactory()): Promise<IdbRecordStore> {
  return new IdbRecordStore(await openDatabase(factory, 'test', () => {}));
}

describe('IdbRecordStore', () => {
  it('puts the inserts of one tick in one transaction, and resolves each with its key after commit', async () => {
    const store = await openStore();
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add');
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.insert(record(`e${i}`))));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(spy).toHaveBeenCalledTimes(50);
    // All 50 adds ran against the same object store instance, i.e. the same transaction.
    expect(new Set(spy.mock.contexts).size).toBe(1);
  });

  it("commits inserts with the durability asked for, and its other changes with the browser's default", async () => {
    const store = new IdbRecordStore(await openDatabase(new IDBFactory(), 'strict', () => {}), 'strict');
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const seq = await store.insert(record('a'));
    await store.remove([seq]);
    expect(transactions.mock.calls.map((call) => call[2])).toEqual([{ durability: 'strict' }, undefined]);
  });

  it('gives awaited inserts a transaction each', async () => {
    const store = await openStore();
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add');
    for (let i = 0; i < 5; i++) await store.insert(record(`e${i}`));
    expect(new Set(spy.mock.contexts).size).toBe(5);
  });

  it('fails only the insert whose payload cannot be cloned', async () => {
    const store = await openStore();
    const results = await Promise.allSettled([
      store.insert(record('a')),
      store.insert(record('b', { fn: () => 1 })),
      store.insert(record('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'DataCloneError' });
    const rows = await store.scan();
    expect(rows.map((r) => (r.value as { id: string }).id)).toEqual(['a', 'c']);
  });

  it('scans keys with values in key order, and updates records in one transaction', async () => {
    const store = await openStore();
    await Promise.all(['a', 'b', 'c'].map((id) => store.insert(record(id))));
    const results = await store.update([1, 2, 3, 99], (current, seq) => {
      if (current === undefined) return undefined;
      if (seq === 2) return null;
      return { ...(current as object), attempts: 5 };
    });
    expect(results[1]).toBeNull();
    expect(results[3]).toBeUndefined();
    const rows = await store.scan();
    expect(rows.map((r) => [r.seq, (r.value as { attempts: number }).attempts])).toEqual([
      [1, 5],
      [3, 5],
    ]);
  });

  it('applies nothing of an update whose change throws', async () => {
    const store = await openStore();
    await Promise.all(['a', 'b'].map((id) => store.insert(record(id))));
    const failing = store.update([1, 2], (current, seq) => {
      if (seq === 2) throw new Error('bad change');
      return { ...(current as object), attempts: 9 };
    });
    await expect(failing).rejects.toThrow('bad change');
    const rows = await store.scan();
    expect(rows.map((r) => (r.value as { attempts: number }).attempts)).toEqual([0, 0]);
  });

  it('groups changes asked for while a transaction runs into the next one, each seeing the ones before it', async () => {
    const store = await openStore();
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.insert(record(id))));
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const bump = (current: unknown) => ({
      ...(current as object),
      attempts: (current as { attempts: number }).attempts + 1,
    });
    const first = store.update([1], bump);
    // Asked for after the first transaction started: they wait and then share one.
    await Promise.resolve();
    await Promise.resolve();
    const later = [store.update([2], bump), store.remove([3]), store.update([2, 4], bump)];
    const [firstResult, second, , fourth] = await Promise.all([first, ...later]);
    expect(transactions).toHaveBeenCalledTimes(2);
    expect(firstResult).toEqual([expect.objectContaining({ attempts: 1 })]);
    expect(second).toEqual([expect.objectContaining({ attempts: 1 })]);
    // Record 2 was bumped twice in one transaction: the second change read the first one's write.
    expect(fourth).toEqual([
      expect.objectContaining({ attempts: 2 }),
      expect.objectContaining({ attempts: 1 }),
    ]);
    const rows = await store.scan();
    expect(rows.map((r) => [r.seq, (r.value as { attempts: number }).attempts])).toEqual([
      [1, 1],
      [2, 2],
      [4, 1],
    ]);
  });

  it('fails only the change that throws when changes share a transaction', async () => {
    const store = await openStore();
    await Promise.all(['a', 'b'].map((id) => store.insert(record(id))));
    const set = (attempts: number) => (current: unknown) => ({ ...(current as object), attempts });
    const results = await Promise.allSettled([
      store.update([1], set(1)),
      store.update([1, 2], (current, seq) => {
        if (seq === 2) throw new Error('bad change');
        return set(7)(current);
      }),
      store.update([2], set(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'bad change' });
    const rows = await store.scan();
    expect(rows.map((r) => (r.value as { attempts: number }).attempts)).toEqual([1, 3]);
  });

  it('rejects queued changes, not hangs, when the connection is closed under them', async () => {
    const store = await openStore();
    await store.insert(record('a'));
    store.close();
    await expect(store.update([1], () => null)).rejects.toMatchObject({ name: 'InvalidStateError' });
    // The queue is not stuck: a later change is tried (and fails the same way).
    await expect(store.remove([1])).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});

describe('MemoryRecordStore', () => {
  it('clones in and out, numbers above any IndexedDB key, and refuses uncloneable values', async () => {
    const store = new MemoryRecordStore();
    const payload = { n: 1 };
    const seq = await store.insert(record('a', payload));
    expect(seq).toBe(MEMORY_SEQ_BASE);
    payload.n = 2;
    const [row] = await store.scan();
    expect((row?.value as { payload: { n: number } }).payload.n).toBe(1);
    await expect(store.insert(record('b', { fn: () => 1 }))).rejects.toMatchObject({
      name: 'DataCloneError',
    });
  });
});

describe('FallbackRecordStore', () => {
  it('uses IndexedDB when it works', async () => {
    const onFallback = vi.fn();
    const store = new FallbackRecordStore(new IDBFactory(), 'ok', onFallback);
    const seq = await store.insert(record('a'));
    expect(seq).toBe(1);
    expect(store.kind).toBe('indexeddb');
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('falls back to memory, once, when there is no IndexedDB or it will not open', async () => {
    const none = vi.fn();
    const withoutIdb = new FallbackRecordStore(undefined, 'x', none);
    expect(await withoutIdb.insert(record('a'))).toBe(MEMORY_SEQ_BASE);
    expect(withoutIdb.kind).toBe('memory');

    const broken = new IDBFactory();
    vi.spyOn(broken, 'open').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const onFallback = vi.fn();
    const store = new FallbackRecordStore(broken, 'x', onFallback);
    await store.insert(record('a'));
    await store.insert(record('b'));
    expect(store.kind).toBe('memory');
    expect(onFallback).toHaveBeenCalledTimes(1);
    expect(onFallback.mock.calls[0]?.[0]).toMatchObject({ name: 'SecurityError' });
    expect((await store.scan()).map((r) => (r.value as { id: string }).id)).toEqual(['a', 'b']);
  });

  it('keeps a batch the disk refused (quota) in memory, and still serves what is on disk', async () => {
    const factory = new IDBFactory();
    const onFallback = vi.fn();
    const store = new FallbackRecordStore(factory, 'quota', onFallback);
    await store.insert(record('on-disk'));
    // The next transaction aborts, as a write over quota does.
    const original = IDBObjectStore.prototype.add;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      value: unknown,
    ) {
      const request = original.call(this, value);
      this.transaction.abort();
      return request;
    });
    const seqs = await Promise.all([store.insert(record('m1')), store.insert(record('m2'))]);
    expect(seqs).toEqual([MEMORY_SEQ_BASE, MEMORY_SEQ_BASE + 1]);
    expect(store.kind).toBe('memory');
    expect(onFallback).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
    // One key space, disk first: order is kept across the two stores.
    const rows = await store.scan();
    expect(rows.map((r) => (r.value as { id: string }).id)).toEqual(['on-disk', 'm1', 'm2']);
    // Entries on disk are still deleted from disk (delivering frees the space).
    await store.remove([1, MEMORY_SEQ_BASE]);
    expect((await store.scan()).map((r) => (r.value as { id: string }).id)).toEqual(['m2']);
    const db = await openDatabase(factory, 'quota', () => {});
    const count = await new Promise<number>((resolve) => {
      const req = db.transaction(ENTRIES_STORE).objectStore(ENTRIES_STORE).count();
      req.onsuccess = () => resolve(req.result);
    });
    expect(count).toBe(0);
  });

  it('reopens after the connection was closed under it', async () => {
    const factory = new IDBFactory();
    const store = new FallbackRecordStore(factory, 'reopen', vi.fn());
    await store.insert(record('a'));
    // Another version of the code asks to upgrade: this connection steps aside.
    await new Promise<void>((resolve) => {
      const req = factory.open('bulletproof-outbox-reopen', 1);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
    });
    const deleting = factory.deleteDatabase('bulletproof-outbox-reopen');
    await new Promise((resolve) => (deleting.onsuccess = resolve));
    await store.insert(record('b'));
    expect(store.kind).toBe('indexeddb');
    expect((await store.scan()).map((r) => (r.value as { id: string }).id)).toEqual(['b']);
  });
});
