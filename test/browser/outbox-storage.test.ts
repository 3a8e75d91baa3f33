/* eslint-disable @typescript-eslint/require-await -- handlers return promises by contract */
import { createOutbox, type Outbox, type OutboxEvent } from '@bulletproof/core';
import { afterEach, describe, expect, it } from 'vitest';

// IndexedDB that will not open, on Chromium's own IndexedDB: an open queued behind a
// deletion that another connection blocks never settles until that connection lets go.

const opened: Outbox[] = [];
const uniqueName = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
const dbName = (name: string) => `bulletproof-outbox-${name}`;

afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

/** A connection like an old tab's: it ignores `versionchange`, so it blocks a deletion. */
function stubbornConnection(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName(name), 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore('entries', { keyPath: 'seq', autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
}

describe('an IndexedDB open that does not settle (real Chromium)', () => {
  it('lets enqueue resolve in memory within the time limit, says so, and delivers once the database opens', async () => {
    const name = uniqueName('stuck');
    const old = await stubbornConnection(name);
    const deleting = indexedDB.deleteDatabase(dbName(name));
    const blocked = new Promise<void>((resolve) => (deleting.onblocked = () => resolve()));
    await blocked;

    const sent: unknown[] = [];
    const outbox = createOutbox({
      name,
      autoDrain: false,
      window: false,
      handlers: { w: async (p: unknown) => void sent.push(p) },
    });
    opened.push(outbox);
    const events: OutboxEvent[] = [];
    outbox.events$.subscribe((e) => events.push(e));

    const started = performance.now();
    const entry = await outbox.enqueue('w', 'typed while stuck');
    const waited = performance.now() - started;
    expect(entry.state).toBe('pending');
    expect(waited).toBeGreaterThanOrEqual(2_900);
    expect(waited).toBeLessThan(6_000);
    expect(outbox.stats.storage).toBe('memory');
    expect(events.some((e) => e.type === 'storage-fallback')).toBe(true);

    // The old tab goes away: the deletion runs, then the outbox's open, which is taken up.
    old.close();
    await new Promise<void>((resolve) => (deleting.onsuccess = () => resolve()));
    await expect.poll(async () => (await outbox.drain()).delivered, { timeout: 10_000 }).toBe(1);
    expect(sent).toEqual(['typed while stuck']);
    expect(await outbox.list()).toEqual([]);
  });
});
