import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../../demo/server/start.js';
import { chromiumLaunchOptions, NO_CHROMIUM_MESSAGE } from '../support/chromium.js';
import { bundleForBrowser } from './browser-bundle.js';
import { median, type BenchRow } from './harness.js';

/**
 * The outbox in real Chromium, side by side with raw IndexedDB doing the same writes:
 * - a burst of 1,000 `enqueue` calls in one tick vs 1,000 `add`s in one transaction (the
 *   physical limit: IndexedDB's cost is per transaction) — goal ≥ 70 % of its throughput;
 * - 1,000 awaited `enqueue`s one after another vs one `add` per transaction — goal ≤ 1.3× its time.
 * (The drain is measured in outbox-drain.bench.ts, in a Chromium no client instruments.)
 * Raw writes build the same records (random UUID included), so only the outbox's own work
 * is compared. Runs alternate between the contenders; medians are reported.
 */

const N = 1_000;
const RUNS = 7;

/** In-page code: both contenders, bundled with the outbox. */
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

window.bench = { rawOneTransaction, rawSequential, outboxBurst, outboxSequential };
`;

interface InPage {
  rawOneTransaction(n: number): Promise<number>;
  rawSequential(n: number): Promise<number>;
  outboxBurst(n: number): Promise<number>;
  outboxSequential(n: number): Promise<number>;
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
  await writeFile(join(staticDir, 'bench.js'), await bundleForBrowser(PAGE_SOURCE));
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
    return rows;
  } finally {
    await browser.close();
    await server.close();
    await rm(staticDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
