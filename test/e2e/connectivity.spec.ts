import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { startDemoServer, type DemoServer } from '../../demo/server/start.js';
import type * as CoreModule from '../../packages/core/src/index.js';

// Connectivity and frustration signals in a real Chromium: `context.setOffline` takes the
// network away for real (navigator.onLine, the offline event, failing fetches), the demo
// API's chaos makes the backend hang, and clicks are real mouse clicks. The page is a
// plain same-origin document of a demo API server started here, with @bulletproof/core
// bundled by esbuild and added as a script, so this file needs no build of the demo app.

type Core = typeof CoreModule;
declare global {
  interface Window {
    Bulletproof: Core;
    bp: {
      statuses: string[];
      monitor: ReturnType<Core['createConnectivityMonitor']>;
      signals: Array<{ kind: string; target: string }>;
    };
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundlePath = join(root, 'test/.artifacts/bulletproof-core.iife.js');

let server: DemoServer;
let dataDir: string;

test.beforeAll(async () => {
  await mkdir(join(root, 'test/.artifacts'), { recursive: true });
  await build({
    entryPoints: [join(root, 'packages/core/src/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'Bulletproof',
    platform: 'browser',
    target: 'es2022',
    outfile: bundlePath,
    logLevel: 'silent',
  });
  dataDir = await mkdtemp(join(tmpdir(), 'bp-e2e-connectivity-'));
  server = await startDemoServer({ port: 0, dataDir, seed: 1, log: () => {} });
});

test.afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function chaos(settings: unknown): Promise<void> {
  const res = await fetch(`${server.url}/api/_chaos`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
}

test.afterEach(async () => {
  await chaos({});
});

async function openPage(page: Page): Promise<void> {
  // Any same-origin document will do; the API server answers other paths with a plain 404.
  await page.goto(`${server.url}/blank`);
  await page.addScriptTag({ path: bundlePath });
}

async function startMonitor(page: Page, timeoutMs: number): Promise<void> {
  await page.evaluate((timeout) => {
    const monitor = window.Bulletproof.createConnectivityMonitor({
      probe: { url: '/api/health', timeoutMs: timeout, expect: (res) => res.status === 204 },
    });
    window.bp = { statuses: [], monitor, signals: [] };
    monitor.state$.subscribe((s) => window.bp.statuses.push(s.status));
  }, timeoutMs);
  await expect.poll(() => page.evaluate(() => window.bp.monitor.snapshot.status)).toBe('online');
}

test('going offline is reported at once, and coming back is confirmed by a probe', async ({
  page,
  context,
}) => {
  await openPage(page);
  await startMonitor(page, 2_000);

  const waitForOffline = page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let firedAt = Number.NaN;
        // `timeStamp` is when the browser created the event, on the performance.now() clock.
        window.addEventListener('offline', (e) => (firedAt = e.timeStamp), { once: true });
        const sub = window.bp.monitor.state$.subscribe((s) => {
          if (s.status !== 'offline') return;
          const detectedAt = performance.now();
          queueMicrotask(() => sub.unsubscribe());
          // The monitor may react before this page's own listener has run: read firedAt afterwards.
          setTimeout(() => resolve(detectedAt - firedAt), 0);
        });
      }),
  );
  await context.setOffline(true);
  const detectedAfterMs = await waitForOffline;
  test
    .info()
    .annotations.push({ type: 'offline detection', description: `${detectedAfterMs.toFixed(1)} ms` });
  // From the browser's offline event to the snapshot saying offline.
  expect(detectedAfterMs).toBeGreaterThanOrEqual(0);
  expect(detectedAfterMs).toBeLessThan(100);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  // While offline, an explicit check fails like every fetch and leaves the status offline.
  expect(await page.evaluate(async () => (await window.bp.monitor.check()).status)).toBe('offline');

  await context.setOffline(false);
  await expect.poll(() => page.evaluate(() => window.bp.monitor.snapshot.status)).toBe('online');
  const statuses = await page.evaluate(() => window.bp.statuses);
  // offline → unknown (the browser says online; the probe has not answered yet) → online.
  expect(statuses.slice(statuses.lastIndexOf('offline'))).toEqual(['offline', 'unknown', 'online']);
});

test('lie-fi: the browser says online but the backend hangs, so the status becomes unreachable', async ({
  page,
}) => {
  await openPage(page);
  await startMonitor(page, 1_000);
  await chaos({ hang: true });
  const { status, elapsed, onLine } = await page.evaluate(async () => {
    const began = performance.now();
    const snapshot = await window.bp.monitor.check();
    return { status: snapshot.status, elapsed: performance.now() - began, onLine: navigator.onLine };
  });
  expect(onLine).toBe(true);
  expect(status).toBe('unreachable');
  // One probe timeout plus the hedge (half the timeout when that is under 0.5 s).
  expect(elapsed).toBeLessThan(1_000 + 500 + 500);

  await chaos({});
  expect(await page.evaluate(async () => (await window.bp.monitor.check()).status)).toBe('online');
});

test('rage clicks and repeat submits from real mouse clicks', async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => {
    document.body.innerHTML = `
      <button id="save" style="position:absolute;left:40px;top:40px;width:120px;height:40px">Save</button>
      <form id="note" aria-busy="true" onsubmit="event.preventDefault()" style="position:absolute;left:40px;top:140px">
        <input name="title" value="Groceries"><button id="send" type="submit">Send</button>
      </form>`;
    window.bp = { ...window.bp, signals: [] };
    window.Bulletproof.watchFrustration(document, (s) =>
      window.bp.signals.push({ kind: s.kind, target: s.target.id }),
    );
  });

  // Two clicks are impatience; the third within a second and 30 px is rage.
  await page.mouse.click(100, 60);
  await page.mouse.click(104, 62);
  expect(await page.evaluate(() => window.bp.signals)).toEqual([]);
  await page.mouse.click(98, 58);
  expect(await page.evaluate(() => window.bp.signals)).toEqual([{ kind: 'rage-click', target: 'save' }]);

  // The form says its submission is still pending (aria-busy): pressing Send again is a repeat submit.
  await page.click('#send');
  await page.click('#send');
  expect(await page.evaluate(() => window.bp.signals.filter((s) => s.kind === 'repeat-submit'))).toEqual([
    { kind: 'repeat-submit', target: 'note' },
  ]);
});
