// Simulating offline in Playwright: `context.setOffline` takes the whole browser context off
// the network (navigator.onLine, the `offline` event, every fetch), which is what the SDK
// watches. Quoted in docs/testing.md.
import { expect, test } from '@playwright/test';

test('a note saved offline waits on the device and syncs once the network is back', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await context.setOffline(true);
  await expect(page.locator('[data-bp-connectivity]')).toHaveText('Offline');

  await page.getByLabel('Title').fill('Heron at the east pond');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('1 change waiting to sync')).toBeVisible();

  // A reload with no network opens the app only when a service worker serves it (a production
  // build, not a dev server): see docs/service-worker.md.
  await page.reload();
  await expect(page.getByText('1 change waiting to sync')).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByText('Your change synced.')).toBeVisible();
});
