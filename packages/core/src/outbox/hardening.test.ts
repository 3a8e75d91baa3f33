/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS } from '../clock.js';
import { HttpError } from '../failure/errors.js';
import { exponentialBackoff } from '../policy/backoff.js';
import { DISK_RETRY_AFTER_MS, OPEN_TIME_LIMIT_MS } from './fallback-store.js';
import { ENTRIES_STORE, openDatabase } from './idb-store.js';
import { createOutbox } from './outbox.js';
import { outboxHttp } from './outbox-http.js';
import { DEFAULT_MAX_RETRY_AFTER_MS } from './options.js';
import { RECORD_VERSION } from './schema.js';
import type { Outbox, OutboxEvent, OutboxOptions } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates as settle } from '../test-support/settle.js';

/**
 * Hostile servers and broken storage against the outbox: each case is a defect once seen
 * (a spin, a hang, a write that could not be sent again) and must stay fixed.
 */

const T0 = 1_000_000;
const DAY = 24 * 60 * 60 * 1000;
const noJitter = exponentialBackoff({ initialMs: 1_000, maxMs: 300_000, jitter: 'none' });
const bed = outboxTestBed({ fakeTimeFrom: T0 });

function make(o: OutboxOptions = {}): Outbox {
  return bed.closeAfter(createOutbox({ name: 'h', ...bed.options, backoff: noJitter, ...o }));
}

function record(outbox: Outbox): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  outbox.events$.subscribe((e) => events.push(e));
  return events;
}

describe('a huge Retry-After', () => {
  it('is capped (one hour by default) and does not make the outbox drain in a loop', async () => {
    let calls = 0;
    const outbox = make({
      autoDrain: { intervalMs: false, online: false, visible: false },
      handlers: {
        w: async () => {
          calls++;
          // Thirty days: beyond what a timer holds (2³¹−1 ms), so an uncapped wait fires at once.
          throw new HttpError(503, { headers: { 'retry-after': String(30 * 24 * 3600) } });
        },
      },
    });
    const drains = vi.spyOn(outbox, 'drain');
    await outbox.enqueue('w', 1);
    for (let i = 0; i < 40; i++) {
      await vi.advanceTimersByTimeAsync(50);
      await settle(2);
    }
    expect(calls).toBe(1);
    expect(drains.mock.calls.length).toBeLessThanOrEqual(2);
    const [entry] = await outbox.list();
    expect(entry?.state).toBe('pending');
    // Due again an hour after the failed attempt (made within the first few ticks).
    expect(entry?.nextAttemptAt).toBeGreaterThanOrEqual(T0 + DEFAULT_MAX_RETRY_AFTER_MS);
    expect(entry?.nextAttemptAt).toBeLessThan(T0 + DEFAULT_MAX_RETRY_AFTER_MS + 2_000);
  });

  it('takes its cap from maxRetryAfterMs, which no more than a timer can hold', async () => {
    const outbox = make({
      maxRetryAfterMs: 10_000,
      handlers: {
        w: async () => {
          throw new HttpError(429, { headers: { 'retry-after': '86400' } });
        },
      },
    });
    await outbox.enqueue('w', 1);
    await outbox.drain();
    expect((await outbox.list())[0]?.nextAttemptAt).toBe(T0 + 10_000);
    expect(() => createOutbox({ ...bed.options, maxRetryAfterMs: MAX_TIMER_MS + 1 })).toThrow(
      'option "maxRetryAfterMs" must be ≤ 2147483647',
    );
    expect(() => createOutbox({ ...bed.options, autoDrain: { intervalMs: 30 * DAY } })).toThrow(
      'option "autoDrain.intervalMs"',
    );
  });

  it('dead-letters (expired) a write whose wait would end past its maxAge, at once', async () => {
    const outbox = make({
      maxAgeMs: DAY,
      maxRetryAfterMs: 2 * DAY,
      handlers: {
        w: async () => {
          throw new HttpError(503, { headers: { 'retry-after': String(2 * 24 * 3600) } });
        },
      },
    });
    const events = record(outbox);
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 1 });
    const [entry] = await outbox.list();
    expect(entry).toMatchObject({ state: 'dead', deadReason: 'expired', attempts: 1 });
    expect(entry?.lastFailure).toMatchObject({ status: 503 });
    expect(events.some((e) => e.type === 'dead-lettered' && e.reason === 'expired')).toBe(true);
  });
});

describe('retry() of an expired entry', () => {
  it('gives it a fresh maxAge, so the next drain sends it', async () => {
    const sent: unknown[] = [];
    let up = false;
    const outbox = make({
      maxAgeMs: DAY,
      handlers: {
        w: async (p: unknown) => {
          if (!up) throw new HttpError(503);
          sent.push(p);
        },
      },
    });
    await outbox.enqueue('w', 'note');
    await outbox.drain(); // fails, rescheduled
    vi.setSystemTime(T0 + 2 * DAY); // a long offline stretch
    expect(await outbox.drain()).toMatchObject({ dead: 1 });
    expect((await outbox.list())[0]).toMatchObject({ state: 'dead', deadReason: 'expired' });
    up = true;
    expect(await outbox.retry('dead')).toBe(1);
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(sent).toEqual(['note']);
    expect(await outbox.list()).toEqual([]);
  });

  it('counts the fresh age from the retry: it expires again a maxAge later', async () => {
    const outbox = make({
      maxAgeMs: DAY,
      handlers: {
        w: async () => {
          throw new HttpError(503);
        },
      },
    });
    const entry = await outbox.enqueue('w', 1);
    vi.setSystemTime(T0 + 2 * DAY);
    await outbox.drain();
    await outbox.retry([entry.id]);
    vi.setSystemTime(T0 + 2 * DAY + DAY - 10_000);
    expect(await outbox.drain()).toMatchObject({ retried: 1, dead: 0 });
    // Its created time is still when the user wrote it.
    expect((await outbox.list())[0]?.createdAt).toBe(T0);
    vi.setSystemTime(T0 + 3 * DAY);
    expect(await outbox.drain()).toMatchObject({ dead: 1 });
  });
});

/** Writes raw values into the outbox's store, as other code (or corruption) could. */
async function writeRaw(name: string, values: unknown[]): Promise<void> {
  const db = await openDatabase(bed.idb, name, () => {});
  const tx = db.transaction(ENTRIES_STORE, 'readwrite');
  for (const value of values) tx.objectStore(ENTRIES_STORE).put(value);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = reject;
  });
  db.close();
}

async function readRaw(name: string): Promise<unknown[]> {
  const db = await openDatabase(bed.idb, name, () => {});
  const request = db.transaction(ENTRIES_STORE).objectStore(ENTRIES_STORE).getAll();
  const values = await new Promise<unknown[]>(
    (resolve) => (request.onsuccess = () => resolve(request.result)),
  );
  db.close();
  return values;
}

const pendingRecord = (seq: number, id: string, channel = 'default') => ({
  v: RECORD_VERSION,
  seq,
  id,
  idempotencyKey: `k-${id}`,
  type: 'w',
  payload: id,
  channel,
  state: 'pending',
  attempts: 0,
  createdAt: T0,
  nextAttemptAt: T0,
});

/**
 * An IndexedDB whose open succeeds only when the test says so (an open waiting on another
 * tab, or a browser that never answers), or that reports it is blocked.
 */
function heldOpen(real: IDBFactory) {
  let release: (() => void) | undefined;
  let blocked: (() => void) | undefined;
  const factory = {
    open(name: string, version?: number) {
      const request = real.open(name, version);
      const proxy: Record<string, unknown> = {};
      Object.defineProperty(proxy, 'result', { get: () => request.result });
      Object.defineProperty(proxy, 'error', { get: () => request.error });
      const call = (key: string, event: Event) => (proxy[key] as ((e: Event) => void) | undefined)?.(event);
      request.onupgradeneeded = (event) => call('onupgradeneeded', event);
      request.onerror = (event) => call('onerror', event);
      request.onsuccess = (event) => (release = () => call('onsuccess', event));
      blocked = () => call('onblocked', new Event('blocked'));
      return proxy as unknown as IDBOpenDBRequest;
    },
  };
  return {
    factory: factory as unknown as IDBFactory,
    release: () => release?.(),
    block: () => blocked?.(),
  };
}

describe('an IndexedDB open that never settles or is blocked', () => {
  it('sends writes to memory after the time limit, says so, and takes the database up if it opens later', async () => {
    await writeRaw('h', [pendingRecord(1, 'from-last-visit')]);
    const held = heldOpen(bed.idb);
    const sent: unknown[] = [];
    const outbox = make({
      indexedDB: held.factory,
      handlers: { w: async (p: unknown) => void sent.push(p) },
    });
    const events = record(outbox);
    let done = false;
    const enqueued = outbox.enqueue('w', 'typed-now').then((e) => {
      done = true;
      return e;
    });
    await vi.advanceTimersByTimeAsync(OPEN_TIME_LIMIT_MS - 1);
    await settle();
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(done).toBe(true);
    expect((await enqueued).state).toBe('pending');
    expect(outbox.stats.storage).toBe('memory');
    expect(events.filter((e) => e.type === 'storage-fallback')).toHaveLength(1);
    // The browser answers at last: what the last visit left is delivered too, in order.
    held.release();
    await settle();
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(sent).toEqual(['from-last-visit', 'typed-now']);
    expect(await readRaw('h')).toEqual([]);
  });

  it('falls back at once when the open is blocked by another tab', async () => {
    const held = heldOpen(bed.idb);
    const outbox = make({ indexedDB: held.factory, handlers: { w: async () => undefined } });
    const events = record(outbox);
    const enqueued = outbox.enqueue('w', 1);
    await settle();
    held.block();
    expect((await enqueued).payload).toBe(1);
    expect(outbox.stats.storage).toBe('memory');
    expect(events.map((e) => e.type)).toContain('storage-fallback');
  });
});

describe('a storage error on one operation', () => {
  it('fails that operation only: a refused write during a drain hides and loses nothing', async () => {
    let up = false;
    const sent: unknown[] = [];
    const outbox = make({
      handlers: {
        w: async (p: unknown) => {
          if (!up) throw new HttpError(503);
          sent.push(p);
        },
      },
    });
    await outbox.enqueue('w', 'a', { channel: 'a' });
    await outbox.enqueue('w', 'b', { channel: 'b' });
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(outbox.drain()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    put.mockRestore();
    // Still on disk, still listed, still IndexedDB.
    expect((await outbox.list()).map((e) => e.payload).sort()).toEqual(['a', 'b']);
    expect(outbox.stats.storage).toBe('indexeddb');
    up = true;
    // Their leases (left by the refused bookkeeping) run out; the next drain delivers both.
    vi.setSystemTime(T0 + 61_000);
    expect(await outbox.drain()).toMatchObject({ delivered: 2 });
    expect(sent.sort()).toEqual(['a', 'b']);
    expect(await readRaw('h')).toEqual([]);
  });

  it('reads records one by one when reading them all fails, quarantining only the unreadable one', async () => {
    await writeRaw('h', [pendingRecord(1, 'one'), pendingRecord(2, 'bad'), pendingRecord(3, 'three')]);
    vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(() => {
      throw new DOMException('Failed to read a large value', 'NotReadableError');
    });
    const originalGet = IDBObjectStore.prototype.get;
    vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, key) {
      if (key === 2) throw new DOMException('Failed to read a large value', 'NotReadableError');
      return originalGet.call(this, key);
    });
    const sent: unknown[] = [];
    const outbox = make({ handlers: { w: async (p: unknown) => void sent.push(p) } });
    const events = record(outbox);
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(sent).toEqual(['one', 'three']);
    expect(await outbox.list()).toMatchObject([{ state: 'dead', deadReason: 'invalid' }]);
    expect(outbox.stats).toMatchObject({ storage: 'indexeddb', dead: 1 });
    // Reported once, however often it is read.
    await outbox.list();
    expect(events.filter((e) => e.type === 'quarantined')).toHaveLength(1);
  });

  it('sends new writes to the disk again once memory is empty and a while has passed', async () => {
    const outbox = make({ handlers: { w: async () => undefined } });
    await outbox.enqueue('w', 'disk');
    const original = IDBObjectStore.prototype.add;
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      value: unknown,
    ) {
      const request = original.call(this, value);
      this.transaction.abort();
      return request;
    });
    await outbox.enqueue('w', 'memory');
    add.mockRestore();
    expect(outbox.stats.storage).toBe('memory');
    await outbox.drain();
    vi.setSystemTime(T0 + DISK_RETRY_AFTER_MS);
    await outbox.enqueue('w', 'disk-again');
    expect(outbox.stats.storage).toBe('indexeddb');
    expect((await readRaw('h')).map((v) => (v as { payload: unknown }).payload)).toEqual(['disk-again']);
  });
});

describe('quarantine', () => {
  it('happens once: a record with a non-integer key is not wrapped again on every load', async () => {
    await writeRaw('h', [{ ...pendingRecord(1.5, 'odd') }]);
    const first = make();
    const events = record(first);
    await first.list();
    const once = await readRaw('h');
    expect(once).toMatchObject([{ state: 'dead', deadReason: 'invalid', id: 'odd' }]);
    for (let i = 0; i < 5; i++) await make().list();
    expect(await readRaw('h')).toEqual(once);
    expect(events.filter((e) => e.type === 'quarantined')).toHaveLength(1);
    expect(await first.list()).toMatchObject([{ id: 'odd', state: 'dead', deadReason: 'invalid' }]);
  });
});

describe('a record written by newer code', () => {
  it('holds its channel: a later write of that channel does not overtake it', async () => {
    await writeRaw('h', [{ ...pendingRecord(1, 'future', 'notes'), v: RECORD_VERSION + 1 }]);
    const sent: unknown[] = [];
    const outbox = make({ handlers: { w: async (p: unknown) => void sent.push(p) } });
    await outbox.enqueue('w', 'later-note', { channel: 'notes' });
    await outbox.enqueue('w', 'other', { channel: 'tags' });
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(sent).toEqual(['other']);
    expect(await outbox.list()).toMatchObject([{ payload: 'later-note', state: 'pending' }]);
  });
});

describe('credentials in a queued request', () => {
  const request = {
    url: 'https://app.example/api/notes?access_token=SECRET-QT&page=2&api_key=SECRET-QK',
    method: 'POST',
    headers: {
      'X-API-Key': 'SECRET-K1',
      'X-Auth-Token': 'SECRET-T1',
      'X-CSRF-Token': 'SECRET-C1',
      Authorization: 'Bearer SECRET-B',
      'X-Tenant': 'acme',
    },
    body: '{}',
  };

  it('are never stored by default: credential-like headers and query parameters are left out', async () => {
    const outbox = make({ http: outboxHttp() });
    await outbox.enqueueRequest(request);
    const [stored] = (await readRaw('h')) as Array<{ payload: { url: string; headers: string[][] } }>;
    expect(stored?.payload.headers).toEqual([['x-tenant', 'acme']]);
    expect(stored?.payload.url).toBe('https://app.example/api/notes?page=2');
    expect(JSON.stringify(stored)).not.toContain('SECRET');
  });

  it('are stored only when the app opts in by name', async () => {
    const outbox = make({ http: outboxHttp({ keepCredentials: ['X-CSRF-Token', 'api_key'] }) });
    await outbox.enqueueRequest(request);
    const [stored] = (await readRaw('h')) as Array<{ payload: { url: string; headers: string[][] } }>;
    expect(stored?.payload.headers).toEqual([
      ['x-csrf-token', 'SECRET-C1'],
      ['x-tenant', 'acme'],
    ]);
    expect(stored?.payload.url).toBe('https://app.example/api/notes?page=2&api_key=SECRET-QK');
  });
});
