import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { sourceAliases } from '../../packages/source-aliases.js';

// The React components in a real Chromium: the connectivity indicator and the
// degradation banner follow `context.setOffline` and a backend that stops
// answering. The page is a small fixture built here and served through request
// interception on the demo's origin, so its probe reaches the demo API's /api/health.

const BASE = '/__fixtures/react-indicator/';
const fixtureRoot = fileURLToPath(new URL('./fixtures/react-indicator/', import.meta.url));
const outDir = fileURLToPath(new URL('../.artifacts/e2e-fixtures/react-indicator/', import.meta.url));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

test.beforeAll(async () => {
  await build({
    root: fixtureRoot,
    base: BASE,
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: sourceAliases },
    plugins: [react()],
    build: { outDir, emptyOutDir: true },
  });
});

async function open(page: Page) {
  await page.route(`**${BASE}**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(BASE.length) || 'index.html';
    const body = await readFile(join(outDir, path)).catch(() => undefined);
    await (body
      ? route.fulfill({ body, contentType: TYPES[extname(path)] ?? 'application/octet-stream' })
      : route.fulfill({ status: 404 }));
  });
  await page.goto(BASE);
}

const indicator = (page: Page) => page.getByRole('status').filter({ has: page.locator('[data-bp-dot]') });
const banners = (page: Page) => page.locator('[data-bp-placement="banner"]');

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const { violations } = await (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }>;
          }>;
        };
      }
    ).axe.run();
    return violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

test('the indicator and the banner follow the browser going offline and back', async ({ page, context }) => {
  await open(page);
  await expect(indicator(page)).toHaveText('Online');
  await expect(page.locator('[data-bp-degradation]')).toHaveCount(0);

  await context.setOffline(true);
  await expect(indicator(page)).toHaveText('Offline');
  await expect(indicator(page)).toHaveAttribute('data-bp-connectivity', 'offline');
  // One banner tells it: the degradation banner stays quiet beside the message center's.
  await expect(banners(page)).toHaveCount(1);
  await expect(page.locator('[data-bp-degradation]')).toHaveCount(0);
  // The message center shows the offline banner above the content and announces it politely.
  await expect(page.locator('[data-bp-banners] [data-bp-message]')).toContainText("You're offline");
  await expect(page.locator('[data-bp-live="polite"]')).toContainText("You're offline");
  // Every component in its offline state, with the stylesheet applied: contrast included.
  expect(await axeViolations(page)).toEqual([]);

  await context.setOffline(false);
  await expect(indicator(page)).toHaveText('Online');
  await expect(page.locator('[data-bp-degradation]')).toHaveCount(0);
  await expect(page.locator('[data-bp-banners] [data-bp-message]')).toHaveCount(0);
});

test("the indicator says it can't reach the server when the backend stops answering", async ({ page }) => {
  await open(page);
  await expect(indicator(page)).toHaveText('Online');

  await page.route('**/api/health', (route) => route.abort('connectionrefused'));
  await expect(indicator(page)).toHaveText("Can't reach the server");
  await expect(banners(page)).toHaveCount(1);
  await expect(banners(page)).toContainText("We can't reach the server right now");
  expect(await axeViolations(page)).toEqual([]);

  await page.unroute('**/api/health');
  await expect(indicator(page)).toHaveText('Online');
});
