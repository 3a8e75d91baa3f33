import { expect, test } from '@playwright/test';
import { recordMessages, resetServer, screenshot, VIEWPORT } from './support/field-notes.js';

// The demo under the Vite dev server (`npm run demo:dev`), where React runs in development
// mode: StrictMode mounts the app, unmounts it and mounts it again, so the first load of the
// notes is started and cancelled before the one that counts. A cancelled load is not a
// failure — a healthy first visit must stay as silent here as in the built app.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

test('a healthy first visit under StrictMode shows no banner and no toast', async ({ page }) => {
  const shown = await recordMessages(page);
  const cancelledLoads: string[] = [];
  page.on('requestfailed', (request) => {
    if (new URL(request.url()).pathname === '/api/notes')
      cancelledLoads.push(request.failure()?.errorText ?? '');
  });

  // The dev server builds each module on its first request: the first visit after a start is slow.
  await page.goto('/');
  await expect(page.getByTestId('notes-source')).toHaveAttribute('data-source', 'server', {
    timeout: 30_000,
  });
  await expect(page.getByText('No notes yet.')).toBeVisible();
  await expect(page.locator('[data-bp-connectivity]')).toHaveText('Online');
  await expect(page.getByTestId('sw-status')).toHaveAttribute('data-state', 'ready');
  // One more refresh of the list (every 1.5 s) after the first, so a late message has had its chance.
  await page.waitForResponse((response) => new URL(response.url()).pathname === '/api/notes');

  // The premise: StrictMode did cancel a load in flight (else this test proves nothing).
  expect(cancelledLoads).toContain('net::ERR_ABORTED');
  expect(await shown()).toEqual([]);
  await expect(page.locator('[data-bp-banners] [data-bp-message]')).toHaveCount(0);
  await expect(page.locator('[data-bp-toasts] [data-bp-message]')).toHaveCount(0);
  await screenshot(page, 'dev-first-visit');
});
