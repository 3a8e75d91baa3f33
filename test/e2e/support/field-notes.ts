import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { ChaosSettings } from '../../../demo/server/chaos-settings.js';
import type { DemoApiStats } from '../../../demo/server/stats.js';

// What the Field Notes journeys share: talking to the demo server's operator endpoints,
// driving the app like a person would (labels and roles, never CSS internals of the app),
// and saving screenshots of the states worth showing.

export const SCREENSHOTS = fileURLToPath(new URL('../../.artifacts/screenshots/', import.meta.url));
mkdirSync(SCREENSHOTS, { recursive: true });

/** Screenshots are taken at this size, so the README's images line up. */
export const VIEWPORT = { width: 1360, height: 1000 };

/** A phone (an iPhone 12–15's CSS pixels): every state worth showing must fit it too. */
export const PHONE = { width: 390, height: 844 };

/** The sync tag the page asks its service worker to register (outbox name `field-notes`). */
export const SYNC_TAG = 'bulletproof-outbox-field-notes';

export async function resetServer(request: APIRequestContext): Promise<void> {
  expect((await request.post('/api/_reset')).status()).toBe(204);
}

export async function setChaos(request: APIRequestContext, settings: ChaosSettings): Promise<void> {
  const res = await request.put('/api/_chaos', { data: settings });
  expect(res.status(), await res.text()).toBe(200);
}

export async function serverStats(request: APIRequestContext): Promise<DemoApiStats> {
  return (await (await request.get('/api/_stats')).json()) as DemoApiStats;
}

export async function serverNotes(request: APIRequestContext): Promise<Array<{ id: string; title: string }>> {
  return ((await (await request.get('/api/notes')).json()) as { notes: Array<{ id: string; title: string }> })
    .notes;
}

/**
 * Opens the app with the short timings of `?fast=1`, waits until it has talked to the
 * server, and (by default) until its service worker controls the page — the moment from
 * which a reload works offline. The guide is folded away so screenshots show the action.
 */
export async function openApp(
  page: Page,
  o: { serviceWorker?: boolean; guide?: boolean } = {},
): Promise<void> {
  await page.goto('/?fast=1');
  await expect(page.getByTestId('notes-source')).toHaveAttribute('data-source', 'server');
  if (o.serviceWorker !== false) {
    await expect(page.getByTestId('sw-status')).toHaveAttribute('data-state', 'ready');
  }
  // Folded only if open: a page opened after another remembers the guide folded.
  const guide = page.locator('details.try-this');
  if (o.guide !== true && (await guide.evaluate((details: HTMLDetailsElement) => details.open))) {
    await guide.locator('summary').click();
    await expect(guide).not.toHaveAttribute('open');
  }
}

export function editor(page: Page): Locator {
  return page.getByRole('form', { name: 'Edit note' });
}

/** New note → title and text → Save, and waits until the editor has closed (saved or queued). */
export async function writeNote(page: Page, title: string, text = ''): Promise<void> {
  await page.getByRole('button', { name: 'New note' }).click();
  const form = editor(page);
  await form.getByLabel('Title', { exact: true }).fill(title);
  if (text) await form.getByLabel('Note', { exact: true }).fill(text);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(noteCard(page, title)).toBeVisible();
}

export function noteCard(page: Page, title: string): Locator {
  return page
    .getByRole('list', { name: 'Notes' })
    .getByRole('listitem')
    .filter({
      has: page.getByRole('heading', { name: title, exact: true }),
    });
}

export function toasts(page: Page): Locator {
  return page.locator('[data-bp-toasts]');
}

export function banners(page: Page): Locator {
  return page.locator('[data-bp-banners]');
}

export function outboxPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Changes waiting to sync' });
}

export const OFFLINE_BANNER =
  "You're offline. Changes are saved on this device and will sync when you're back.";

/**
 * Saves the state on screen as `<name>.png`, then the same state at a phone's size as
 * `<name>-phone.png`, and fails if the page scrolls sideways there.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled', caret: 'hide' });
  const scrollWidth = await atPhoneSize(page, async () => {
    await page.screenshot({ path: `${SCREENSHOTS}${name}-phone.png`, animations: 'disabled', caret: 'hide' });
    return page.evaluate(() => document.documentElement.scrollWidth);
  });
  expect(
    scrollWidth,
    `${name}: the page is wider than a ${String(PHONE.width)} px phone`,
  ).toBeLessThanOrEqual(PHONE.width);
}

/** Runs `look` with the viewport at the phone's size, then puts the viewport back. */
export async function atPhoneSize<T>(page: Page, look: () => Promise<T>): Promise<T> {
  const before = page.viewportSize();
  await page.setViewportSize(PHONE);
  try {
    return await look();
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/** The messages on screen above the notes, which a phone shows before any of the user's work. */
export function noticesAboveNotes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const notes = document.querySelector('section.notes');
    if (!notes) throw new Error('the page has no notes section');
    const top = notes.getBoundingClientRect().top;
    return [...document.querySelectorAll('[data-bp-message], [data-bp-degradation]')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.height > 0 && box.bottom <= top;
      })
      .map((el) => el.textContent);
  });
}

/**
 * Records the text of every message the page shows from its very first render on, even one
 * that comes and goes between two checks. Call before `page.goto`; the returned function
 * reads what was seen so far (in this document: a reload starts a new record).
 */
export async function recordMessages(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { shownMessages: string[] }).shownMessages = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-bp-message]')) {
        const text = el.textContent;
        if (!seen.includes(text)) seen.push(text);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { shownMessages: string[] }).shownMessages]);
}

/** The event log's lines about deliveries this tab made itself (not relayed from elsewhere). */
export async function ownDeliveries(page: Page): Promise<number> {
  const lines = await page.getByTestId('event-log').locator('[data-topic="outbox"]').allTextContents();
  return lines.filter((line) => line.includes('delivered') && !line.includes('by another tab')).length;
}

/** Whether the page's service worker has the outbox's Background Sync tag registered. */
export function syncTags(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync?: { getTags(): Promise<string[]> };
    };
    return registration.sync ? registration.sync.getTags() : [];
  });
}
