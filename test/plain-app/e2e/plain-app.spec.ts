import { expect, test } from '@playwright/test';
import {
  addTodo,
  CALL_TIMEOUT_MS,
  copiesByTitle,
  indicator,
  INTERNALS,
  list,
  message,
  openApp,
  PROBE_TIMEOUT_MS,
  resetServer,
  sampleOf,
  Sampler,
  serverState,
  setFaults,
  SHOTS,
  TROUBLE,
} from './support.js';

// A fresh create-vite React app (StrictMode on) wired only as the README says, against an
// ordinary REST backend: what does the person using it see when things go right and wrong?

// Also run against the production build (playwright.production.config.ts).
const PRODUCTION_TOO = { tag: '@production' };

test.beforeEach(async ({ request }) => {
  await resetServer(request);
});

const atMostOneEach = (s: { banners: string[]; toasts: string[] }) =>
  s.banners.length > 1 || s.toasts.length > 1
    ? `${s.banners.length} banners and ${s.toasts.length} toasts at once`
    : undefined;

const internals = (s: { banners: string[]; toasts: string[]; indicator: string }) => {
  const shown = [...s.banners, ...s.toasts, s.indicator].find((t) => INTERNALS.test(t));
  return shown === undefined ? undefined : `developer words on screen: "${shown}"`;
};

test('a healthy first load says nothing, StrictMode notwithstanding', async ({ page }) => {
  const sampler = new Sampler(page, 'first-load');
  await openApp(page);
  const loaded = Date.now();
  // Whatever the double-run effect left behind shows up within moments of the load.
  await expect
    .poll(() => sampler.samples.at(-1)?.at ?? 0, { timeout: 5_000 })
    .toBeGreaterThan(loaded + 2_000);
  await sampler.stop();
  sampler.report();
  await page.screenshot({ path: `${SHOTS}first-load.png` });

  expect
    .soft(sampler.violations((s) => (s.banners.length + s.toasts.length > 0 ? 'a message' : undefined)))
    .toEqual([]);
  await expect(list(page)).toHaveAttribute('data-source', 'server');
  await expect(page.getByText('Showing the copy saved on this device')).toHaveCount(0);
  await expect(page.getByText(/cancel|fallback|aborted/i)).toHaveCount(0);
});

test(
  'offline writes sync once, with a visible confirmation',
  PRODUCTION_TOO,
  async ({ page, context, request }) => {
    await openApp(page);
    const sampler = new Sampler(page, 'offline-writes');
    await context.setOffline(true);
    await expect(indicator(page)).toHaveText('Offline');
    const titles = ['Buy milk', 'Call the plumber', 'Water the plants'];
    for (const title of titles) await addTodo(page, title);
    await expect(page.getByText(/^New todo “/)).toHaveCount(3);

    await context.setOffline(false);
    await expect(message(page, 'All 3 changes synced.')).toBeVisible({ timeout: 15_000 });
    await expect(list(page).getByRole('listitem')).toHaveCount(3);
    await sampler.stop();
    sampler.report();

    expect.soft(await copiesByTitle(request)).toEqual(Object.fromEntries(titles.map((t) => [t, 1])));
    expect.soft(sampler.violations(atMostOneEach)).toEqual([]);
    expect.soft(sampler.violations(internals)).toEqual([]);
  },
);

test(
  'a 20 s outage tells one calm story and nothing stale after it',
  PRODUCTION_TOO,
  async ({ page, request }) => {
    test.setTimeout(120_000);
    await openApp(page);
    const sampler = new Sampler(page, 'outage-503');
    await setFaults(request, { mode: 'unavailable', forMs: 20_000 });
    const outageEnds = (await serverState(request)).now + 20_000;
    const titles = ['Pay rent', 'Book the dentist', 'Renew passport'];
    for (const title of titles) await addTodo(page, title);
    // The app reads the list again as queued writes are delivered.
    await expect
      .poll(async () => (await request.get('/api/health')).status(), { timeout: 30_000, intervals: [250] })
      .toBe(204);
    const recovered = Date.now();
    await expect(message(page, 'All 3 changes synced.')).toBeVisible({ timeout: 30_000 });
    // Then 15 s of calm on screen.
    await expect
      .poll(() => Date.now() - recovered, { timeout: 20_000, intervals: [500] })
      .toBeGreaterThan(15_000);
    const last = await sampleOf(page);
    await sampler.stop();
    await page.screenshot({ path: `${SHOTS}outage-503-after-15s.png` });
    sampler.report(
      `outage ended ${((recovered - outageEnds) / 1000).toFixed(1)} s after its planned end; 15 s later: ${JSON.stringify(last)}`,
    );

    expect.soft(await copiesByTitle(request)).toEqual(Object.fromEntries(titles.map((t) => [t, 1])));
    expect.soft(sampler.violations(atMostOneEach)).toEqual([]);
    expect.soft(sampler.violations(internals)).toEqual([]);
    const stale = [...last.banners, ...last.toasts].filter((t) => TROUBLE.test(t));
    expect.soft(stale, 'still on screen 15 s after the server recovered').toEqual([]);
    expect.soft(last.indicator).toBe('Online');
    // The list the user looks at shows what the server has, not an old copy.
    await expect
      .soft(page.getByText('Showing the copy saved on this device'))
      .toHaveCount(0, { timeout: 1_000 });
    for (const title of titles)
      await expect.soft(list(page).getByText(title)).toBeVisible({ timeout: 1_000 });
  },
);

test('a hanging API is noticed within the probe timeout + 1 s', PRODUCTION_TOO, async ({ page, request }) => {
  test.setTimeout(90_000);
  await openApp(page);
  const sampler = new Sampler(page, 'hang');
  await setFaults(request, { mode: 'hang' });
  await addTodo(page, 'Fix the bike');
  await expect
    .poll(async () => (await serverState(request)).faulted.some((f) => f.method === 'POST'))
    .toBe(true);
  await expect(indicator(page)).not.toHaveText('Online', { timeout: 45_000 });
  const left = Date.now();
  await page.screenshot({ path: `${SHOTS}hang-noticed.png` });
  const state = await serverState(request);
  await setFaults(request, { mode: 'none' });
  await sampler.stop();

  const sent = state.faulted.find((f) => f.method === 'POST')!.at;
  const timedOut = sent + CALL_TIMEOUT_MS;
  const text = await indicator(page).innerText();
  sampler.report(
    `indicator left Online ${((left - sent) / 1000).toFixed(2)} s after the write was sent, ` +
      `${((left - timedOut) / 1000).toFixed(2)} s after it timed out (now "${text}")`,
  );
  expect.soft(sampler.violations(atMostOneEach)).toEqual([]);
  expect.soft(sampler.violations(internals)).toEqual([]);
  expect
    .soft(left - timedOut, 'ms from the call timing out to the indicator leaving Online')
    .toBeLessThanOrEqual(PROBE_TIMEOUT_MS + 1_000);
});

test('writes whose responses are lost are applied once', PRODUCTION_TOO, async ({ page, request }) => {
  await openApp(page);
  const sampler = new Sampler(page, 'lost-responses');
  await setFaults(request, { mode: 'lose-response' });
  const titles = ['Send the invoice', 'Feed the cat', 'Back up the laptop'];
  for (const title of titles) await addTodo(page, title);
  // Every write reached the server and lost its answer; the app gets there in the end.
  await expect
    .poll(async () => (await serverState(request)).faulted.filter((f) => f.fault === 'lose-response').length)
    .toBe(3);
  for (const title of titles) await expect(list(page).getByText(title)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^New todo “/)).toHaveCount(0, { timeout: 30_000 });
  await sampler.stop();
  sampler.report();

  expect.soft(await copiesByTitle(request)).toEqual(Object.fromEntries(titles.map((t) => [t, 1])));
  expect.soft(sampler.violations(atMostOneEach)).toEqual([]);
  expect.soft(sampler.violations(internals)).toEqual([]);
});
