import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from './outbox.js';
import { outboxHttp } from './outbox-http.js';
import type { Outbox } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { seededRandom } from '../test-support/prng.js';
import { settleImmediates as settle } from '../test-support/settle.js';

/**
 * Property: whatever a hostile server answers (any status, any Retry-After, huge or endless
 * bodies, hangs) and however storage fails meanwhile (refused writes, refused inserts,
 * unreadable scans), the outbox never loses a write, never applies one twice on a server that
 * honours Idempotency-Key, and never drains more than a bounded number of times a minute.
 * Each seed is one deterministic run; a failing seed replays exactly.
 */

const T0 = 1_000_000;
const MINUTE = 60_000;
const SEEDS = [1, 2, 3, 4, 5, 6];
/**
 * Writes arrive about nine times a minute here; with interval ticks and backoff ends the
 * busiest minute sees about seven drains. A wait that overflows a timer (a month's
 * Retry-After) turns into a drain loop that blows through this at once.
 */
const MAX_DRAINS_PER_MINUTE = 10;

const bed = outboxTestBed({ fakeTimeFrom: T0 });

const RETRY_AFTERS = [
  undefined,
  '0',
  '3',
  '120',
  '2592000',
  '315360000',
  'soon',
  'Wed, 21 Oct 2099 07:28:00 GMT',
];
const STATUSES = [200, 201, 204, 400, 404, 409, 422, 429, 500, 502, 503, 504];

interface Server {
  fetch: typeof fetch;
  /** Keys whose write the server applied (once each: it honours Idempotency-Key). */
  applied: Map<string, number>;
  /** 2xx answers sent per key. */
  acknowledged: Map<string, number>;
  healthy: boolean;
}

/** A server that honours Idempotency-Key (applies a key once) and otherwise answers at random. */
function hostileServer(random: () => number): Server {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const server: Server = {
    applied: new Map(),
    acknowledged: new Map(),
    healthy: false,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const key = request.headers.get('idempotency-key') ?? '';
      const signal = init?.signal ?? request.signal;
      const roll = random();
      if (!server.healthy && roll < 0.1) {
        // Hangs until the call's time limit aborts it.
        return new Promise<Response>((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        });
      }
      if (!server.healthy && roll < 0.2) return Promise.reject(new TypeError('Failed to fetch'));
      const status = server.healthy ? 200 : pick(STATUSES);
      const headers = new Headers();
      const retryAfter = pick(RETRY_AFTERS);
      if (retryAfter !== undefined) headers.set('retry-after', retryAfter);
      if (status < 300) {
        // Idempotent: a key already applied is not applied again.
        if (!server.applied.has(key)) server.applied.set(key, 1);
        server.acknowledged.set(key, (server.acknowledged.get(key) ?? 0) + 1);
        return Promise.resolve(new Response(status === 204 ? null : '{}', { status, headers }));
      }
      const shape = random();
      let body: BodyInit | null;
      if (shape < 0.2) {
        // A body that never ends.
        body = new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(new TextEncoder().encode('<html>')),
          pull: () => new Promise<void>(() => undefined),
        });
      } else if (shape < 0.4) {
        body = 'x'.repeat(Math.floor(random() * 300_000));
      } else {
        body = JSON.stringify({ detail: 'nope' });
        headers.set('content-type', 'application/json');
      }
      return Promise.resolve(new Response(body, { status, headers }));
    },
  };
  return server;
}

/** Storage faults switched on and off at random, by patching the fake IndexedDB. */
function storageFaults(random: () => number) {
  const faults = { put: false, add: false, getAll: false };
  const put = IDBObjectStore.prototype.put;
  const add = IDBObjectStore.prototype.add;
  const getAll = IDBObjectStore.prototype.getAll;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (faults.put) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  });
  vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args) {
    const request = add.apply(this, args);
    if (faults.add) this.transaction.abort();
    return request;
  });
  vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (faults.getAll) throw new DOMException('Failed to read', 'NotReadableError');
    return getAll.apply(this, args);
  });
  return {
    shuffle() {
      faults.put = random() < 0.15;
      faults.add = random() < 0.1;
      faults.getAll = random() < 0.1;
    },
    heal() {
      faults.put = faults.add = faults.getAll = false;
    },
  };
}

describe('the outbox against hostile servers and broken storage', () => {
  it.each(SEEDS)(
    'seed %i: loses nothing, applies nothing twice, drains a bounded number of times',
    async (seed) => {
      const random = seededRandom(seed);
      const server = hostileServer(random);
      const storage = storageFaults(random);
      const outbox: Outbox = bed.closeAfter(
        createOutbox({
          name: `p${seed}`,
          ...bed.options,
          autoDrain: {},
          http: outboxHttp({ fetch: server.fetch }),
        }),
      );
      const drains: number[] = [];
      const drain = outbox.drain.bind(outbox);
      vi.spyOn(outbox, 'drain').mockImplementation((o) => {
        drains.push(Date.now());
        return drain(o);
      });
      const keys: string[] = [];

      // Twenty minutes of hostile answers and storage faults, with writes arriving at random.
      for (let step = 0; step < 1_200; step++) {
        storage.shuffle();
        if (random() < 0.15) {
          const entry = await outbox
            .enqueueRequest({
              url: `https://api.example/notes/${keys.length}`,
              method: 'PUT',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ n: keys.length }),
            })
            .catch(() => undefined);
          expect(entry, 'an enqueue never fails for storage reasons').toBeDefined();
          if (entry) keys.push(entry.idempotencyKey);
        }
        await vi.advanceTimersByTimeAsync(5_000);
        await settle(3);
      }

      // The server and storage recover; the user retries whatever was given up on.
      storage.heal();
      server.healthy = true;
      outbox.resume();
      for (let round = 0; round < 10; round++) {
        const left = await outbox.list();
        if (left.length === 0) break;
        await outbox.retry(left.map((e) => e.id));
        await outbox.drain().catch(() => undefined);
        await vi.advanceTimersByTimeAsync(MINUTE);
        await settle(3);
      }

      expect(keys.length).toBeGreaterThan(10);
      expect(await outbox.list(), 'every write delivered').toEqual([]);
      for (const key of keys) expect(server.applied.get(key), `write ${key} applied exactly once`).toBe(1);
      // Resending after a success happens only when the success could not be recorded (a
      // storage fault): never for most writes, and then with the same key.
      const resent = keys.filter((key) => (server.acknowledged.get(key) ?? 0) > 1).length;
      expect(resent).toBeLessThanOrEqual(keys.length / 10);
      const perMinute = new Map<number, number>();
      for (const at of drains)
        perMinute.set(Math.floor(at / MINUTE), (perMinute.get(Math.floor(at / MINUTE)) ?? 0) + 1);
      expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(MAX_DRAINS_PER_MINUTE);
    },
    60_000,
  );
});
