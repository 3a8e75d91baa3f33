// idb recognises IndexedDB objects by the global classes (IDBRequest, IDBDatabase…),
// so they must exist; each test still gets its own injected, empty factory.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { manualClock } from '../test-support/manual-clock.js';
import { track } from '../test-support/track.js';
import { createDraftStore } from './draft-store.js';
import type { DraftPageEvents, DraftStorage, DraftStore, DraftStoreOptions } from './types.js';

/** Lets IndexedDB (which answers on later tasks) finish what it was asked. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

function setup(options: DraftStoreOptions = {}) {
  const indexedDB = options.indexedDB ?? new IDBFactory();
  const clock = manualClock();
  const make = (more: DraftStoreOptions = {}) =>
    createDraftStore({ indexedDB, clock, window: false, debounceMs: 500, ...options, ...more });
  return { indexedDB, clock, store: make(), make };
}

describe('saving and loading', () => {
  it('commits a save after the debounce and a new store on the same database reads it back', async () => {
    const { store, clock, make } = setup();
    const saved = store.save('note:1', { title: 'Hello', body: 'World', tags: ['a'], at: new Date(5) });
    clock.advance(500);
    await saved;
    const afterReload = make();
    await expect(afterReload.load('note:1')).resolves.toEqual({
      title: 'Hello',
      body: 'World',
      tags: ['a'],
      at: new Date(5),
    });
    expect(afterReload.storage).toBe('indexeddb');
  });

  it('writes nothing before the debounce has passed', async () => {
    const { store, clock, make } = setup();
    const saved = track(store.save('k', 'v'));
    clock.advance(499);
    await settle();
    expect(saved.settled).toBe(false);
    await expect(make().load('k')).resolves.toBeUndefined();
    clock.advance(1);
    await settle();
    expect(saved).toEqual({ settled: true, error: undefined });
    await expect(make().load('k')).resolves.toBe('v');
  });

  it('a later save within the debounce replaces the pending value and both resolve after one commit', async () => {
    const { store, clock, make } = setup();
    const first = track(store.save('k', 'draft 1'));
    clock.advance(300);
    const second = track(store.save('k', 'draft 2'));
    clock.advance(300); // 600 ms after the first save, 300 after the second: still waiting
    await settle();
    expect(first.settled).toBe(false);
    expect(second.settled).toBe(false);
    clock.advance(200);
    await settle();
    expect(first).toEqual({ settled: true, error: undefined });
    expect(second).toEqual({ settled: true, error: undefined });
    await expect(make().load('k')).resolves.toBe('draft 2');
  });

  it('writes at least every maxWaitMs while saves keep coming', async () => {
    const { store, clock, make } = setup({ debounceMs: 500, maxWaitMs: 2_000 });
    const first = track(store.save('k', 0));
    for (let i = 1; i <= 4; i++) {
      clock.advance(400);
      void store.save('k', i).catch(() => {});
    }
    // 1 600 ms in, every save came within the debounce of the previous one.
    await settle();
    expect(first.settled).toBe(false);
    clock.advance(400); // 2 000 ms after the first save
    await settle();
    expect(first.settled).toBe(true);
    await expect(make().load('k')).resolves.toBe(4);
  });

  it('keeps a separate debounce per key', async () => {
    const { store, clock } = setup();
    const a = track(store.save('a', 1));
    clock.advance(400);
    const b = track(store.save('b', 2));
    clock.advance(100);
    await settle();
    expect(a.settled).toBe(true);
    expect(b.settled).toBe(false);
  });

  it('snapshots the value when save is called', async () => {
    const { store, clock, make } = setup();
    const value = { text: 'before' };
    const saved = store.save('k', value);
    value.text = 'after';
    clock.advance(500);
    await saved;
    await expect(make().load('k')).resolves.toEqual({ text: 'before' });
  });

  it('loads a pending value at once, as a copy', async () => {
    const { store } = setup();
    void store.save('k', { n: 1 });
    const loaded = await store.load<{ n: number }>('k');
    expect(loaded).toEqual({ n: 1 });
    loaded!.n = 99;
    await expect(store.load('k')).resolves.toEqual({ n: 1 });
  });

  it('loads undefined for a key never saved', async () => {
    const { store } = setup();
    await expect(store.load('missing')).resolves.toBeUndefined();
  });

  it('a load issued while a commit is in progress sees the committed value', async () => {
    const { store, clock } = setup();
    const saved = store.save('k', 'v1');
    clock.advance(500); // the commit starts; the value is no longer pending
    await expect(store.load('k')).resolves.toBe('v1');
    await saved;
  });

  it('keeps databases of different names apart', async () => {
    const { clock, make } = setup();
    const a = make({ name: 'a' });
    const b = make({ name: 'b' });
    const saved = a.save('k', 'in a');
    clock.advance(500);
    await saved;
    await expect(b.load('k')).resolves.toBeUndefined();
    await expect(make({ name: 'a' }).load('k')).resolves.toBe('in a');
  });

  it('stores drafts in the database "bulletproof-drafts-<name>"', async () => {
    const { indexedDB, clock, make } = setup();
    const store = make({ name: 'notes' });
    const saved = store.save('k', 'v');
    clock.advance(500);
    await saved;
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toContain('bulletproof-drafts-notes');
  });

  it('reads a foreign record in its database as no draft', async () => {
    const { indexedDB, store } = setup();
    await store.keys(); // opens and creates the database
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('bulletproof-drafts-default', 1);
      request.onsuccess = () => {
        const tx = request.result.transaction('drafts', 'readwrite');
        tx.objectStore('drafts').put('not a draft record', 'foreign');
        tx.oncomplete = () => {
          request.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error ?? new Error('write failed'));
      };
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    await expect(store.load('foreign')).resolves.toBeUndefined();
  });
});

describe('remove, keys and flush', () => {
  it('removes a stored draft', async () => {
    const { store, clock, make } = setup();
    const saved = store.save('k', 'v');
    clock.advance(500);
    await saved;
    await store.remove('k');
    await expect(store.load('k')).resolves.toBeUndefined();
    await expect(make().load('k')).resolves.toBeUndefined();
  });

  it('cancels a pending save, whose promise resolves once the removal is committed', async () => {
    const { store, clock, make } = setup();
    const saved = track(store.save('k', 'never written'));
    await store.remove('k');
    await settle();
    expect(saved).toEqual({ settled: true, error: undefined });
    expect(clock.pending()).toBe(0);
    await expect(make().load('k')).resolves.toBeUndefined();
  });

  it('a remove after a commit started still leaves the key removed', async () => {
    const { store, clock, make } = setup();
    const saved = store.save('k', 'v');
    clock.advance(500);
    await store.remove('k');
    await saved;
    await expect(make().load('k')).resolves.toBeUndefined();
  });

  it('lists stored and pending keys, sorted and without duplicates', async () => {
    const { store, clock } = setup();
    const saved = Promise.all([store.save('b', 1), store.save('a', 1)]);
    clock.advance(500);
    await saved;
    void store.save('c', 1);
    void store.save('a', 2);
    await expect(store.keys()).resolves.toEqual(['a', 'b', 'c']);
  });

  it('flush commits every pending save at once, without waiting for the debounce', async () => {
    const { store, clock, make } = setup();
    const saves = ['x', 'y', 'z'].map((k) => track(store.save(k, k.toUpperCase())));
    await store.flush();
    expect(saves.every((s) => s.settled && s.error === undefined)).toBe(true);
    expect(clock.pending()).toBe(0);
    const reloaded = make();
    await expect(Promise.all(['x', 'y', 'z'].map((k) => reloaded.load(k)))).resolves.toEqual(['X', 'Y', 'Z']);
  });

  it('flush also waits for a commit that had already started', async () => {
    const { store, clock, make } = setup();
    const saved = track(store.save('k', 'v'));
    clock.advance(500);
    await store.flush();
    expect(saved.settled).toBe(true);
    await expect(make().load('k')).resolves.toBe('v');
  });

  it('flush with nothing pending resolves', async () => {
    const { store } = setup();
    await expect(store.flush()).resolves.toBeUndefined();
  });
});

describe('values and keys that cannot be stored', () => {
  it.each([
    ['a function', () => 1],
    ['an object holding a function', { onChange: () => {} }],
    ['a symbol', Symbol('s')],
    ['a WeakMap', new WeakMap()],
  ])('rejects %s with a TypeError naming the key, and keeps nothing pending', async (_, value) => {
    const { store, clock } = setup();
    const attempt = store.save('form:signup', value);
    await expect(attempt).rejects.toThrow(TypeError);
    await expect(attempt).rejects.toThrow(
      /^save\(\): the draft "form:signup" cannot be stored .* not structured-cloneable/,
    );
    expect(clock.pending()).toBe(0);
    await expect(store.keys()).resolves.toEqual([]);
  });

  it('a rejected value leaves an earlier pending save of the key untouched', async () => {
    const { store, clock, make } = setup();
    const good = store.save('k', 'good');
    await expect(store.save('k', () => 'bad')).rejects.toThrow(TypeError);
    clock.advance(500);
    await good;
    await expect(make().load('k')).resolves.toBe('good');
  });

  it.each([
    ['save(): key must not be empty (received "")', (s: DraftStore) => s.save('', 1)],
    ['load(): key must be a string (received 3)', (s: DraftStore) => s.load(3 as unknown as string)],
    [
      'remove(): key must be a string (received undefined)',
      (s: DraftStore) => s.remove(undefined as unknown as string),
    ],
    ['save(): key must be a string (received an object)', (s: DraftStore) => s.save({} as never, 1)],
  ])('rejects a key that is not a non-empty string: %s', async (message, call) => {
    const { store } = setup();
    await expect(call(store)).rejects.toThrow(new TypeError(message));
  });

  it.each([
    [{ name: '' }, /createDraftStore\(\): option "name" must not be empty/],
    [{ debounceMs: -1 }, /option "debounceMs" must be ≥ 0/],
    [{ maxWaitMs: 'soon' }, /option "maxWaitMs" must be a finite number/],
    [{ indexedDB: {} }, /option "indexedDB" must be an IDBFactory/],
    [{ clock: Date }, /option "clock" must be a Clock/],
    [{ window: true }, /option "window" must be false or a window/],
    [{ debounce: 5 }, /unknown option "debounce"/],
  ])('rejects option %j with a TypeError naming it', (options, message) => {
    expect(() => createDraftStore(options as never)).toThrow(TypeError);
    expect(() => createDraftStore(options as never)).toThrow(message);
  });
});

describe('falling back to memory', () => {
  it('keeps drafts in memory and says so when IndexedDB cannot be opened', async () => {
    const broken = {
      open: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const clock = manualClock();
    const store = createDraftStore({ indexedDB: broken, clock, window: false });
    const seen: DraftStorage[] = [];
    store.storage$.subscribe((s) => seen.push(s));
    const saved = store.save('k', { text: 'kept' });
    clock.advance(500);
    await saved;
    await expect(store.load('k')).resolves.toEqual({ text: 'kept' });
    expect(store.storage).toBe('memory');
    expect(seen).toEqual(['indexeddb', 'memory']);
  });

  it('falls back when the open request fails later (a newer database version exists)', async () => {
    const indexedDB = new IDBFactory();
    await new Promise<void>((resolve) => {
      const request = indexedDB.open('bulletproof-drafts-default', 5);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
    });
    const store = createDraftStore({ indexedDB, window: false });
    await expect(store.keys()).resolves.toEqual([]);
    expect(store.storage).toBe('memory');
  });

  it('uses memory where there is no IndexedDB at all', async () => {
    vi.stubGlobal('indexedDB', undefined);
    try {
      const store = createDraftStore({ window: false });
      await store.remove('nothing');
      expect(store.storage).toBe('memory');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('uses the global IndexedDB by default', async () => {
    const store = createDraftStore({ name: 'global-default', window: false, debounceMs: 0 });
    await store.save('k', 'v');
    expect(store.storage).toBe('indexeddb');
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toContain('bulletproof-drafts-global-default');
  });

  it('a memory store hands out copies too', async () => {
    const noIndexedDB = {
      open: () => {
        throw new DOMException('IndexedDB is disabled', 'InvalidStateError');
      },
    } as unknown as IDBFactory;
    const store = createDraftStore({ indexedDB: noIndexedDB, window: false, debounceMs: 0 });
    const value = { n: 1 };
    await store.save('k', value);
    const loaded = await store.load<{ n: number }>('k');
    loaded!.n = 2;
    value.n = 3;
    await expect(store.load('k')).resolves.toEqual({ n: 1 });
    expect(store.storage).toBe('memory');
  });
});

describe('storage failures', () => {
  /** A real database whose writes can be made to fail, as when the quota is exceeded. */
  function failingFactory() {
    const real = new IDBFactory();
    const control = { failWrites: false };
    const factory = {
      open: (name: string, version?: number) => {
        const request = real.open(name, version);
        request.addEventListener('success', () => {
          const db = request.result;
          const transaction = db.transaction.bind(db);
          db.transaction = ((stores: string, mode?: IDBTransactionMode, options?: IDBTransactionOptions) => {
            if (control.failWrites && mode === 'readwrite') {
              throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
            }
            return transaction(stores, mode, options);
          }) as IDBDatabase['transaction'];
        });
        return request;
      },
      databases: () => real.databases(),
    } as unknown as IDBFactory;
    return { factory, control };
  }

  it('rejects every save answered by a failed commit with the storage error', async () => {
    const { factory, control } = failingFactory();
    const { store, clock } = setup({ indexedDB: factory });
    await store.keys();
    control.failWrites = true;
    const first = store.save('k', 1);
    const second = store.save('k', 2);
    clock.advance(500);
    await expect(first).rejects.toThrow(/quota/);
    await expect(second).rejects.toMatchObject({ name: 'QuotaExceededError' });
  });

  it('flush rejects when its commit fails, and the store keeps working afterwards', async () => {
    const { factory, control } = failingFactory();
    const { store, make } = setup({ indexedDB: factory });
    control.failWrites = true;
    const saved = store.save('k', 1);
    await expect(store.flush()).rejects.toThrow(/quota/);
    await expect(saved).rejects.toThrow(/quota/);
    control.failWrites = false;
    const again = store.save('k', 2);
    await store.flush();
    await again;
    await expect(make().load('k')).resolves.toBe(2);
  });

  it('lets another tab delete or upgrade the database, then reopens it', async () => {
    const { indexedDB, store, clock } = setup();
    await store.keys();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase('bulletproof-drafts-default');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
      request.onblocked = () => reject(new Error('the store did not let go of the database'));
    });
    const saved = store.save('k', 'after');
    clock.advance(500);
    await saved;
    await expect(store.load('k')).resolves.toBe('after');
  });
});

describe('page lifecycle and close', () => {
  function fakePage() {
    const target = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const page = Object.assign(target, { document }) as unknown as DraftPageEvents;
    return { page, target, document };
  }

  it('commits pending saves when the page is hidden', async () => {
    const { page, document } = fakePage();
    const { store, make } = setup({ window: page });
    const saved = store.save('k', 'typed before switching tabs');
    document.dispatchEvent(new Event('visibilitychange')); // still visible: nothing happens
    await settle();
    await expect(make().load('k')).resolves.toBeUndefined();
    document.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await saved;
    await expect(make().load('k')).resolves.toBe('typed before switching tabs');
  });

  it('commits pending saves on pagehide', async () => {
    const { page, target } = fakePage();
    const { store, make } = setup({ window: page });
    const saved = store.save('k', 'typed before closing');
    target.dispatchEvent(new Event('pagehide'));
    await saved;
    await expect(make().load('k')).resolves.toBe('typed before closing');
  });

  it('close flushes, stops listening to the page, and refuses later calls', async () => {
    const { page, target } = fakePage();
    const removeListener = vi.spyOn(target, 'removeEventListener');
    const { store, make, clock } = setup({ window: page });
    let completed = false;
    store.storage$.subscribe({ complete: () => (completed = true) });
    const saved = store.save('k', 'last words');
    await store.close();
    await saved;
    expect(removeListener).toHaveBeenCalledWith('pagehide', expect.any(Function));
    expect(completed).toBe(true);
    expect(clock.pending()).toBe(0);
    await expect(make().load('k')).resolves.toBe('last words');
    await expect(store.save('k', 'x')).rejects.toThrow(/^save\(\): the draft store "\w+" is closed$/);
    await expect(store.load('k')).rejects.toThrow(/^load\(\): .* is closed$/);
    await expect(store.keys()).rejects.toThrow(/^keys\(\): .* is closed$/);
    await store.close();
  });
});
