import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../../demo/server/start.js';
import { chromiumLaunchOptions, NO_CHROMIUM_MESSAGE } from '../support/chromium.js';
import type { BenchRow } from './harness.js';

/**
 * The outbox in real Chromium, side by side with raw IndexedDB doing the same writes:
 * - a burst of 1,000 `enqueue` calls in one tick vs 1,000 `add`s in one transaction (the
 *   physical limit: IndexedDB's cost is per transaction) — goal ≥ 70 % of its throughput;
 * - 1,000 awaited `enqueue`s one after another vs one `add` per transaction — goal ≤ 1.3× its time;
 * - a drain of 1,000 HTTP entries against the local demo API, concurrency 4 — goal ≥ 500/s —
 *   next to the same writes sent by plain `fetch` (the ceiling the server sets: it syncs its
 *   data file to disk on every write) and to a drain whose handler does no I/O (the outbox's
 *   own ceiling).
 * Raw writes build the same records (random UUID included), so only the outbox's own work
 * is compared. Runs alternate between the contenders; medians are reported.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const N = 1_000;
const RUNS = 7;

/** In-page code: both contenders and the drain, bundled with the outbox. */
const PAGE_SOURCE = `
import { createOutbox } from './packages/core/src/outbox/index.ts';

const payload = (i) => ({ title: 'note ' + i, body: 'x'.repeat(100) });
const record = (i) => {
  const id = crypto.randomUUID();
  const now = Date.now();
  return { v: 1, id, type: 'note', payload: payload(i), channel: 'default', idempotencyKey: id,
    state: 'pending', attempts: 0, createdAt: now, nextAttemptAt: now };
};
let run = 0;
const fresh = () => 'bench-' + Date.now() + '-' + run++;
const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onabort = () => reject(tx.error); });
const removeDb = (name) => new Promise((resolve) => { const r = indexedDB.deleteDatabase(name); r.onsuccess = r.onerror = r.onblocked = resolve; });
const openRaw = (name) => new Promise((resolve, reject) => {
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => r.result.createObjectStore('entries', { keyPath: 'seq', autoIncrement: true });
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

async function rawOneTransaction(n) {
  const name = fresh();
  const db = await openRaw(name);
  const t0 = performance.now();
  const tx = db.transaction('entries', 'readwrite');
  const store = tx.objectStore('entries');
  for (let i = 0; i < n; i++) store.add(record(i));
  await done(tx);
  const ms = performance.now() - t0;
  db.close();
  await removeDb(name);
  return ms;
}

async function rawSequential(n) {
  const name = fresh();
  const db = await openRaw(name);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const tx = db.transaction('entries', 'readwrite');
    tx.objectStore('entries').add(record(i));
    await done(tx);
  }
  const ms = performance.now() - t0;
  db.close();
  await removeDb(name);
  return ms;
}

async function withOutbox(fn) {
  const name = fresh();
  const box = createOutbox({ name, autoDrain: false, window: false });
  await box.list(); // opened and loaded before the clock starts
  try {
    return await fn(box);
  } finally {
    await box.close();
    await removeDb('bulletproof-outbox-' + name);
  }
}

const outboxBurst = (n) => withOutbox(async (box) => {
  const t0 = performance.now();
  const writes = [];
  for (let i = 0; i < n; i++) writes.push(box.enqueue('note', payload(i)));
  await Promise.all(writes);
  return performance.now() - t0;
});

const outboxSequential = (n) => withOutbox(async (box) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await box.enqueue('note', payload(i));
  return performance.now() - t0;
});

async function drainHttp(n, channels) {
  const name = fresh();
  const box = createOutbox({ name, autoDrain: false, window: false, concurrency: 4 });
  const writes = [];
  for (let i = 0; i < n; i++) {
    writes.push(box.enqueueRequest(
      { url: '/api/notes/drain-' + run + '-' + i, method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'note ' + i }) },
      { channel: 'c' + (i % channels) },
    ));
  }
  await Promise.all(writes);
  const t0 = performance.now();
  const report = await box.drain();
  const ms = performance.now() - t0;
  const left = (await box.list()).length;
  await box.close();
  await removeDb('bulletproof-outbox-' + name);
  return { ms, report, left };
}

/** The ceiling the server sets: the same writes by plain fetch, 4 at a time. */
async function rawFetchWrites(n) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < n) {
      const i = next++;
      const res = await fetch('/api/notes/raw-' + run + '-' + i, { method: 'PUT',
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify({ title: 'note ' + i }) });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      await res.arrayBuffer();
    }
  }));
  run++;
  return performance.now() - t0;
}

/** The outbox's own ceiling: a drain whose handler does no I/O. */
async function drainLocal(n, channels) {
  const name = fresh();
  const box = createOutbox({ name, autoDrain: false, window: false, concurrency: 4, handlers: { w: async () => undefined } });
  const writes = [];
  for (let i = 0; i < n; i++) writes.push(box.enqueue('w', payload(i), { channel: 'c' + (i % channels) }));
  await Promise.all(writes);
  const t0 = performance.now();
  const report = await box.drain();
  const ms = performance.now() - t0;
  await box.close();
  await removeDb('bulletproof-outbox-' + name);
  return { ms, report, left: 0 };
}

window.bench = { rawOneTransaction, rawSequential, outboxBurst, outboxSequential, drainHttp, rawFetchWrites, drainLocal };
`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

interface InPage {
  rawOneTransaction(n: number): Promise<number>;
  rawSequential(n: number): Promise<number>;
  outboxBurst(n: number): Promise<number>;
  outboxSequential(n: number): Promise<number>;
  drainHttp(
    n: number,
    channels: number,
  ): Promise<{ ms: number; report: { delivered: number }; left: number }>;
  drainLocal(
    n: number,
    channels: number,
  ): Promise<{ ms: number; report: { delivered: number }; left: number }>;
  rawFetchWrites(n: number): Promise<number>;
}
declare global {
  interface Window {
    bench: InPage;
  }
}

export default async function outboxBench(): Promise<BenchRow[]> {
  const launchOptions = chromiumLaunchOptions();
  if (!launchOptions) throw new Error(NO_CHROMIUM_MESSAGE);
  const staticDir = await mkdtemp(join(tmpdir(), 'bp-bench-outbox-static-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'bp-bench-outbox-data-'));
  await build({
    stdin: { contents: PAGE_SOURCE, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: join(staticDir, 'bench.js'),
    logLevel: 'silent',
  });
  await writeFile(
    join(staticDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script src="/bench.js"></script>',
  );
  const server = await startDemoServer({ port: 0, dataDir, static: staticDir, log: () => {} });
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    const call = <K extends keyof InPage>(fn: K, ...args: Parameters<InPage[K]>) =>
      page.evaluate(({ fn, args }) => (window.bench[fn] as (...a: unknown[]) => unknown)(...args), {
        fn,
        args,
      }) as ReturnType<InPage[K]>;

    // Warm-up: JIT, IndexedDB backing files.
    await call('rawOneTransaction', N);
    await call('outboxBurst', N);
    const burst = { raw: [] as number[], outbox: [] as number[] };
    for (let r = 0; r < RUNS; r++) {
      burst.raw.push(await call('rawOneTransaction', N));
      burst.outbox.push(await call('outboxBurst', N));
    }
    const sequential = { raw: [] as number[], outbox: [] as number[] };
    for (let r = 0; r < Math.ceil(RUNS / 2); r++) {
      sequential.raw.push(await call('rawSequential', N));
      sequential.outbox.push(await call('outboxSequential', N));
    }
    const drains = { http: [] as number[], raw: [] as number[], local: [] as number[] };
    for (let r = 0; r < 3; r++) {
      await fetch(`${server.url}/api/_reset`, { method: 'POST' });
      drains.raw.push(await call('rawFetchWrites', N));
      await fetch(`${server.url}/api/_reset`, { method: 'POST' });
      const http = await call('drainHttp', N, 8);
      if (http.report.delivered !== N || http.left !== 0) {
        throw new Error(`drain delivered ${http.report.delivered} of ${N}, ${http.left} left`);
      }
      drains.http.push(http.ms);
      const local = await call('drainLocal', N, 8);
      if (local.report.delivered !== N)
        throw new Error(`local drain delivered ${local.report.delivered} of ${N}`);
      drains.local.push(local.ms);
    }

    const rows: BenchRow[] = [];
    const perOp = (ms: number) => (ms * 1e6) / N;
    const burstRaw = median(burst.raw);
    const burstOutbox = median(burst.outbox);
    const burstShare = burstRaw / burstOutbox;
    rows.push(
      {
        group: `enqueue burst (${N} in one tick)`,
        name: 'raw idb, one transaction',
        medianNs: perOp(burstRaw),
        ratio: 1,
      },
      {
        group: `enqueue burst (${N} in one tick)`,
        name: `outbox.enqueue (${Math.round(burstShare * 100)} % of raw throughput)`,
        medianNs: perOp(burstOutbox),
        ratio: burstOutbox / burstRaw,
        goal: '≥ 70 % of raw throughput',
        met: burstShare >= 0.7,
      },
    );
    const seqRaw = median(sequential.raw);
    const seqOutbox = median(sequential.outbox);
    rows.push(
      {
        group: `enqueue sequential (${N} awaited)`,
        name: 'raw idb, one transaction each',
        medianNs: perOp(seqRaw),
        ratio: 1,
      },
      {
        group: `enqueue sequential (${N} awaited)`,
        name: 'outbox.enqueue, awaited',
        medianNs: perOp(seqOutbox),
        ratio: seqOutbox / seqRaw,
        goal: '≤ 1.3× raw',
        met: seqOutbox / seqRaw <= 1.3,
      },
    );
    const rate = (ms: number) => (N / ms) * 1000;
    const drainGroup = `drain ${N} entries, concurrency 4`;
    const rawMs = median(drains.raw);
    const httpMs = median(drains.http);
    const localMs = median(drains.local);
    rows.push(
      {
        group: drainGroup,
        name: `plain fetch, same PUTs to the demo API, 4 at a time: ${Math.round(rate(rawMs))}/s (server ceiling)`,
        medianNs: perOp(rawMs),
        ratio: 1,
      },
      {
        group: drainGroup,
        name: `outbox.drain, HTTP PUTs to the demo API: ${Math.round(rate(httpMs))}/s (${Math.round((rate(httpMs) / rate(rawMs)) * 100)} % of ceiling)`,
        medianNs: perOp(httpMs),
        ratio: httpMs / rawMs,
        goal: '≥ 500 entries/s',
        met: rate(httpMs) >= 500,
      },
      {
        group: drainGroup,
        name: `outbox.drain, handler without I/O: ${Math.round(rate(localMs))}/s (the outbox's own ceiling)`,
        medianNs: perOp(localMs),
        ratio: localMs / rawMs,
        goal: '≥ 500 entries/s',
        met: rate(localMs) >= 500,
      },
    );
    return rows;
  } finally {
    await browser.close();
    await server.close();
    await rm(staticDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
