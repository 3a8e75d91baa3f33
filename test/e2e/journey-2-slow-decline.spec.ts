import { expect, test } from '@playwright/test';
import {
  banners,
  editor,
  noteCard,
  openApp,
  resetServer,
  screenshot,
  serverStats,
  setChaos,
  VIEWPORT,
  writeNote,
} from './support/field-notes.js';

// Journey 2: the server gets slower and slower, then fails. The app sees it coming — from
// rising latency, before a single request has failed — warns the user and simplifies itself
// (live search gives way to search on Enter); the save made once the server fails is kept in
// the outbox; and when the server recovers, the app steps back to full service by itself.

test.use({ viewport: VIEWPORT });

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

test('slow decline: warned and degraded before the first failure, back to none after', async ({
  page,
  request,
}) => {
  await openApp(page, { serviceWorker: false });
  await writeNote(page, 'River survey', 'Water level normal.');
  const level = page.getByTestId('degradation-level');
  const search = page.locator('[data-feature="live-search"]');
  await expect(level).toHaveAttribute('data-level', 'none');
  await expect(search).toHaveAttribute('data-mode', 'live');
  // The app learns what normal latency is from its own calls: a full breaker window of reads.
  await expect(page.getByTestId('dependency-notes-read')).toHaveAttribute('data-calls', '10');

  // Latency climbs from nothing to 3 s over 8 s, then every request fails with 503.
  await setChaos(request, {
    ramp: { durationMs: 8_000, startLatencyMs: 0, peakLatencyMs: 3_000, then: 'error', status: 503 },
  });
  await expect(level).not.toHaveAttribute('data-level', 'none', { timeout: 8_000 });
  // The moment the app degraded, the server had not failed a single request yet.
  const atWarning = await serverStats(request);
  expect(atWarning.chaos.ramp?.failing).toBe(false);
  expect(atWarning.faults.error).toBe(0);
  await expect(level).toHaveAttribute('data-level', 'minimal');
  await expect(search).toHaveAttribute('data-mode', 'on-enter');
  await expect(
    banners(page).getByText(
      'Things are running slowly right now, so some features are simplified. Your work is safe.',
    ),
  ).toBeVisible();
  await screenshot(page, 'journey-2-slow-decline-warned');

  // Now the server fails for real: the save is kept on the device instead of lost.
  await expect
    .poll(async () => (await serverStats(request)).chaos.ramp?.failing, { timeout: 10_000 })
    .toBe(true);
  const card = noteCard(page, 'River survey');
  await card.getByRole('button', { name: /^Edit/ }).click();
  await editor(page).getByLabel('Note', { exact: true }).fill('Water level rising fast.');
  await editor(page).getByRole('button', { name: 'Save' }).click();
  await expect(editor(page)).toBeHidden({ timeout: 15_000 });
  await expect(card.getByText('Waiting to sync')).toBeVisible();
  expect((await serverStats(request)).faults.error).toBeGreaterThan(0);
  await screenshot(page, 'journey-2-slow-decline-failing');

  await setChaos(request, {});
  await expect(card.getByText('Waiting to sync')).toBeHidden({ timeout: 15_000 });
  await expect(level).toHaveAttribute('data-level', 'none', { timeout: 20_000 });
  await expect(search).toHaveAttribute('data-mode', 'live');
  await expect(card.getByText('Water level rising fast.')).toBeVisible();
  await screenshot(page, 'journey-2-slow-decline-recovered');
});
