import { createDraftStore, type DraftStore } from '@bulletproof/core';
import { afterEach, describe, expect, it } from 'vitest';

// Real Chromium IndexedDB: a "reload" or a "crash" is a second store opening the
// same database while the first one is left as it was (a crash does not close).

const opened: DraftStore[] = [];
const databases: string[] = [];

function store(name: string, debounceMs = 25): DraftStore {
  const s = createDraftStore({ name, debounceMs, window: false });
  opened.push(s);
  if (!databases.includes(name)) databases.push(name);
  return s;
}

const uniqueName = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => {})));
  await Promise.all(databases.splice(0).map((name) => deleteDatabase(`bulletproof-drafts-${name}`)));
});

describe('draft store in Chromium', () => {
  it('a committed save survives a crash: a new store on the same database reads it', async () => {
    const name = uniqueName('crash');
    const before = store(name);
    await before.save('note:1', { title: 'Groceries', body: 'milk, eggs', at: new Date(1_700_000_000_000) });
    // No close(): the page "crashes" with the first connection still open.
    const after = store(name);
    await expect(after.load('note:1')).resolves.toEqual({
      title: 'Groceries',
      body: 'milk, eggs',
      at: new Date(1_700_000_000_000),
    });
    expect(after.storage).toBe('indexeddb');
    await expect(after.keys()).resolves.toEqual(['note:1']);
  });

  it('debounces: saves in a burst resolve together and the newest value is the one stored', async () => {
    const name = uniqueName('burst');
    const drafts = store(name, 50);
    const saves = ['H', 'He', 'Hel', 'Hell', 'Hello'].map((text) => drafts.save('title', text));
    await Promise.all(saves);
    await expect(store(name).load('title')).resolves.toBe('Hello');
  });

  it('commits pending saves on pagehide without waiting for the debounce', async () => {
    const name = uniqueName('pagehide');
    const drafts = createDraftStore({ name, debounceMs: 60_000 }); // listens to the real window
    opened.push(drafts);
    databases.push(name);
    const saved = drafts.save('message', 'typed just before leaving');
    window.dispatchEvent(new Event('pagehide'));
    await saved;
    await expect(store(name).load('message')).resolves.toBe('typed just before leaving');
  });

  it('stores Blobs and reads them back after a reload', async () => {
    const name = uniqueName('blob');
    await store(name).save('attachment', new Blob(['hello blob'], { type: 'text/plain' }));
    const loaded = await store(name).load<Blob>('attachment');
    expect(loaded).toBeInstanceOf(Blob);
    await expect(loaded!.text()).resolves.toBe('hello blob');
  });

  it('refuses a DOM node with a TypeError naming the key', async () => {
    const drafts = store(uniqueName('dom'));
    await expect(drafts.save('form:profile', { field: document.body })).rejects.toThrow(
      /draft "form:profile" cannot be stored .*not structured-cloneable/,
    );
    await expect(drafts.keys()).resolves.toEqual([]);
  });

  it('removes a draft for good', async () => {
    const name = uniqueName('remove');
    const drafts = store(name);
    await drafts.save('k', 'v');
    await drafts.remove('k');
    await expect(store(name).load('k')).resolves.toBeUndefined();
  });

  it('lets another tab delete the database and keeps working', async () => {
    const name = uniqueName('versionchange');
    const drafts = store(name);
    await drafts.save('k', 'before');
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(`bulletproof-drafts-${name}`);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
      request.onblocked = () => reject(new Error('the draft store kept the database open'));
    });
    await drafts.save('k', 'after');
    await expect(store(name).load('k')).resolves.toBe('after');
  });

  it('falls back to memory when IndexedDB cannot be opened, and says so', async () => {
    const refusing = {
      open: () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const drafts = createDraftStore({ indexedDB: refusing, debounceMs: 0, window: false });
    opened.push(drafts);
    await drafts.save('k', { text: 'only in memory' });
    await expect(drafts.load('k')).resolves.toEqual({ text: 'only in memory' });
    expect(drafts.storage).toBe('memory');
  });
});
