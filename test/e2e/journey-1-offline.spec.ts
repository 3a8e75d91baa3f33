import { expect, test } from '@playwright/test';
import {
  banners,
  atPhoneSize,
  noteCard,
  noticesAboveNotes,
  OFFLINE_BANNER,
  openApp,
  resetServer,
  screenshot,
  serverNotes,
  serverStats,
  toasts,
  VIEWPORT,
  writeNote,
} from './support/field-notes.js';

// Journey 1 (also the façade's end-to-end test of issue 6): the network goes away, three
// notes are written and saved anyway, the page is reloaded with no network (the service
// worker serves the app), and when the network returns every note reaches the server once.
// Each test runs in a fresh browser context: IndexedDB, localStorage and service workers
// start empty.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

test('offline: three saves wait on the device, survive a reload, and sync exactly once', async ({
  page,
  context,
  request,
}) => {
  await openApp(page);
  await context.setOffline(true);
  await expect(page.locator('[data-bp-connectivity]')).toHaveText('Offline');

  const titles = ['Heron at the east pond', 'Kingfisher by the weir', 'Otter tracks on the bank'];
  for (const title of titles) await writeNote(page, title, `Seen at dawn. ${title}.`);

  // One banner for the situation and one message for the queue, not one per save.
  await expect(banners(page).getByText(OFFLINE_BANNER)).toBeVisible();
  await expect(banners(page).locator('[data-bp-message]')).toHaveCount(1);
  await expect(toasts(page).getByText('3 changes waiting to sync')).toBeVisible();
  for (const title of titles) await expect(noteCard(page, title).getByText('Waiting to sync')).toBeVisible();
  // On a phone the offline banner is the one thing above the notes.
  expect(await atPhoneSize(page, () => noticesAboveNotes(page))).toEqual([
    expect.stringContaining(OFFLINE_BANNER),
  ]);
  await screenshot(page, 'journey-1-offline-three-waiting');

  // A reload with no network at all: the service worker serves the app shell, the list comes
  // from the copy on this device, and the outbox still holds the three saves.
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(banners(page).getByText(OFFLINE_BANNER)).toBeVisible();
  await expect(toasts(page).getByText('3 changes waiting to sync')).toBeVisible();
  for (const title of titles) await expect(noteCard(page, title).getByText('Waiting to sync')).toBeVisible();
  expect((await serverStats(request)).writesApplied).toBe(0);
  expect(await atPhoneSize(page, () => noticesAboveNotes(page))).toEqual([
    expect.stringContaining(OFFLINE_BANNER),
  ]);
  await screenshot(page, 'journey-1-offline-after-reload');

  await context.setOffline(false);
  await expect(toasts(page).getByText('All 3 changes synced.')).toBeVisible();
  await expect(banners(page).getByText(OFFLINE_BANNER)).toBeHidden();
  for (const title of titles) {
    await expect(noteCard(page, title)).toBeVisible();
    await expect(noteCard(page, title).getByText('Waiting to sync')).toBeHidden();
  }
  // Degradation steps back down one level per calm period (800 ms with ?fast=1).
  await expect(page.getByTestId('degradation-level')).toHaveAttribute('data-level', 'none');
  await expect(toasts(page).getByText('All 3 changes synced.')).toBeVisible();
  await screenshot(page, 'journey-1-offline-synced');

  const stats = await serverStats(request);
  expect(stats.writesApplied).toBe(3);
  expect(stats.notes).toBe(3);
  expect((await serverNotes(request)).map((n) => n.title).sort()).toEqual([...titles].sort());
});
