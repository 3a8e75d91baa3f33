import { expect, test, type Page } from '@playwright/test';
import {
  noteCard,
  openApp,
  outboxPanel,
  resetServer,
  screenshot,
  serverNotes,
  serverStats,
  setChaos,
  toasts,
  VIEWPORT,
  writeNote,
} from './support/field-notes.js';

// Journey 3: the server refuses a queued write for good (422). It is not retried forever
// and not dropped silently: it shows in the outbox panel as "could not be saved", with the
// server's reason. After the fix, a bulk retry delivers it; another refused write is
// discarded on purpose, after a confirmation.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

/** Saves a note with no network, then lets the network back with the server set to refuse one write. */
async function refusedWhileAway(page: Page, title: string, message: string): Promise<void> {
  const context = page.context();
  await context.setOffline(true);
  await writeNote(page, title, 'Written in the field.');
  await setChaos(page.request, { reject: { status: 422, count: 1, message } });
  await context.setOffline(false);
  await expect(noteCard(page, title).getByText(/^Not saved/)).toBeVisible();
}

test('rejected write: shown as dead with its reason, retried in bulk after the fix, or discarded', async ({
  page,
  request,
}) => {
  await openApp(page);
  const panel = outboxPanel(page);
  const dead = panel.locator('[data-bp-group="dead"]');

  await refusedWhileAway(page, 'Nest count', 'Counts must be checked by a second observer.');
  await expect(dead.getByText('Save “Nest count”')).toBeVisible();
  await expect(
    // The server's own reason, never its status line or URL.
    dead.getByText(/^Refused by the server: Counts must be checked by a second observer\.$/),
  ).toBeVisible();
  await expect(
    toasts(page).getByText("One of your changes couldn't be saved because the server didn't accept it."),
  ).toBeVisible();
  // Back online: the app steps back to full service while the refused change waits for the user.
  await expect(page.getByTestId('degradation-level')).toHaveAttribute('data-level', 'none');
  await screenshot(page, 'journey-3-rejected-dead');

  await refusedWhileAway(page, 'Fox sighting', 'Sightings need a photo.');
  await expect(dead.locator('[data-bp-entry="dead"]')).toHaveCount(2);
  expect((await serverStats(request)).writesApplied).toBe(0);
  // "Review" on the message brings the outbox panel into view and focuses it.
  await toasts(page).getByRole('button', { name: 'Review' }).click();
  await expect(panel.getByRole('heading', { name: 'Changes waiting to sync' })).toBeFocused();
  await screenshot(page, 'journey-3-rejected-two-dead');

  // The fix is on the server's side; the user retries the first one from the panel.
  await setChaos(request, {});
  await panel.getByRole('checkbox', { name: /Save “Nest count”/ }).check();
  await panel.getByRole('button', { name: 'Retry (1)' }).click();
  await expect(dead.getByText('Save “Nest count”')).toBeHidden();
  await expect(noteCard(page, 'Nest count').getByText(/^Not saved/)).toBeHidden();
  await expect.poll(async () => (await serverNotes(request)).map((n) => n.title)).toEqual(['Nest count']);

  // The second is given up on: discarding asks first, then removes it.
  await panel.getByRole('checkbox', { name: /Save “Fox sighting”/ }).check();
  await panel.getByRole('button', { name: 'Discard (1)' }).click();
  await screenshot(page, 'journey-3-rejected-confirm-discard');
  await panel.getByRole('button', { name: 'Discard for good' }).click();
  await expect(panel.getByText('Nothing waiting to sync.')).toBeVisible();
  await expect(panel.getByText('1 change discarded.')).toBeVisible();
  await expect(noteCard(page, 'Fox sighting')).toBeHidden();

  const stats = await serverStats(request);
  expect(stats.writesApplied).toBe(1);
  expect(stats.notes).toBe(1);
  expect((await serverNotes(request)).map((n) => n.title)).toEqual(['Nest count']);
});
