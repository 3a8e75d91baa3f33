import { expect, test } from '@playwright/test';
import {
  banners,
  editor,
  noteCard,
  openApp,
  recordMessages,
  resetServer,
  screenshot,
  serverNotes,
  serverStats,
  toasts,
  VIEWPORT,
  writeNote,
} from './support/field-notes.js';

// The Field Notes demo's basics in the built app: notes go to the server and persist, a
// draft survives a reload, and a chaos preset really breaks the server while the app keeps
// the user's work, opens the write breaker, sheds photo uploads and notices rage clicks.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

test('creates and edits notes through the API, and keeps them across a reload', async ({ page, request }) => {
  const shown = await recordMessages(page);
  await page.goto('/?fast=1');
  await expect(page.getByRole('heading', { name: 'Try this' })).toBeVisible();
  await expect(page.getByText('No notes yet.')).toBeVisible();
  // A healthy first visit is silent: the list comes from the server and nothing is said.
  await expect(page.getByTestId('notes-source')).toHaveAttribute('data-source', 'server');
  expect(await shown()).toEqual([]);
  await screenshot(page, 'demo-first-visit');

  await writeNote(page, 'Bird count at the pond', 'Three herons, one kingfisher.');
  await noteCard(page, 'Bird count at the pond').getByRole('button', { name: /^Edit/ }).click();
  await editor(page).getByLabel('Title', { exact: true }).fill('Bird count at the east pond');
  await editor(page).getByRole('button', { name: 'Save' }).click();
  await expect(editor(page)).toBeHidden();
  await expect(noteCard(page, 'Bird count at the east pond')).toBeVisible();

  await page.reload();
  await expect(noteCard(page, 'Bird count at the east pond')).toBeVisible();
  await expect(noteCard(page, 'Bird count at the pond')).toBeHidden();
  const stats = await serverStats(request);
  expect(stats).toMatchObject({ writesApplied: 2, notes: 1 });
});

test('a draft survives a reload: the editor opens again with what was typed', async ({ page, request }) => {
  await openApp(page, { serviceWorker: false });
  await page.getByRole('button', { name: 'New note' }).click();
  await editor(page).getByLabel('Title', { exact: true }).fill('Half-written');
  await editor(page).getByLabel('Note', { exact: true }).fill('Started near the old mill, then');
  await expect(editor(page).getByText('Draft saved on this device.')).toBeVisible();

  await page.reload();
  await expect(editor(page).getByLabel('Title', { exact: true })).toHaveValue('Half-written');
  await expect(editor(page).getByLabel('Note', { exact: true })).toHaveValue(
    'Started near the old mill, then',
  );
  await expect(editor(page).getByText('Draft restored from this device.')).toBeVisible();
  expect((await serverStats(request)).writesApplied).toBe(0);

  await editor(page).getByRole('button', { name: 'Discard draft' }).click();
  await expect(editor(page)).toBeHidden();
  await page.reload();
  await expect(page.getByText('No notes yet.')).toBeVisible();
  await expect(editor(page)).toBeHidden();
});

test('Server meltdown: saves are kept, the write breaker opens, photos give way to links, rage clicks count', async ({
  page,
  request,
}) => {
  await openApp(page, { serviceWorker: false });
  await page.getByRole('button', { name: 'New note' }).click();
  await expect(page.locator('[data-feature="attachments"]')).toHaveAttribute('data-mode', 'photos');
  await editor(page).getByRole('button', { name: 'Close' }).click();
  await page
    .getByRole('group', { name: 'Chaos presets' })
    .getByRole('button', { name: 'Server meltdown' })
    .click();
  await expect(page.getByTestId('chaos-state')).toContainText('Server meltdown:');

  // The first save struggles (503 with Retry-After): the user clicks Save again and again.
  await page.getByRole('button', { name: 'New note' }).click();
  await editor(page).getByLabel('Title', { exact: true }).fill('Meltdown note 1');
  const box = await editor(page).getByRole('button', { name: 'Save' }).boundingBox();
  if (!box) throw new Error('the Save button has no box');
  for (let i = 0; i < 3; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('frustration')).toContainText('1 rage click');
  await expect(editor(page)).toBeHidden({ timeout: 10_000 });
  await writeNote(page, 'Meltdown note 2');

  // Two failed saves in a row open the (critical) write breaker: photo uploads pause.
  const writes = page.getByTestId('dependency-notes-write');
  await expect(writes).toHaveAttribute('data-breaker', /open|half-open/);
  await expect(page.getByTestId('degradation-level')).toHaveAttribute('data-level', /moderate|severe/);
  for (const title of ['Meltdown note 1', 'Meltdown note 2']) {
    await expect(noteCard(page, title).getByText('Waiting to sync')).toBeVisible();
  }
  await page.getByRole('button', { name: 'New note' }).click();
  await expect(page.locator('[data-feature="attachments"]')).toHaveAttribute('data-mode', 'link');
  await expect(editor(page).getByLabel('Link to a photo')).toBeVisible();
  await expect(banners(page).locator('[data-bp-message]').first()).toBeVisible();
  await screenshot(page, 'demo-server-meltdown');
  await editor(page).getByRole('button', { name: 'Close' }).click();
  expect((await serverStats(request)).writesApplied).toBe(0);

  await page.getByRole('button', { name: 'Calm the server' }).click();
  await expect(toasts(page).getByText('All 2 changes synced.')).toBeVisible({ timeout: 15_000 });
  await expect(writes).toHaveAttribute('data-breaker', 'closed');
  await expect(page.getByTestId('degradation-level')).toHaveAttribute('data-level', 'none', {
    timeout: 15_000,
  });
  expect((await serverNotes(request)).map((n) => n.title).sort()).toEqual([
    'Meltdown note 1',
    'Meltdown note 2',
  ]);
  expect((await serverStats(request)).writesApplied).toBe(2);
});
