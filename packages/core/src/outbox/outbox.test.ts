/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import type { ConnectivityMonitor, ConnectivitySnapshot } from '../connectivity/types.js';
import { HttpError } from '../failure/errors.js';
import { constantBackoff, exponentialBackoff } from '../policy/backoff.js';
import { pipeline } from '../policy/pipeline.js';
import { OPEN_TIME_LIMIT_MS } from './fallback-store.js';
import { ENTRIES_STORE, openDatabase } from './idb-store.js';
import { createOutbox } from './outbox.js';
import { outboxHttp } from './outbox-http.js';
import { RECORD_VERSION } from './schema.js';
import type { Outbox, OutboxEvent, OutboxHandler, OutboxOptions, OutboxStats } from './types.js';
import { deferred } from '../test-support/deferred.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates as settle } from '../test-support/settle.js';
import { ValueEmitter } from '../observable.js';

const T0 = 1_000_000;
const noJitter = exponentialBackoff({ initialMs: 1_000, maxMs: 300_000, jitter: 'none' });

const bed = outboxTestBed({ fakeTimeFrom: T0 });

/** An outbox on a fresh fake IndexedDB, with nothing automatic: each test says what it needs. */
function make(o: OutboxOptions = {}): Outbox {
  return bed.closeAfter(createOutbox({ name: 't', ...bed.options, backoff: noJitter, ...o }));
}

function record(outbox: Outbox): OutboxEvent[] {
  const events: OutboxEvent[] = [];
  outbox.events$.subscribe((e) => events.push(e));
  return events;
}

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

const ok: OutboxHandler = async () => undefined;

describe('enqueue', () => {
  it('resolves with the entry once committed: a fresh outbox finds it', async () => {
    const outbox = make();
    const entry = await outbox.enqueue('note', { title: 'a' }, { channel: 'notes' });
    expect(entry).toMatchObject({
      type: 'note',
      payload: { title: 'a' },
      channel: 'notes',
      state: 'pending',
      attempts: 0,
      createdAt: T0,
      nextAttemptAt: T0,
    });
    expect(entry.idempotencyKey).toBe(entry.id);
    await outbox.close();
    const reopened = make();
    expect(await reopened.list()).toEqual([entry]);
  });

  it('uses the idempotency key and channel it is given', async () => {
    const entry = await make().enqueue('note', 1, { idempotencyKey: 'key-1' });
    expect(entry).toMatchObject({ idempotencyKey: 'key-1', channel: 'default' });
  });

  it('shares one transaction among the enqueues of a tick', async () => {
    const outbox = make();
    await outbox.enqueue('warm-up', 0);
    const add = vi.spyOn(IDBObjectStore.prototype, 'add');
    const entries = await Promise.all(Array.from({ length: 100 }, (_, i) => outbox.enqueue('note', i)));
    expect(add).toHaveBeenCalledTimes(100);
    expect(new Set(add.mock.contexts).size).toBe(1);
    expect(new Set(entries.map((e) => e.id)).size).toBe(100);
  });

  it('fails alone for a payload that cannot be stored', async () => {
    const outbox = make();
    const results = await Promise.allSettled([
      outbox.enqueue('note', 'a'),
      outbox.enqueue('note', { fn: () => 1 }),
      outbox.enqueue('note', 'c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await outbox.list()).map((e) => e.payload)).toEqual(['a', 'c']);
    expect(outbox.stats.storage).toBe('indexeddb');
  });

  it('refuses bad arguments and a closed outbox', async () => {
    const outbox = make();
    await expect(outbox.enqueue('', 1)).rejects.toThrow('enqueue(): type must not be empty (received "")');
    await expect(outbox.enqueue(7 as never, 1)).rejects.toThrow(
      'enqueue(): type must be a string (received 7)',
    );
    await expect(outbox.enqueue('x', 1, { idempotencyKey: '' })).rejects.toThrow(
      'enqueue(): option "idempotencyKey" must not be empty (received "")',
    );
    await expect(outbox.enqueue('x', 1, { channel: 3 as never })).rejects.toThrow(
      'enqueue(): option "channel" must be a string (received 3)',
    );
    await expect(outbox.enqueue('http', { url: '/x' })).rejects.toThrow(/enqueueRequest/);
    expect(() => make({ durability: 'fast' as never })).toThrow(
      'createOutbox(): option "durability" must be one of "strict", "relaxed", "default" (received "fast")',
    );
    await outbox.close();
    await expect(outbox.enqueue('x', 1)).rejects.toThrow(/closed/);
    await expect(outbox.drain()).rejects.toThrow(/closed/);
  });

  it('emits enqueued', async () => {
    const outbox = make();
    const events = record(outbox);
    const entry = await outbox.enqueue('note', 1);
    expect(events).toEqual([{ type: 'enqueued', entry }]);
  });
});

describe('delivery order', () => {
  it('delivers each channel in enqueue order, one in flight per channel, `concurrency` channels at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const inFlightByChannel = new Map<string, number>();
    const delivered: string[] = [];
    const handler: OutboxHandler<{ c: string; i: number }> = async (p, ctx) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const mine = (inFlightByChannel.get(ctx.entry.channel) ?? 0) + 1;
      inFlightByChannel.set(ctx.entry.channel, mine);
      expect(mine).toBe(1);
      // Uneven delivery times, so channels interleave.
      for (let k = 0; k < ((p.i * 7 + p.c.charCodeAt(0)) % 4) * 10; k++)
        await new Promise((r) => setImmediate(r));
      delivered.push(`${p.c}${p.i}`);
      inFlightByChannel.set(ctx.entry.channel, mine - 1);
      inFlight--;
    };
    const outbox = make({ handlers: { w: handler }, concurrency: 2 });
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 6; i++)
      for (const c of ['a', 'b', 'c']) writes.push(outbox.enqueue('w', { c, i }, { channel: c }));
    await Promise.all(writes);
    const report = await outbox.drain();
    expect(report).toEqual({ delivered: 18, retried: 0, dead: 0 });
    expect(maxInFlight).toBe(2);
    for (const c of ['a', 'b', 'c']) {
      expect(delivered.filter((d) => d.startsWith(c))).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${c}${i}`));
    }
    expect(await outbox.list()).toEqual([]);
  });

  it('holds a channel behind a failed head, while other channels go on', async () => {
    const delivered: string[] = [];
    let failA1 = true;
    const handler: OutboxHandler<string> = async (p) => {
      if (p === 'a1' && failA1) throw new HttpError(503);
      delivered.push(p);
    };
    const outbox = make({ handlers: { w: handler } });
    for (const [p, c] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['b2', 'b'],
    ] as const)
      await outbox.enqueue('w', p, { channel: c });
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 1, dead: 0 });
    expect(delivered).toEqual(['b1', 'b2']);
    // Not due yet: nothing overtakes a1.
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    failA1 = false;
    vi.setSystemTime(T0 + 1_000);
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(delivered).toEqual(['b1', 'b2', 'a1', 'a2']);
  });

  it('does not let a dead entry block its channel', async () => {
    const delivered: string[] = [];
    const handler: OutboxHandler<string> = async (p) => {
      if (p === 'bad') throw new HttpError(422);
      delivered.push(p);
    };
    const outbox = make({ handlers: { w: handler } });
    for (const p of ['one', 'bad', 'two']) await outbox.enqueue('w', p);
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 0, dead: 1 });
    expect(delivered).toEqual(['one', 'two']);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
  });

  it('delivers entries enqueued during a drain in the same drain', async () => {
    const delivered: number[] = [];
    const handler: OutboxHandler<number> = async (p) => {
      delivered.push(p);
      if (p < 3) await outbox.enqueue('w', p + 1);
    };
    const outbox = make({ handlers: { w: handler } });
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toEqual({ delivered: 3, retried: 0, dead: 0 });
    expect(delivered).toEqual([1, 2, 3]);
    expect(await outbox.list()).toEqual([]);
  });

  it('keeps order across a restart', async () => {
    const first = make();
    for (let i = 0; i < 5; i++) await first.enqueue('w', i);
    await first.close();
    const delivered: number[] = [];
    const second = make({
      handlers: { w: async (p: number) => void delivered.push(p) },
    });
    await second.drain();
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
  });

  it('joins a drain under way instead of starting a second one', async () => {
    const gate = deferred();
    const handler = vi.fn(async () => gate.promise);
    const outbox = make({ handlers: { w: handler } });
    await outbox.enqueue('w', 1);
    const first = outbox.drain();
    await settle();
    const second = outbox.drain();
    expect(second).toBe(first);
    gate.resolve();
    expect(await first).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('delivery guarantees', () => {
  it('keeps the entry, in flight, until its handler resolves, and deletes it only then', async () => {
    const gate = deferred();
    const outbox = make({ handlers: { w: async () => gate.promise } });
    const entry = await outbox.enqueue('w', 1);
    const draining = outbox.drain();
    await settle();
    const raw = (await readRaw('t')) as Array<{ id: string; state: string; leaseUntil: number }>;
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatchObject({ id: entry.id, state: 'in-flight', leaseUntil: T0 + 60_000 });
    expect(outbox.stats).toMatchObject({ pending: 0, inFlight: 1, draining: true });
    gate.resolve();
    await draining;
    expect(await readRaw('t')).toEqual([]);
    expect(outbox.stats).toMatchObject({ pending: 0, inFlight: 0, draining: false });
  });

  it('gives the handler the payload, key, attempt number and an abortable signal', async () => {
    const handler = vi.fn(async () => {
      throw new HttpError(500);
    });
    const outbox = make({ handlers: { w: handler } });
    const entry = await outbox.enqueue('w', { x: 1 }, { idempotencyKey: 'k' });
    await outbox.drain();
    vi.setSystemTime(T0 + 1_000);
    await outbox.drain();
    const calls = handler.mock.calls as unknown as Array<
      [unknown, { idempotencyKey: string; attempt: number; signal: AbortSignal; entry: { id: string } }]
    >;
    expect(calls.map(([p, c]) => [p, c.idempotencyKey, c.attempt, c.entry.id])).toEqual([
      [{ x: 1 }, 'k', 1, entry.id],
      [{ x: 1 }, 'k', 2, entry.id],
    ]);
    expect(calls[0]?.[1].signal).toBeInstanceOf(AbortSignal);
  });

  it('releases what is in flight when closed, without counting the attempt', async () => {
    const outbox = make({
      handlers: {
        w: (_p, ctx) =>
          new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
          ),
      },
    });
    await outbox.enqueue('w', 1);
    const draining = outbox.drain();
    await settle();
    await outbox.close();
    expect(await draining).toEqual({ delivered: 0, retried: 0, dead: 0 });
    const [raw] = (await readRaw('t')) as Array<{ state: string; attempts: number; leaseUntil?: number }>;
    expect(raw).toMatchObject({ state: 'pending', attempts: 0 });
    expect(raw).not.toHaveProperty('leaseUntil');
  });

  it('aborts a drain on its signal', async () => {
    const handler = vi.fn(
      (_p: never, ctx: { signal: AbortSignal }) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
        ),
    );
    const outbox = make({ handlers: { w: handler } });
    await outbox.enqueue('w', 1);
    await outbox.enqueue('w', 2);
    const controller = new AbortController();
    const draining = outbox.drain({ signal: controller.signal });
    await settle();
    controller.abort();
    expect(await draining).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(handler).toHaveBeenCalledTimes(1);
    expect((await outbox.list()).map((e) => [e.state, e.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
  });
});

describe('failures', () => {
  it('reschedules retryable failures on the backoff schedule, counting attempts', async () => {
    const outbox = make({
      handlers: {
        w: async () => {
          throw new HttpError(503);
        },
      },
    });
    const events = record(outbox);
    await outbox.enqueue('w', 1);
    const delays: number[] = [];
    let now = T0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 0 });
      const [entry] = await outbox.list();
      expect(entry?.attempts).toBe(attempt);
      delays.push((entry?.nextAttemptAt ?? 0) - now);
      expect(entry?.lastFailure).toEqual({ category: 'server', message: 'HTTP 503', status: 503 });
      now = entry?.nextAttemptAt ?? 0;
      vi.setSystemTime(now - 1);
      expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
      vi.setSystemTime(now);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    const scheduled = events.filter((e) => e.type === 'retry-scheduled');
    expect(scheduled.map((e) => [e.delayMs, e.failure.category])).toEqual([
      [1_000, 'server'],
      [2_000, 'server'],
      [4_000, 'server'],
      [8_000, 'server'],
    ]);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const outbox = make({
      handlers: {
        w: async () => {
          throw new HttpError(429, { headers: { 'retry-after': '30' } });
        },
      },
    });
    await outbox.enqueue('w', 1);
    await outbox.drain();
    const [entry] = await outbox.list();
    expect(entry?.nextAttemptAt).toBe(T0 + 30_000);
    expect(entry?.lastFailure?.category).toBe('rate-limited');
  });

  it('feeds the previous delay to the backoff (decorrelated jitter needs it)', async () => {
    const delay = vi.fn((attempt: number) => attempt * 100);
    const outbox = make({
      backoff: { delay },
      handlers: {
        w: async () => {
          throw new HttpError(500);
        },
      },
    });
    await outbox.enqueue('w', 1);
    await outbox.drain();
    vi.setSystemTime(T0 + 100);
    await outbox.drain();
    expect(delay.mock.calls).toEqual([
      [1, undefined],
      [2, 100],
    ]);
  });

  it('times an attempt out with the default policy (15 s) and retries it', async () => {
    const outbox = make({ handlers: { w: () => new Promise(() => {}) } });
    await outbox.enqueue('w', 1);
    const draining = outbox.drain();
    await settle();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(await draining).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const [entry] = await outbox.list();
    expect(entry).toMatchObject({ state: 'pending', attempts: 1, lastFailure: { category: 'timeout' } });
  });

  it('dead-letters by reason: rejected, max-attempts, expired, unknown-type', async () => {
    const outbox = make({
      maxAttempts: 2,
      maxAgeMs: 60_000,
      handlers: {
        reject: async () => {
          throw new HttpError(422);
        },
        flaky: async () => {
          throw new TypeError('Failed to fetch');
        },
        slow: async () => {
          throw new HttpError(500);
        },
      },
    });
    const events = record(outbox);
    await outbox.enqueue('reject', 1, { channel: 'r' });
    await outbox.enqueue('flaky', 1, { channel: 'f' });
    await outbox.enqueue('mystery', 1, { channel: 'm' });
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 2 });
    vi.setSystemTime(T0 + 1_000);
    await outbox.enqueue('slow', 1, { channel: 's' });
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 1 });
    vi.setSystemTime(T0 + 1_000 + 60_000);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 1 });
    const dead = await outbox.list({ state: 'dead' });
    expect(Object.fromEntries(dead.map((e) => [e.type, [e.deadReason, e.attempts]]))).toEqual({
      reject: ['rejected', 1],
      flaky: ['max-attempts', 2],
      mystery: ['unknown-type', 0],
      slow: ['expired', 1],
    });
    expect(dead.find((e) => e.type === 'reject')?.lastFailure).toMatchObject({
      category: 'client',
      status: 422,
    });
    const reasons = events.filter((e) => e.type === 'dead-lettered').map((e) => e.reason);
    expect(reasons.sort()).toEqual(['expired', 'max-attempts', 'rejected', 'unknown-type']);
  });

  it('delivers at once after the wall clock is set back: a write is never held for the length of the jump', async () => {
    let fail = true;
    const outbox = make({
      handlers: {
        w: async () => {
          if (fail) throw new HttpError(503);
        },
      },
    });
    await outbox.enqueue('w', 1);
    // The first attempt fails: the next one is due in 1 s.
    expect(await outbox.drain()).toMatchObject({ retried: 1 });
    fail = false;
    // NTP (or the user) sets the clock back an hour; a write made now is due at once too.
    vi.setSystemTime(T0 - 3_600_000);
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(await outbox.list()).toEqual([]);
  });

  it('keeps a write whose key the server is still processing (409 after a timed-out attempt), then delivers it', async () => {
    // The IETF Idempotency-Key draft: a repeat of a key whose first request is still being
    // processed gets 409 Conflict. The write is being applied: it is not refused.
    let calls = 0;
    const outbox = make({
      handlers: {
        w: async () => {
          calls++;
          if (calls === 1) throw new TypeError('Failed to fetch');
          if (calls === 2) throw new HttpError(409);
          return undefined;
        },
      },
    });
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    vi.setSystemTime(T0 + 1_000);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    expect(await outbox.list({ state: 'dead' })).toEqual([]);
    vi.setSystemTime(T0 + 1_000 + 2_000);
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(calls).toBe(3);
  });

  it('keeps a write queued after its caller sent the key (a key not its id) when the server answers 409', async () => {
    const outbox = make({
      handlers: {
        w: async () => {
          throw new HttpError(409);
        },
      },
    });
    await outbox.enqueue('w', 1, { idempotencyKey: 'sent-by-protect' });
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 0 });
  });

  it('still refuses a 409 to the first attempt of a key (a real conflict)', async () => {
    const outbox = make({
      handlers: {
        w: async () => {
          throw new HttpError(409);
        },
      },
    });
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 1 });
  });

  it('never loses the entry when a handler throws something unclassifiable', async () => {
    const outbox = make({
      handlers: {
        w: async () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- what careless code throws
          throw 'just a string';
        },
      },
    });
    await outbox.enqueue('w', 1);
    await outbox.drain();
    expect(await outbox.list()).toHaveLength(1);
  });
});

describe('auth', () => {
  it('pauses on an auth failure without counting it, until resume()', async () => {
    let authorised = false;
    const delivered: string[] = [];
    const handler: OutboxHandler<string> = async (p) => {
      if (!authorised) throw new HttpError(401);
      delivered.push(p);
    };
    const outbox = make({ handlers: { w: handler }, concurrency: 1 });
    const events = record(outbox);
    await outbox.enqueue('w', 'a', { channel: 'a' });
    await outbox.enqueue('w', 'b', { channel: 'b' });
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0, skipped: 'paused' });
    expect(outbox.stats.paused).toBe(true);
    const auth = events.filter((e) => e.type === 'auth-required');
    expect(auth).toHaveLength(1);
    expect(auth[0]?.type === 'auth-required' && auth[0].failure.status).toBe(401);
    expect((await outbox.list()).map((e) => [e.state, e.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0, skipped: 'paused' });
    authorised = true;
    outbox.resume();
    expect(outbox.stats.paused).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    await outbox.drain();
    expect(delivered).toEqual(['a', 'b']);
  });
});

describe('offline', () => {
  function monitor(status: ConnectivitySnapshot['status']) {
    const state = new ValueEmitter<ConnectivitySnapshot>({ status, quality: 'unknown', since: T0 });
    const fake = {
      get snapshot() {
        return state.value;
      },
      state$: state.observable,
      check: async () => state.value,
      report: () => {},
      probeSoon: () => {},
      dispose: () => {},
    } satisfies ConnectivityMonitor;
    return { fake, set: (s: ConnectivitySnapshot['status']) => state.next({ ...state.value, status: s }) };
  }

  it('makes no attempt while the browser says offline', async () => {
    const handler = vi.fn(ok);
    const win = Object.assign(new EventTarget(), { navigator: { onLine: false } });
    const outbox = make({ handlers: { w: handler }, window: win });
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0, skipped: 'offline' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('makes no attempt while the monitor says offline, and drains when it is back', async () => {
    const handler = vi.fn(ok);
    const { fake, set } = monitor('offline');
    const outbox = make({
      handlers: { w: handler },
      connectivity: fake,
      autoDrain: { intervalMs: false, afterEnqueue: false },
    });
    await outbox.enqueue('w', 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.drain()).toMatchObject({ skipped: 'offline' });
    set('online');
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(await outbox.list()).toEqual([]);
  });

  it('makes entries waiting out a backoff due at once when the connection comes back', async () => {
    let failing = true;
    const handler = vi.fn(async () => {
      if (failing) throw new TypeError('Failed to fetch');
    });
    const { fake, set } = monitor('online');
    const outbox = make({
      handlers: { w: handler },
      connectivity: fake,
      backoff: constantBackoff(60_000),
      autoDrain: { intervalMs: false, afterEnqueue: false },
    });
    await outbox.enqueue('w', 1);
    expect(await outbox.drain()).toMatchObject({ retried: 1 });
    expect((await outbox.list())[0]?.nextAttemptAt).toBe(T0 + 60_000);
    failing = false;
    set('unreachable');
    await vi.advanceTimersByTimeAsync(0);
    expect(handler).toHaveBeenCalledTimes(1);
    set('online');
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(handler).toHaveBeenCalledTimes(2);
    expect(await outbox.list()).toEqual([]);
  });

  it('does not hold a failure against the entry when the network went away mid-drain', async () => {
    const win = Object.assign(new EventTarget(), { navigator: { onLine: true } });
    const handler = vi.fn(async () => {
      win.navigator.onLine = false;
      throw new TypeError('Failed to fetch');
    });
    const outbox = make({ handlers: { w: handler }, window: win });
    await outbox.enqueue('w', 1, { channel: 'a' });
    await outbox.enqueue('w', 2, { channel: 'a' });
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0, skipped: 'offline' });
    expect(handler).toHaveBeenCalledTimes(1);
    expect((await outbox.list()).map((e) => [e.state, e.attempts, e.nextAttemptAt])).toEqual([
      ['pending', 0, T0],
      ['pending', 0, T0],
    ]);
  });
});

describe('validation on read', () => {
  const base = {
    v: RECORD_VERSION,
    type: 'w',
    channel: 'default',
    state: 'pending',
    attempts: 0,
    createdAt: T0,
    nextAttemptAt: T0,
  };

  it('quarantines invalid records (raw value kept) and delivers the rest', async () => {
    const delivered: unknown[] = [];
    const outbox = make({
      handlers: { w: async (p: unknown) => void delivered.push(p) },
    });
    const events = record(outbox);
    await outbox.enqueue('w', 'first');
    const broken = { ...base, id: 'broken', idempotencyKey: 'kb', payload: 'x', attempts: 'lots' };
    await writeRaw('t', [broken, { ...base, id: 'good', idempotencyKey: 'kg', payload: 'second' }]);
    const report = await outbox.drain();
    expect(report).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(delivered).toEqual(['first', 'second']);
    const [dead] = await outbox.list({ state: 'dead' });
    expect(dead).toMatchObject({ id: 'broken', deadReason: 'invalid', state: 'dead' });
    expect(dead?.payload).toEqual({ ...broken, seq: 2 });
    const quarantined = events.find((e) => e.type === 'quarantined');
    expect(quarantined?.type === 'quarantined' && quarantined.issues.join()).toContain('attempts');
    // Quarantined for good: retry cannot revive it, discard removes it.
    expect(await outbox.retry('dead')).toBe(0);
    expect(await outbox.retry(['broken'])).toBe(0);
    expect(await outbox.discard(['broken'])).toBe(1);
    expect(await readRaw('t')).toEqual([]);
  });

  it('leaves records written by newer code untouched', async () => {
    const handler = vi.fn(ok);
    const outbox = make({ handlers: { w: handler } });
    await outbox.enqueue('w', 'mine');
    const future = {
      ...base,
      v: RECORD_VERSION + 1,
      id: 'f',
      idempotencyKey: 'kf',
      payload: 'theirs',
      shape: 'new',
    };
    await writeRaw('t', [future]);
    await outbox.drain();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(await outbox.list()).toEqual([]);
    expect(await readRaw('t')).toEqual([{ ...future, seq: 2 }]);
  });
});

describe('storage failure', () => {
  it('keeps entries in memory when IndexedDB cannot be opened, and says so', async () => {
    vi.spyOn(bed.idb, 'open').mockImplementation(() => {
      throw new DOMException('The user denied storage', 'SecurityError');
    });
    const delivered: unknown[] = [];
    const outbox = make({
      handlers: { w: async (p: unknown) => void delivered.push(p) },
    });
    const events = record(outbox);
    await outbox.enqueue('w', 1);
    await outbox.enqueue('w', 2);
    expect(outbox.stats).toMatchObject({ storage: 'memory', pending: 2 });
    const fallback = events.filter((e) => e.type === 'storage-fallback');
    expect(fallback).toHaveLength(1);
    await outbox.drain();
    expect(delivered).toEqual([1, 2]);
  });

  it('works without any IndexedDB', async () => {
    const outbox = createOutbox({
      name: 'none',
      autoDrain: false,
      locks: false,
      BroadcastChannel: false,
      window: false,
      handlers: { w: ok },
    });
    bed.closeAfter(outbox);
    if (typeof indexedDB !== 'undefined') return; // Only meaningful where there is none (Node).
    await outbox.enqueue('w', 1);
    expect(outbox.stats.storage).toBe('memory');
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
  });

  it('moves to memory on a refused write (quota), dropping nothing and keeping order', async () => {
    const delivered: unknown[] = [];
    const outbox = make({
      handlers: { w: async (p: unknown) => void delivered.push(p) },
    });
    const events = record(outbox);
    await outbox.enqueue('w', 'disk-1');
    await outbox.enqueue('w', 'disk-2');
    const original = IDBObjectStore.prototype.add;
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      value: unknown,
    ) {
      const request = original.call(this, value);
      this.transaction.abort();
      return request;
    });
    const burst = await Promise.all([outbox.enqueue('w', 'mem-1'), outbox.enqueue('w', 'mem-2')]);
    add.mockRestore();
    expect(burst.map((e) => e.payload)).toEqual(['mem-1', 'mem-2']);
    expect(outbox.stats).toMatchObject({ storage: 'memory', pending: 4 });
    expect(events.filter((e) => e.type === 'storage-fallback')).toHaveLength(1);
    await outbox.drain();
    expect(delivered).toEqual(['disk-1', 'disk-2', 'mem-1', 'mem-2']);
    expect(await readRaw('t')).toEqual([]);
  });
});

describe('inspection and repair', () => {
  it('lists by state, retries dead or chosen entries, discards', async () => {
    const outbox = make({
      handlers: {
        bad: async () => {
          throw new HttpError(400);
        },
        slow: async () => {
          throw new HttpError(500);
        },
      },
    });
    const events = record(outbox);
    const dead1 = await outbox.enqueue('bad', 1, { channel: 'x' });
    const dead2 = await outbox.enqueue('bad', 2, { channel: 'y' });
    const slow = await outbox.enqueue('slow', 3, { channel: 'z' });
    await outbox.drain();
    expect((await outbox.list({ state: 'dead' })).map((e) => e.id)).toEqual([dead1.id, dead2.id]);
    expect((await outbox.list({ state: 'pending' })).map((e) => e.id)).toEqual([slow.id]);
    expect(outbox.stats).toMatchObject({ pending: 1, dead: 2, oldestPendingAt: T0 });

    expect(await outbox.retry([dead1.id])).toBe(1);
    const [revived] = await outbox.list({ state: 'pending' });
    expect(revived).toMatchObject({ id: dead1.id, attempts: 0, state: 'pending' });
    expect(revived).not.toHaveProperty('deadReason');
    // A pending entry waiting on backoff becomes due now.
    vi.setSystemTime(T0 + 10);
    expect(await outbox.retry([slow.id])).toBe(1);
    expect((await outbox.list()).find((e) => e.id === slow.id)?.nextAttemptAt).toBe(T0 + 10);
    expect(await outbox.retry('dead')).toBe(1);
    expect(await outbox.retry(['nope'])).toBe(0);

    expect(await outbox.discard([dead2.id, slow.id, 'nope'])).toBe(2);
    expect(events.filter((e) => e.type === 'discarded')).toEqual([
      { type: 'discarded', ids: [dead2.id, slow.id] },
    ]);
    expect((await outbox.list()).map((e) => e.id)).toEqual([dead1.id]);
    await expect(outbox.retry('all' as never)).rejects.toThrow(TypeError);
    await expect(outbox.discard('x' as never)).rejects.toThrow(TypeError);
  });

  it('never brings back an entry discarded while in flight', async () => {
    const gate = deferred();
    const outbox = make({
      handlers: {
        w: async () => {
          await gate.promise;
          throw new HttpError(500);
        },
      },
    });
    const entry = await outbox.enqueue('w', 1);
    const draining = outbox.drain();
    await settle();
    expect(await outbox.discard([entry.id])).toBe(1);
    gate.resolve();
    expect(await draining).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(await readRaw('t')).toEqual([]);
  });
});

describe('claiming the next entry as the previous completes', () => {
  it('skips nothing and sends nothing discarded: a next entry discarded mid-delivery stays gone', async () => {
    const gate = deferred();
    const delivered: string[] = [];
    const handler: OutboxHandler<string> = async (p) => {
      if (p === 'one') await gate.promise;
      delivered.push(p);
    };
    const outbox = make({ handlers: { w: handler } });
    await outbox.enqueue('w', 'one');
    const two = await outbox.enqueue('w', 'two');
    await outbox.enqueue('w', 'three');
    const draining = outbox.drain();
    await settle();
    expect(await outbox.discard([two.id])).toBe(1);
    gate.resolve();
    expect(await draining).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(delivered).toEqual(['one', 'three']);
    expect(await readRaw('t')).toEqual([]);
  });

  it('claims nothing more once the drain is aborted mid-channel', async () => {
    const controller = new AbortController();
    const handler: OutboxHandler<string> = async () => {
      controller.abort();
    };
    const outbox = make({ handlers: { w: handler } });
    await outbox.enqueue('w', 'one');
    await outbox.enqueue('w', 'two');
    expect(await outbox.drain({ signal: controller.signal })).toEqual({ delivered: 1, retried: 0, dead: 0 });
    const [left] = (await readRaw('t')) as Array<{ payload: string; state: string; attempts: number }>;
    expect(left).toMatchObject({ payload: 'two', state: 'pending', attempts: 0 });
  });
});

describe('stats', () => {
  it('pushes changed counts to stats$, once per change', async () => {
    const gate = deferred();
    const outbox = make({ handlers: { w: async () => gate.promise } });
    const seen: OutboxStats[] = [];
    outbox.stats$.subscribe((s) => seen.push(s));
    await settle();
    await outbox.enqueue('w', 1);
    await Promise.resolve();
    const draining = outbox.drain();
    await settle();
    gate.resolve();
    await draining;
    await settle();
    const compact = seen.map((s) => `${s.pending}/${s.inFlight}/${s.draining ? 'D' : '-'}`);
    expect(compact[0]).toBe('0/0/-');
    expect(compact).toContain('1/0/-');
    expect(compact).toContain('0/1/D');
    expect(compact.at(-1)).toBe('0/0/-');
    // No two neighbours are equal: unchanged counts are not pushed.
    for (let i = 1; i < compact.length; i++) expect(seen[i]).not.toEqual(seen[i - 1]);
  });

  it('gives a late subscriber the current counts, not the ones from before it listened', async () => {
    const outbox = make();
    await outbox.enqueue('w', 1);
    await outbox.enqueue('w', 2);
    let first: OutboxStats | undefined;
    outbox.stats$.subscribe((s) => (first ??= s));
    expect(first).toMatchObject({ pending: 2 });
  });

  it('loads the counts of an existing queue when stats$ is subscribed', async () => {
    const first = make();
    await first.enqueue('w', 1);
    await first.close();
    const second = make();
    const seen: OutboxStats[] = [];
    second.stats$.subscribe((s) => seen.push(s));
    await settle();
    expect(seen.at(-1)).toMatchObject({ pending: 1, oldestPendingAt: T0, storage: 'indexeddb' });
  });
});

describe('stats when a lease runs out', () => {
  /** An entry a page that died mid-delivery left in flight, its lease running until `leaseUntil`. */
  const orphan = (leaseUntil: number) => ({
    v: RECORD_VERSION,
    id: 'orphan',
    idempotencyKey: 'ko',
    type: 'w',
    payload: 'x',
    channel: 'default',
    state: 'in-flight',
    leaseUntil,
    attempts: 0,
    createdAt: T0,
    nextAttemptAt: T0,
  });

  it('counts and lists the entry as pending once the clock passes the lease end, with no timer', async () => {
    await writeRaw('t', [orphan(T0 + 30_000)]);
    const outbox = make();
    expect(await outbox.list()).toMatchObject([{ id: 'orphan', state: 'in-flight' }]);
    expect(outbox.stats).toMatchObject({ pending: 0, inFlight: 1 });
    vi.setSystemTime(T0 + 29_999);
    expect(outbox.stats).toMatchObject({ pending: 0, inFlight: 1 });
    // Only the clock moves (no timer runs, as in a throttled background tab): asking is enough.
    vi.setSystemTime(T0 + 30_000);
    expect(outbox.stats).toMatchObject({ pending: 1, inFlight: 0, oldestPendingAt: T0 });
    expect(await outbox.list()).toMatchObject([{ id: 'orphan', state: 'pending', nextAttemptAt: T0 }]);
    expect(await outbox.list({ state: 'pending' })).toMatchObject([{ id: 'orphan', state: 'pending' }]);
    expect(await outbox.list({ state: 'in-flight' })).toEqual([]);
  });

  it('lets retry() make it due again once its lease ran out, not while it runs', async () => {
    await writeRaw('t', [orphan(T0 + 30_000)]);
    const outbox = make();
    expect(await outbox.retry(['orphan'])).toBe(0);
    vi.setSystemTime(T0 + 40_000);
    expect(await outbox.retry(['orphan'])).toBe(1);
    const [raw] = (await readRaw('t')) as Array<Record<string, unknown>>;
    expect(raw).toMatchObject({ state: 'pending', nextAttemptAt: T0 + 40_000 });
    expect(raw).not.toHaveProperty('leaseUntil');
  });

  it('pushes the change to stats$ when the lease ends, with nothing else happening', async () => {
    await writeRaw('t', [orphan(T0 + 30_000)]);
    const outbox = make();
    const seen: OutboxStats[] = [];
    outbox.stats$.subscribe((s) => seen.push(s));
    await settle();
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.at(-1)).toMatchObject({ pending: 1, inFlight: 0, oldestPendingAt: T0 });
    expect(seen.filter((s) => s.pending === 1)).toHaveLength(1);
    expect(outbox.stats).toEqual(seen.at(-1));
  });

  it('wakes a late subscriber too, and trusts the clock over a timer that fires early', async () => {
    await writeRaw('t', [orphan(T0 + 30_000)]);
    // A clock whose first lease wake-up fires 10 s early: it must not flip anything before the lease ends.
    const delays: number[] = [];
    const early: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        delays.push(ms);
        const first = ms === 30_000 && delays.indexOf(30_000) === delays.length - 1;
        return setTimeout(fn, first ? ms - 10_000 : ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const outbox = make({ clock: early });
    await outbox.list();
    const seen: OutboxStats[] = [];
    outbox.stats$.subscribe((s) => seen.push(s));
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen.at(-1)).toMatchObject({ pending: 1, inFlight: 0 });
    // Armed for the lease end, then again for what was left of it when it fired early (the
    // database open's time limit aside).
    expect(delays.filter((ms) => ms !== OPEN_TIME_LIMIT_MS)).toEqual([30_000, 10_000]);
  });

  it('starts no timer for a successful delivery, even while stats$ is observed', async () => {
    const delays: number[] = [];
    const counting: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return setTimeout(fn, ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    // A policy without a timeout, so any timer counted is the outbox's own.
    const outbox = make({ handlers: { w: ok }, clock: counting, policy: pipeline() });
    const seen: OutboxStats[] = [];
    outbox.stats$.subscribe((s) => seen.push(s));
    await outbox.enqueue('w', 1, { channel: 'a' });
    await outbox.enqueue('w', 2, { channel: 'a' });
    await outbox.enqueue('w', 3, { channel: 'b' });
    expect(await outbox.drain()).toEqual({ delivered: 3, retried: 0, dead: 0 });
    await settle();
    expect(seen.some((s) => s.inFlight > 0)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 0, draining: false });
    // Only the database open's time limit, cleared once it opened.
    expect(delays).toEqual([OPEN_TIME_LIMIT_MS]);
  });

  it('pushes the end of a lease another page holds after this page’s drain', async () => {
    // In-page lock (no Web Locks): this page may drain while another page holds a lease.
    await writeRaw('t', [orphan(T0 + 30_000)]);
    const delivered: unknown[] = [];
    const outbox = make({ handlers: { w: async (p: unknown) => void delivered.push(p) } });
    const seen: OutboxStats[] = [];
    outbox.stats$.subscribe((s) => seen.push(s));
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    await settle();
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1, draining: false });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(seen.at(-1)).toMatchObject({ pending: 1, inFlight: 0 });
    // Without autoDrain the wake-up only refreshes the counts; delivery waits for drain().
    expect(delivered).toEqual([]);
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
  });
});

describe('automatic drains', () => {
  function fakeWindow() {
    const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    return Object.assign(new EventTarget(), { navigator: { onLine: true }, document });
  }

  it('drains on start, after an enqueue, on online, on visible, on the interval and when a backoff ends', async () => {
    const win = fakeWindow();
    let fail = false;
    const handler = vi.fn(async () => {
      if (fail) throw new HttpError(503);
    });
    const outbox = make({ handlers: { w: handler }, window: win, autoDrain: { intervalMs: 60_000 } });
    const drains = vi.spyOn(outbox, 'drain');
    const tick = async (ms = 0) => {
      await vi.advanceTimersByTimeAsync(ms);
      // A drain a trigger schedules runs on the next timer turn (fake timers make a 0 ms
      // timer set during a tick a 1 ms one).
      await vi.advanceTimersByTimeAsync(1);
      await settle();
    };
    await tick();
    expect(drains).toHaveBeenCalledTimes(1); // on start
    await outbox.enqueue('w', 1);
    await tick();
    expect(handler).toHaveBeenCalledTimes(1); // after enqueue
    win.dispatchEvent(new Event('online'));
    await tick();
    expect(drains).toHaveBeenCalledTimes(3);
    win.document.visibilityState = 'visible';
    win.document.dispatchEvent(new Event('visibilitychange'));
    await tick();
    expect(drains).toHaveBeenCalledTimes(4);
    await tick(60_000);
    expect(drains).toHaveBeenCalledTimes(5);
    fail = true;
    await outbox.enqueue('w', 2);
    await tick();
    expect(handler).toHaveBeenCalledTimes(2);
    fail = false;
    await tick(1_000); // the backoff ends: the wake-up timer drains
    expect(handler).toHaveBeenCalledTimes(3);
    expect(await outbox.list()).toEqual([]);
  });

  it('stops every trigger on close', async () => {
    const win = fakeWindow();
    const outbox = make({ handlers: { w: ok }, window: win, autoDrain: {} });
    const drains = vi.spyOn(outbox, 'drain');
    await outbox.close();
    win.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(drains).not.toHaveBeenCalled();
  });
});

describe('http entries', () => {
  it('sends the stored request with its key and fresh auth, and treats non-2xx as failure', async () => {
    const statuses = [500, 201];
    const sent: Request[] = [];
    const fetchFn = vi.fn(async (input: RequestInfo | URL) => {
      sent.push(input as Request);
      return new Response(null, { status: statuses.shift() ?? 200 });
    });
    let token = 0;
    const outbox = make({
      http: outboxHttp({
        fetch: fetchFn,
        prepare: (req) => {
          const headers = new Headers(req.headers);
          headers.set('authorization', `Bearer fresh-${++token}`);
          return new Request(req, { headers });
        },
      }),
    });
    const entry = await outbox.enqueueRequest({
      url: 'https://api.test/notes/1',
      method: 'PUT',
      headers: { authorization: 'Bearer stale', 'content-type': 'application/json', 'x-tenant': 't1' },
      body: JSON.stringify({ title: 'x' }),
    });
    expect(entry.type).toBe('http');
    expect(entry.payload.headers).toEqual([['x-tenant', 't1']]);
    expect(await outbox.drain()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    vi.setSystemTime(T0 + 1_000);
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(
      sent.map((r) => [r.method, r.url, r.headers.get('idempotency-key'), r.headers.get('authorization')]),
    ).toEqual([
      ['PUT', 'https://api.test/notes/1', entry.idempotencyKey, 'Bearer fresh-1'],
      ['PUT', 'https://api.test/notes/1', entry.idempotencyKey, 'Bearer fresh-2'],
    ]);
    expect(await sent[1]?.text()).toBe('{"title":"x"}');
    expect(sent[1]?.headers.get('content-type')).toBe('application/json');
  });

  it('asks the service worker for a Background Sync when HTTP entries wait', async () => {
    const messageSW = vi.fn(async () => ({ ok: true }));
    const outbox = make({
      backgroundSync: { messageSW } as never,
      http: outboxHttp({
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        },
      }),
    });
    await outbox.enqueueRequest({ url: 'https://api.test/x', method: 'POST', body: 'a' });
    await outbox.enqueueRequest({ url: 'https://api.test/x', method: 'POST', body: 'b' });
    await settle();
    expect(messageSW).toHaveBeenCalledWith({ type: 'bulletproof-outbox:register-sync', name: 't' });
    const before = messageSW.mock.calls.length;
    await outbox.drain();
    await settle();
    expect(messageSW.mock.calls.length).toBe(before + 1);
  });
});

describe('options', () => {
  it.each([
    [{ concurrency: 0 }, /option "concurrency"/],
    [{ maxAttempts: 1.5 }, /option "maxAttempts"/],
    [{ name: 'a/b' }, /option "name"/],
    [{ handlers: { w: 'nope' } }, /option "handlers.w"/],
    [{ backoff: {} }, /option "backoff"/],
    [{ policy: () => 1 }, /option "policy"/],
    [{ autoDrain: { intervalMs: -1 } }, /option "autoDrain/],
    [{ indexedDB: {} }, /option "indexedDB"/],
    [{ leaseMs: 0 }, /option "leaseMs"/],
    [{ http: { handler: () => 1 } }, /option "http" must be the result of outboxHttp\(\)/],
  ])('throws a TypeError naming the option for %o', (bad, message) => {
    expect(() => createOutbox(bad as OutboxOptions)).toThrow(TypeError);
    expect(() => createOutbox(bad as OutboxOptions)).toThrow(message);
  });

  it.each([
    [{ persistHeaders: 'authorization' }, /outboxHttp\(\): option "persistHeaders"/],
    [{ prepare: 'x' }, /outboxHttp\(\): option "prepare"/],
  ])('outboxHttp throws a TypeError naming the option for %o', (bad, message) => {
    expect(() => outboxHttp(bad as never)).toThrow(TypeError);
    expect(() => outboxHttp(bad as never)).toThrow(message);
  });

  it('leaves the HTTP entries another outbox queued to one with HTTP support, instead of dead-lettering them', async () => {
    const withHttp = make({
      http: outboxHttp({ fetch: async () => new Response(null, { status: 204 }) }),
      handlers: { w: async () => undefined },
    });
    await withHttp.enqueueRequest({ url: 'https://api.test/x', method: 'PUT', body: 'a' });
    const without = make({ handlers: { w: async () => undefined } });
    await without.enqueue('w', 1, { channel: 'other' });
    // Behind it in its channel: order is kept, as in the service worker for other types.
    await without.enqueue('w', 2);
    expect(await without.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect((await without.list()).map((e) => [e.type, e.state])).toEqual([
      ['http', 'pending'],
      ['w', 'pending'],
    ]);
    await without.close();
    expect(await withHttp.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
  });

  it('enqueueRequest without HTTP support says how to add it, and stores nothing', async () => {
    const outbox = make();
    await expect(outbox.enqueueRequest({ url: 'https://api.test/x' })).rejects.toThrow(
      /createOutbox\(\{ http: outboxHttp\(\) \}\)/,
    );
    expect(await outbox.list()).toEqual([]);
  });
});
