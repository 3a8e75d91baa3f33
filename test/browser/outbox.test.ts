/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import {
  createOutbox,
  outboxHttp,
  type Outbox,
  type OutboxOptions,
  type OutboxStats,
} from '@bulletproof/core';
import { afterEach, describe, expect, it } from 'vitest';

// The outbox on Chromium's own IndexedDB, Web Locks and BroadcastChannel. A "reload" or a
// "crash" is a second outbox opening the same database while the first is left as it was.

const opened: Outbox[] = [];
const names: string[] = [];

const uniqueName = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

function outbox(name: string, o: OutboxOptions = {}): Outbox {
  const created = createOutbox({ name, autoDrain: false, window: false, ...o });
  opened.push(created);
  if (!names.includes(name)) names.push(name);
  return created;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(`bulletproof-outbox-${name}`);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

function rawRecords(name: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(`bulletproof-outbox-${name}`);
    open.onerror = () => reject(open.error ?? new Error('open failed'));
    open.onsuccess = () => {
      const db = open.result;
      const request = db.transaction('entries').objectStore('entries').getAll();
      request.onsuccess = () => {
        db.close();
        resolve(request.result as Array<Record<string, unknown>>);
      };
    };
  });
}

function writeRaw(name: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(`bulletproof-outbox-${name}`);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('entries', 'readwrite');
      tx.objectStore('entries').put(value);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    };
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close().catch(() => {})));
  await Promise.all(names.splice(0).map((name) => deleteDatabase(name)));
});

describe('outbox in Chromium', () => {
  it('an enqueue that resolved survives a crash: a second outbox on the database has it', async () => {
    const name = uniqueName('crash');
    const before = outbox(name);
    const entries = await Promise.all(
      [1, 2, 3].map((n) => before.enqueue('note', { n, at: new Date(1_700_000_000_000) })),
    );
    // No close(): the page "crashes" with its connection open.
    const after = outbox(name);
    const listed = await after.list();
    expect(listed.map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect(listed[0]?.payload).toEqual({ n: 1, at: new Date(1_700_000_000_000) });
    expect(after.stats.storage).toBe('indexeddb');
  });

  it('stores HTTP bodies as bytes (never Blobs) for JSON, text, forms, FormData and binary', async () => {
    const name = uniqueName('bodies');
    const box = outbox(name, { http: outboxHttp() });
    const form = new FormData();
    form.set('title', 'Groceries');
    form.set('photo', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'p.png');
    const bodies: Array<[BodyInit, string]> = [
      [JSON.stringify({ a: 1 }), 'text/plain;charset=UTF-8'],
      [new URLSearchParams({ q: 'x y' }), 'application/x-www-form-urlencoded;charset=UTF-8'],
      [form, 'multipart/form-data; boundary='],
      [
        new Blob([new Uint8Array([1, 2, 3])], { type: 'application/octet-stream' }),
        'application/octet-stream',
      ],
      [new Uint8Array([9, 8, 7]), ''],
    ];
    for (const [body] of bodies) await box.enqueueRequest({ url: '/api/upload', method: 'POST', body });
    const raw = await rawRecords(name);
    expect(raw).toHaveLength(bodies.length);
    raw.forEach((record, i) => {
      const payload = record.payload as { body: unknown; contentType?: string; url: string };
      expect(Object.prototype.toString.call(payload.body)).toBe('[object Uint8Array]');
      expect(payload.contentType ?? '').toContain(bodies[i]?.[1] ?? '');
      expect(payload.url).toBe(new URL('/api/upload', location.href).href);
    });
    // The FormData comes back whole when replayed.
    const sent: Request[] = [];
    const replay = outbox(name, {
      http: outboxHttp({
        fetch: async (input) => {
          sent.push((input as Request).clone());
          return new Response(null, { status: 201 });
        },
      }),
    });
    expect(await replay.drain()).toMatchObject({ delivered: bodies.length });
    const replayedForm = await sent[2]?.formData();
    expect(replayedForm?.get('title')).toBe('Groceries');
    const photo = replayedForm?.get('photo') as File;
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
    expect(new Uint8Array(await sent[4]!.arrayBuffer())).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('one drainer at a time through a real Web Lock; another outbox of the page joins its drain', async () => {
    expect(navigator.locks).toBeDefined();
    const name = uniqueName('locks');
    const gate = deferred();
    const a = outbox(name, { handlers: { w: () => gate.promise } });
    const b = outbox(name, { handlers: { w: async () => undefined } });
    await a.enqueue('w', 1);
    const draining = a.drain();
    await expect
      .poll(async () =>
        (await navigator.locks.query()).held?.some((l) => l.name === `bulletproof-outbox-${name}`),
      )
      .toBe(true);
    const joined = b.drain();
    expect(joined).toBe(draining);
    gate.resolve();
    expect(await joined).toEqual({ delivered: 1, retried: 0, dead: 0 });
  });

  it('takes back at once an entry left in flight by a page that died (it held the Web Lock)', async () => {
    const name = uniqueName('orphan');
    const seed = outbox(name);
    const entry = await seed.enqueue('w', 'left behind');
    await seed.close();
    const [record] = await rawRecords(name);
    // As a page leaves it when it dies mid-delivery: in flight, lease far in the future.
    await writeRaw(name, { ...record, state: 'in-flight', leaseUntil: Date.now() + 3_600_000 });
    const delivered: unknown[] = [];
    const box = outbox(name, {
      handlers: {
        w: async (p: unknown, ctx) => void delivered.push([p, ctx.idempotencyKey]),
      },
    });
    expect(await box.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(delivered).toEqual([['left behind', entry.idempotencyKey]]);
  });

  it('keeps stats$ live in a page that does not drain (BroadcastChannel)', async () => {
    const name = uniqueName('stats');
    const drainer = outbox(name, { handlers: { w: async () => undefined } });
    const watcher = outbox(name);
    const seen: OutboxStats[] = [];
    watcher.stats$.subscribe((s) => seen.push(s));
    await drainer.enqueue('w', 1);
    await drainer.enqueue('w', 2);
    await expect.poll(() => seen.at(-1)?.pending).toBe(2);
    await drainer.drain();
    await expect.poll(() => seen.at(-1)?.pending).toBe(0);
  });

  it('falls back to memory when IndexedDB will not open, and still delivers', async () => {
    const refusing = {
      open: () => {
        throw new DOMException('blocked by the user', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const delivered: number[] = [];
    const box = outbox(uniqueName('memory'), {
      indexedDB: refusing,
      handlers: { w: async (p: number) => void delivered.push(p) },
    });
    const kinds: string[] = [];
    box.events$.subscribe((e) => kinds.push(e.type));
    await box.enqueue('w', 1);
    await box.enqueue('w', 2);
    expect(box.stats.storage).toBe('memory');
    expect(kinds).toContain('storage-fallback');
    await box.drain();
    expect(delivered).toEqual([1, 2]);
  });
});
