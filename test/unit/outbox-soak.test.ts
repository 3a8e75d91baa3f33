import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server/start.js';
import { exponentialBackoff } from '../../packages/core/src/policy/backoff.js';
import { timeout } from '../../packages/core/src/policy/timeout.js';
import { outboxHttp } from '../../packages/core/src/outbox/outbox-http.js';
import type { Outbox, OutboxEvent, OutboxOptions } from '../../packages/core/src/outbox/types.js';
import { webLocks } from '../../packages/core/src/test-support/web-locks.js';

/**
 * Chaos soak: 1,000 writes over 5 channels against the real demo API while about 30 % of
 * requests fail (500s, dropped sockets, hangs that hit the timeout, responses lost after the
 * write was applied), and the outbox is restarted over and over — sometimes cleanly, sometimes
 * by "crashing" a page mid-delivery (its storage severed, its in-flight requests left on the
 * wire). Afterwards the server must have applied every write exactly once, in per-channel
 * order, and nothing may be left in the queue.
 */

const CHANNELS = 5;
const PER_CHANNEL = 200;
const ROUNDS = 10;

let server: DemoServer | undefined;
/** The server started in beforeAll. */
const origin = (): string => {
  if (!server) throw new Error('the demo server did not start');
  return server.url;
};
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outbox-soak-'));
  server = await startDemoServer({ port: 0, dataDir, seed: 7 });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${origin()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An IndexedDB factory and a fetch a test can cut off, as a crash cuts a page off: every
 * later transaction fails and every later request is never sent (a dead page runs nothing).
 * Requests the page already sent stay on the wire.
 */
function severable(factory: IDBFactory) {
  let severed = false;
  const fetchUntilSevered: typeof fetch = (input, init) =>
    severed ? new Promise<Response>(() => {}) : fetch(input, init);
  const wrapped = {
    open(name: string, version?: number) {
      const request = factory.open(name, version);
      request.addEventListener('success', () => {
        const db = request.result;
        const transaction = db.transaction.bind(db);
        db.transaction = ((...args: Parameters<IDBDatabase['transaction']>) => {
          if (severed) throw new DOMException('The page is gone', 'InvalidStateError');
          return transaction(...args);
        }) as IDBDatabase['transaction'];
      });
      return request;
    },
    deleteDatabase: (name: string) => factory.deleteDatabase(name),
    cmp: (a: unknown, b: unknown) => factory.cmp(a, b),
    databases: () => factory.databases(),
  };
  return { factory: wrapped, fetch: fetchUntilSevered, sever: () => (severed = true) };
}

interface Page {
  outbox: Outbox;
  sever(): void;
}

/**
 * The two ways pages keep off each other's deliveries. With Web Locks (every current
 * browser) a crashed page's lock is released at once and the next page takes its in-flight
 * entries over at once, and a drain sends a channel's next entry while the previous one's
 * completion commits. Without them, leases alone keep a crashed page's entries from being
 * sent twice at the same time.
 */
const MODES = [
  { mode: 'Web Locks', locks: true },
  { mode: 'leases only', locks: false },
] as const;

describe('outbox chaos soak', () => {
  it.each(MODES)(
    'applies 1,000 writes exactly once, in order per channel, through faults and restarts ($mode)',
    { timeout: 90_000 },
    async ({ locks }) => {
      await api('POST', '/api/_reset');
      await api('PUT', '/api/_chaos', {
        seed: 11,
        errorRate: 0.14,
        errorStatus: 500,
        drop: 0.07,
        hang: 0.04,
        loseResponse: 0.09,
      });

      const idb = new IDBFactory();
      const firstDelivery = new Map<string, number[]>();
      const seen = new Set<string>();
      const lockManager = webLocks();
      const options: OutboxOptions = {
        name: 'soak',
        autoDrain: false,
        locks: locks ? lockManager : false,
        BroadcastChannel: false,
        window: false,
        concurrency: CHANNELS,
        maxAttempts: 1_000,
        leaseMs: 400,
        backoff: exponentialBackoff({ initialMs: 5, maxMs: 40, jitter: 'full' }),
        policy: timeout(250, { mode: 'aggressive' }),
      };

      // Each page is a fresh copy of the modules, as a new tab would be (its own in-page lock).
      const openPage = async (): Promise<Page> => {
        vi.resetModules();
        const { createOutbox } = await import('../../packages/core/src/outbox/outbox.js');
        const { factory, fetch, sever } = severable(idb);
        const outbox = createOutbox({ ...options, indexedDB: factory, http: outboxHttp({ fetch }) });
        outbox.events$.subscribe((event: OutboxEvent) => {
          if (event.type !== 'delivered') return;
          const { c, i } = JSON.parse(
            new TextDecoder().decode((event.entry.payload as { body: Uint8Array }).body),
          ) as { c: number; i: number };
          const key = `${c}/${i}`;
          if (seen.has(key)) return;
          seen.add(key);
          firstDelivery.set(`c${c}`, [...(firstDelivery.get(`c${c}`) ?? []), i]);
        });
        return { outbox, sever };
      };

      let page = await openPage();
      let crashes = 0;
      let cleanRestarts = 0;
      const perRound = PER_CHANNEL / ROUNDS;
      for (let round = 0; round < ROUNDS; round++) {
        // One tick's burst: every write of the round shares a transaction.
        const writes: Array<Promise<unknown>> = [];
        for (let k = 0; k < perRound; k++) {
          const i = round * perRound + k;
          for (let c = 0; c < CHANNELS; c++) {
            writes.push(
              page.outbox.enqueueRequest(
                {
                  url: `${origin()}/api/notes`,
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({
                    id: `c${c}-${String(i).padStart(4, '0')}`,
                    title: `channel ${c} write ${i}`,
                    c,
                    i,
                  }),
                },
                { channel: `c${c}` },
              ),
            );
          }
        }
        await Promise.all(writes);
        void page.outbox.drain().catch(() => undefined);
        await sleep(40 + ((round * 37) % 80));
        if (round % 2 === 0) {
          // A crash: the page loses its database mid-delivery and is never closed, and the
          // browser releases its lock.
          page.sever();
          lockManager.kill('bulletproof-outbox-soak');
          crashes++;
        } else {
          await page.outbox.close();
          cleanRestarts++;
        }
        page = await openPage();
      }

      const deadline = Date.now() + 45_000;
      let left = await page.outbox.list();
      while (left.length > 0 && Date.now() < deadline) {
        await page.outbox.drain();
        await sleep(10);
        left = await page.outbox.list();
      }
      expect(left).toEqual([]);
      await page.outbox.close();

      const stats = await api<{
        writesApplied: number;
        duplicatesSuppressed: number;
        requests: number;
        faults: { error: number; drop: number; hang: number; loseResponse: number };
      }>('GET', '/api/_stats');
      const faults = stats.faults.error + stats.faults.drop + stats.faults.hang + stats.faults.loseResponse;
      console.info(
        `soak: ${stats.requests} requests, ${faults} faults (${Math.round((faults / stats.requests) * 100)} %: ` +
          `${stats.faults.error} × 500, ${stats.faults.drop} dropped, ${stats.faults.hang} hung, ${stats.faults.loseResponse} responses lost), ` +
          `${stats.duplicatesSuppressed} duplicates suppressed, ${crashes} crashes, ${cleanRestarts} clean restarts`,
      );
      // The chaos really happened, of every kind.
      expect(faults / stats.requests).toBeGreaterThan(0.2);
      for (const kind of ['error', 'drop', 'hang', 'loseResponse'] as const)
        expect(stats.faults[kind]).toBeGreaterThan(0);
      // Exactly once: every write applied, none twice (a lost response's retry was answered
      // from the idempotency record, not applied again).
      expect(stats.writesApplied).toBe(CHANNELS * PER_CHANNEL);
      expect(stats.duplicatesSuppressed).toBeGreaterThan(0);
      await api('PUT', '/api/_chaos', {});
      const { notes } = await api<{ notes: Array<{ id: string; createdAt: number }> }>('GET', '/api/notes');
      expect(notes).toHaveLength(CHANNELS * PER_CHANNEL);

      // Per-channel order, as the server applied it and as the outbox delivered it.
      const byId = new Map(notes.map((n) => [n.id, n]));
      for (let c = 0; c < CHANNELS; c++) {
        let previous = -Infinity;
        for (let i = 0; i < PER_CHANNEL; i++) {
          const note = byId.get(`c${c}-${String(i).padStart(4, '0')}`);
          expect(note, `c${c} write ${i}`).toBeDefined();
          expect(note?.createdAt ?? -1).toBeGreaterThanOrEqual(previous);
          previous = note?.createdAt ?? previous;
        }
        expect(firstDelivery.get(`c${c}`)).toEqual(Array.from({ length: PER_CHANNEL }, (_, i) => i));
      }
    },
  );
});
