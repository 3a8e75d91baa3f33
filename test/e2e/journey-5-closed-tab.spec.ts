import { expect, test } from '@playwright/test';
import {
  noteCard,
  openApp,
  outboxPanel,
  resetServer,
  screenshot,
  serverNotes,
  serverStats,
  SYNC_TAG,
  syncTags,
  VIEWPORT,
  writeNote,
} from './support/field-notes.js';

// Journey 5: a write is queued offline and the tab is closed before the network returns.
// The page had asked its service worker for a Background Sync; the browser fires it when
// the network is back — with no page open — and the worker delivers the write from the
// same outbox. The next visit finds the note on the server and nothing left to send.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

test('closed tab: the service worker delivers the queued write through Background Sync', async ({
  context,
  request,
}) => {
  const page = await context.newPage();
  await openApp(page);
  await context.setOffline(true);
  await writeNote(page, 'Written in the tunnel', 'Signal lost between stations.');
  await expect(noteCard(page, 'Written in the tunnel').getByText('Waiting to sync')).toBeVisible();
  await expect.poll(() => syncTags(page)).toContain(SYNC_TAG);
  await screenshot(page, 'journey-5-closed-tab-before-close');
  await page.close();
  expect(context.pages()).toHaveLength(0);

  await context.setOffline(false);
  await expect.poll(async () => (await serverStats(request)).writesApplied, { timeout: 30_000 }).toBe(1);
  expect((await serverNotes(request)).map((n) => n.title)).toEqual(['Written in the tunnel']);

  const next = await context.newPage();
  await openApp(next);
  await expect(noteCard(next, 'Written in the tunnel')).toBeVisible();
  await expect(noteCard(next, 'Written in the tunnel').getByText('Waiting to sync')).toBeHidden();
  await expect(outboxPanel(next).getByText('Nothing waiting to sync.')).toBeVisible();
  await screenshot(next, 'journey-5-closed-tab-delivered');
  const stats = await serverStats(request);
  expect(stats.writesApplied).toBe(1);
  expect(stats.byRoute['PUT /api/notes/:id']).toBe(1);
});
