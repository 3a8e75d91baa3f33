import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { FaultMode } from '../server/faults.js';

// What the plain app's scenarios share: the backend's test switch, driving the page
// as a person would, and sampling what the person sees.

export const SHOTS = fileURLToPath(new URL('../../.artifacts/plain-app/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

/** The app's probe timeout (test/plain-app/src/protection.ts) and the default call timeout. */
export const PROBE_TIMEOUT_MS = 2_000;
export const CALL_TIMEOUT_MS = 10_000;

export interface ServerState {
  todos: Array<{ id: string; title: string; done: boolean }>;
  faulted: Array<{ at: number; method: string; url: string; fault: string }>;
  now: number;
}

export async function resetServer(request: APIRequestContext): Promise<void> {
  expect((await request.post('/__test/reset')).status()).toBe(204);
}

export async function setFaults(request: APIRequestContext, mode: FaultMode): Promise<void> {
  expect((await request.put('/__test/faults', { data: mode })).status()).toBe(204);
}

export async function serverState(request: APIRequestContext): Promise<ServerState> {
  return (await (await request.get('/__test/state')).json()) as ServerState;
}

/** How many times each title landed on the server. */
export async function copiesByTitle(request: APIRequestContext): Promise<Record<string, number>> {
  const copies: Record<string, number> = {};
  for (const todo of (await serverState(request)).todos) copies[todo.title] = (copies[todo.title] ?? 0) + 1;
  return copies;
}

export const indicator = (page: Page) => page.locator('[data-bp-connectivity]');
export const list = (page: Page) => page.getByRole('list', { name: 'Todos' });

/** Opens the app on an empty origin and waits until the list came from the server. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(list(page)).toHaveAttribute('data-source', 'server');
  await expect(indicator(page)).toHaveText('Online');
}

/** A banner or toast with this text. */
export const message = (page: Page, text: string) => page.locator('[data-bp-message]', { hasText: text });

export async function addTodo(page: Page, title: string): Promise<void> {
  await page.getByRole('textbox', { name: 'New todo' }).fill(title);
  await page.getByRole('button', { name: 'Add' }).click();
}

/** What the user can see of Bulletproof's story at one moment. */
export interface Sample {
  at: number;
  banners: string[];
  toasts: string[];
  indicator: string;
}

export function sampleOf(page: Page): Promise<Sample> {
  return page.evaluate(() => {
    const visible = (el: Element) => el.checkVisibility();
    const text = (el: Element) =>
      ((el.querySelector('[data-bp-body]') ?? el) as HTMLElement).innerText.replace(/\s+/g, ' ').trim();
    const all = (selector: string) => [...document.querySelectorAll(selector)].filter(visible).map(text);
    return {
      at: Date.now(),
      // The degradation banner is a banner too, as far as the person reading is concerned.
      banners: [...all('[data-bp-banners] [data-bp-message]'), ...all('[data-bp-degradation]')],
      toasts: all('[data-bp-toasts] [data-bp-message]'),
      indicator: all('[data-bp-connectivity]').join(' '),
    };
  });
}

/** Developer words that must never reach a banner, a toast or the indicator. */
export const INTERNALS = /φ|\bapi\b|critical|failures within|recovering:/i;
/** What would be stale once the server answers again. */
export const TROUBLE = /unavailable|trouble|isn't responding|not responding|paused/i;

/**
 * Samples the page every `everyMs` until stopped, and screenshots the moment with the most
 * messages on screen. The one place these tests wait on time rather than a condition:
 * it watches what shows up while the scenario runs.
 */
export class Sampler {
  readonly samples: Sample[] = [];
  private most = -1;
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly page: Page,
    private readonly scenario: string,
    everyMs = 250,
  ) {
    this.done = this.loop(everyMs);
  }

  private async loop(everyMs: number): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const sample = await sampleOf(this.page).catch(() => undefined);
      if (sample) {
        this.samples.push(sample);
        const count = sample.banners.length + sample.toasts.length;
        if (count > this.most) {
          this.most = count;
          await this.page.screenshot({ path: `${SHOTS}${this.scenario}-worst.png` }).catch(() => undefined);
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  }

  async stop(): Promise<Sample[]> {
    this.running = false;
    await this.done;
    return this.samples;
  }

  /** Most banners, toasts and both together seen at one moment. */
  get peak(): { banners: number; toasts: number; together: number } {
    const max = (f: (s: Sample) => number) => Math.max(0, ...this.samples.map(f));
    return {
      banners: max((s) => s.banners.length),
      toasts: max((s) => s.toasts.length),
      together: max((s) => s.banners.length + s.toasts.length),
    };
  }

  /** Prints the scenario's figures for the record. */
  report(extra = ''): void {
    const p = this.peak;
    console.log(
      `[plain-app] ${this.scenario}: ${this.samples.length} samples; most at once: ${p.banners} banner(s), ` +
        `${p.toasts} toast(s), ${p.together} together${extra ? `; ${extra}` : ''}`,
    );
  }

  /** Samples that broke a rule, described for the failure message (the first five, then a count). */
  violations(rule: (s: Sample) => string | undefined): string[] {
    const t0 = this.samples[0]?.at ?? 0;
    const broken = this.samples.flatMap((s) => {
      const why = rule(s);
      return why ? [`+${((s.at - t0) / 1000).toFixed(2)} s: ${why} — ${JSON.stringify(s)}`] : [];
    });
    return broken.length > 5 ? [...broken.slice(0, 5), `…and ${broken.length - 5} more`] : broken;
  }
}
