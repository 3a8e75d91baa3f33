import { expect, test, type Page } from '@playwright/test';
import {
  openApp,
  ownDeliveries,
  resetServer,
  screenshot,
  serverStats,
  toasts,
  VIEWPORT,
  writeNote,
} from './support/field-notes.js';

// Journey 4: two tabs of the app share one outbox (one IndexedDB database). Both queue
// writes while offline and both see the whole queue; when the network returns, both try to
// deliver, one of them (or the service worker) holds the Web Lock and drains, and the server
// receives every write exactly once.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

test('two tabs: both queue, one drains, the server sees no duplicate', async ({ context, request }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await openApp(a);
  await openApp(b);

  await context.setOffline(true);
  // The user switches tabs to write in each (a tab in the background gets no animation
  // frames, which is not what a person typing into it sees).
  for (const [page, title] of [
    [a, 'Tab A: beetles under the log'],
    [b, 'Tab B: moss on the north side'],
    [a, 'Tab A: woodpecker drumming'],
    [b, 'Tab B: fungus ring'],
  ] as const) {
    await page.bringToFront();
    await writeNote(page, title);
  }

  // Each tab sees the whole queue, its own writes and the other tab's.
  const waiting = (page: Page) => page.getByTestId('outbox-pending');
  for (const page of [a, b]) {
    await expect(waiting(page)).toHaveText('4');
    await expect(toasts(page).getByText('4 changes waiting to sync')).toBeVisible();
  }
  await screenshot(a, 'journey-4-two-tabs-a-waiting');
  await screenshot(b, 'journey-4-two-tabs-b-waiting');

  await context.setOffline(false);
  await expect.poll(async () => (await serverStats(request)).writesApplied).toBe(4);
  // Both tabs tell their user, whichever of them (or the service worker) did the work.
  for (const page of [a, b]) {
    await expect(waiting(page)).toHaveText('0');
    await expect(toasts(page).getByText('All 4 changes synced.')).toBeVisible();
  }
  await screenshot(a, 'journey-4-two-tabs-a-synced');

  const stats = await serverStats(request);
  expect(stats.writesApplied).toBe(4);
  expect(stats.notes).toBe(4);
  expect(stats.byRoute['PUT /api/notes/:id']).toBe(4);
  expect(stats.duplicatesSuppressed).toBe(0);
  // Only one deliverer: at most one tab delivered anything itself (none when the service
  // worker's Background Sync got the lock first).
  const delivered = [await ownDeliveries(a), await ownDeliveries(b)];
  expect(delivered.filter((n) => n > 0).length).toBeLessThanOrEqual(1);
  expect(delivered[0]! + delivered[1]!).toBeLessThanOrEqual(4);
});
