import { expect, test } from '@playwright/test';

// The foundation journey: the built demo talks to its API on the same origin,
// notes persist across a reload, and the chaos panel really changes the server.

test.beforeEach(async ({ request }) => {
  expect((await request.post('/api/_reset')).status()).toBe(204);
});

test('lists, creates and edits notes through the API, and keeps them across a reload', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await expect(page.getByText('No notes yet.')).toBeVisible();

  await page.getByRole('button', { name: 'New note' }).click();
  const editor = page.getByRole('form', { name: 'Edit note' });
  await editor.getByLabel('Title').fill('Bird count at the pond');
  await editor.getByLabel('Body').fill('Three herons, one kingfisher.');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Bird count at the pond' })).toBeVisible();

  await page.getByRole('button', { name: 'Edit' }).click();
  await editor.getByLabel('Title').fill('Bird count at the east pond');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Bird count at the east pond' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Bird count at the east pond' })).toBeVisible();

  const stats = (await (await request.get('/api/_stats')).json()) as { writesApplied: number; notes: number };
  expect(stats).toMatchObject({ writesApplied: 2, notes: 1 });
});

test('the chaos panel makes saves fail, and calming the server makes them work again', async ({ page }) => {
  await page.goto('/');
  const chaos = page.getByRole('form', { name: 'Chaos controls' });
  await chaos.getByLabel(/Error rate/).fill('1');
  await chaos.getByLabel('Status').selectOption('500');
  await chaos.getByRole('button', { name: 'Apply chaos' }).click();
  await expect(page.getByTestId('chaos-active')).toContainText('"errorRate":1');

  await page.getByRole('button', { name: 'New note' }).click();
  const editor = page.getByRole('form', { name: 'Edit note' });
  await editor.getByLabel('Title').fill('Written during an outage');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByRole('alert')).toBeVisible();

  await page.getByRole('button', { name: 'Calm the server' }).click();
  await expect(page.getByTestId('chaos-active')).toHaveText('{}');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Written during an outage' })).toBeVisible();
});
