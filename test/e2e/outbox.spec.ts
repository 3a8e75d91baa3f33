import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { startDemoServer, type DemoServer } from '../../demo/server/start.js';

// The outbox in a real Chromium against the demo API: reloads, several tabs, the network
// switched off and on (`context.setOffline`), and a service worker replaying through
// Background Sync after the page is gone. The page is a plain document served by a demo API
// server started here, with the outbox (and workbox-window) bundled by esbuild, and the
// service worker built from `@bulletproof/core/sw`, so no build of the demo app is needed.

import type { Workbox } from 'workbox-window';
import type { createOutbox, Outbox } from '../../packages/core/src/outbox/index.js';
declare global {
  interface Window {
    BP: { createOutbox: typeof createOutbox; Workbox: typeof Workbox };
    outbox: Outbox;
    delivered: string[];
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
let server: DemoServer | undefined;
/** The server started in beforeAll. */
const origin = (): string => {
  if (!server) throw new Error('the demo server did not start');
  return server.url;
};
let dataDir: string;
let staticDir: string;

test.beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'bp-e2e-outbox-static-'));
  dataDir = await mkdtemp(join(tmpdir(), 'bp-e2e-outbox-data-'));
  const common = { bundle: true, platform: 'browser', target: 'es2022', logLevel: 'silent' } as const;
  await build({
    ...common,
    stdin: {
      contents: `
        import { createOutbox, outboxHttp } from './packages/core/src/outbox/index.ts';
        import { Workbox } from 'workbox-window';
        // Every outbox of these pages queues requests.
        window.BP = { createOutbox: (o) => createOutbox({ http: outboxHttp(), ...o }), Workbox };`,
      resolveDir: root,
      loader: 'ts',
    },
    format: 'iife',
    outfile: join(staticDir, 'outbox.js'),
  });
  await build({
    ...common,
    stdin: {
      contents: `
        import { installOutboxSync } from './packages/core/src/sw/index.ts';
        installOutboxSync({ name: 'bgsync' });
        self.addEventListener('install', () => self.skipWaiting());
        self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));`,
      resolveDir: root,
      loader: 'ts',
    },
    format: 'iife',
    outfile: join(staticDir, 'sw.js'),
  });
  await writeFile(
    join(staticDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>outbox</title><script src="/outbox.js"></script></head><body></body></html>',
  );
  server = await startDemoServer({ port: 0, dataDir, static: staticDir, seed: 3, log: () => {} });
});

test.afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(staticDir, { recursive: true, force: true });
});

test.beforeEach(async () => {
  await api('POST', '/api/_reset');
});

async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${origin()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}`).toBe(true);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

interface ApiStats {
  requests: number;
  writesApplied: number;
  duplicatesSuppressed: number;
  byRoute: Record<string, number>;
}
const stats = () => api<ApiStats>('GET', '/api/_stats');
const notes = async () =>
  (await api<{ notes: Array<{ id: string; createdAt: number }> }>('GET', '/api/notes')).notes;

/** Opens the test page and creates the outbox there (options as a JSON-able object). */
async function openOutbox(page: Page, options: Record<string, unknown> = {}): Promise<void> {
  await page.goto(`${origin()}/`);
  await page.evaluate((o) => {
    window.delivered = [];
    window.outbox = window.BP.createOutbox({ name: 'e2e', ...o });
    window.outbox.events$.subscribe((e) => {
      if (e.type === 'delivered') window.delivered.push(e.entry.id);
    });
  }, options);
}

function enqueueNote(page: Page, id: string, channel = 'notes') {
  return page.evaluate(
    async ({ id, channel }) =>
      (
        await window.outbox.enqueueRequest(
          {
            url: `/api/notes/${id}`,
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ title: id }),
          },
          { channel },
        )
      ).id,
    { id, channel },
  );
}

test('a reload while a write is in flight: delivered after, applied exactly once', async ({ page }) => {
  // The server takes 1.5 s over each write, so the reload lands mid-delivery.
  await api('PUT', '/api/_chaos', { latency: { fixedMs: 1_500 }, methods: ['PUT'] });
  await openOutbox(page);
  await enqueueNote(page, 'reload-1');
  await expect.poll(async () => (await stats()).requests).toBe(1);
  expect(await page.evaluate(() => window.outbox.stats.inFlight)).toBe(1);

  await page.reload();
  // The new page drains on start. Its lock proves the old page gone, so the in-flight entry
  // is sent again at once, with the same Idempotency-Key.
  await openOutbox(page);
  await expect
    .poll(() => page.evaluate(async () => (await window.outbox.list()).length), { timeout: 15_000 })
    .toBe(0);
  const after = await stats();
  expect(after.writesApplied).toBe(1);
  expect(after.byRoute['PUT /api/notes/:id']).toBe(2);
  expect(after.duplicatesSuppressed).toBe(1);
  expect((await notes()).map((n) => n.id)).toEqual(['reload-1']);
});

test('two tabs with pending writes: one drains, the server sees no duplicate', async ({ context }) => {
  await api('PUT', '/api/_chaos', { latency: { fixedMs: 150 }, methods: ['PUT'] });
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openOutbox(a, { autoDrain: false });
  await openOutbox(b, { autoDrain: false });
  for (let i = 0; i < 4; i++) {
    await enqueueNote(a, `tab-a-${i}`, 'a');
    await enqueueNote(b, `tab-b-${i}`, 'b');
  }
  const drain = (page: Page) => page.evaluate(() => window.outbox.drain());
  const reports = await Promise.all([drain(a), drain(b)]);
  expect(reports.map((r) => r.skipped)).toContain('not-leader');
  expect(reports.reduce((sum, r) => sum + r.delivered, 0)).toBe(8);
  for (const page of [a, b])
    expect(await page.evaluate(async () => (await window.outbox.list()).length)).toBe(0);
  const after = await stats();
  expect(after.writesApplied).toBe(8);
  expect(after.byRoute['PUT /api/notes/:id']).toBe(8);
  expect(after.duplicatesSuppressed).toBe(0);
  // The tab that did not drain still saw the queue empty out.
  for (const page of [a, b]) {
    await expect.poll(() => page.evaluate(() => window.outbox.stats.pending)).toBe(0);
  }
});

test('offline: writes queue, and are delivered in order when the network returns', async ({
  page,
  context,
}) => {
  await openOutbox(page);
  await context.setOffline(true);
  // The page hears of it a moment later: a write enqueued before that may start a delivery.
  await page.waitForFunction(() => !navigator.onLine);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await enqueueNote(page, `offline-${i}`));
  expect(await page.evaluate(() => window.outbox.drain())).toMatchObject({ skipped: 'offline' });
  expect(await page.evaluate(() => window.outbox.stats.pending)).toBe(5);
  expect((await stats()).byRoute['PUT /api/notes/:id']).toBeUndefined();

  await context.setOffline(false); // the `online` event starts the drain
  await expect.poll(() => page.evaluate(() => window.delivered.length), { timeout: 15_000 }).toBe(5);
  expect(await page.evaluate(() => window.delivered)).toEqual(ids);
  const applied = await notes();
  const createdAt = (i: number) => applied.find((n) => n.id === `offline-${i}`)?.createdAt ?? Number.NaN;
  for (let i = 1; i < 5; i++) expect(createdAt(i)).toBeGreaterThanOrEqual(createdAt(i - 1));
  expect((await stats()).writesApplied).toBe(5);
});

test('the page is closed while offline; the service worker delivers through Background Sync', async ({
  context,
}) => {
  const page = await context.newPage();
  await page.goto(`${origin()}/`);
  await page.evaluate(async () => {
    const wb = new window.BP.Workbox('/sw.js');
    await wb.register();
    await navigator.serviceWorker.ready;
    window.outbox = window.BP.createOutbox({ name: 'bgsync', backgroundSync: wb });
  });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  for (let i = 0; i < 3; i++) {
    await page.evaluate(
      (i) =>
        window.outbox.enqueueRequest({
          url: `/api/notes/bg-${i}`,
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: `written offline ${i}` }),
        }),
      i,
    );
  }
  // The page asked its worker to register the outbox's sync tag.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
          sync: { getTags(): Promise<string[]> };
        };
        return registration.sync.getTags();
      }),
    )
    .toContain('bulletproof-outbox-bgsync');
  await page.close();
  expect(context.pages()).toHaveLength(0);

  await context.setOffline(false);
  await expect.poll(async () => (await stats()).writesApplied, { timeout: 30_000 }).toBe(3);
  expect((await notes()).map((n) => n.id).sort()).toEqual(['bg-0', 'bg-1', 'bg-2']);
  // And the queue the worker drained is empty for the next visit.
  const next = await context.newPage();
  await next.goto(`${origin()}/`);
  const left = await next.evaluate(async () => {
    const box = window.BP.createOutbox({ name: 'bgsync', autoDrain: false });
    return (await box.list()).length;
  });
  expect(left).toBe(0);
});
