import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  circuitBreaker,
  type CircuitBreaker,
  CircuitOpenError,
  consecutiveFailures,
  HttpError,
  persistInLocalStorage,
  shareAcrossTabs,
} from '../../packages/core/src/index.js';

// Real Chromium: breakers with the same name in different browsing contexts of one origin
// (this page and same-origin iframes) mirror each other through the real BroadcastChannel,
// and `persist: persistInLocalStorage()` restores state from the real localStorage.

const fail = () => Promise.reject(new HttpError(503));
const ok = () => Promise.resolve('ok');

type FrameGlobals = Window & typeof globalThis;

const frames: HTMLIFrameElement[] = [];
const breakers: CircuitBreaker[] = [];

/** A same-origin iframe: another browsing context with its own BroadcastChannel and the same localStorage. */
async function frame(): Promise<FrameGlobals> {
  const iframe = document.createElement('iframe');
  iframe.src = 'about:blank';
  const loaded = new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
  document.body.append(iframe);
  await loaded;
  frames.push(iframe);
  return iframe.contentWindow as FrameGlobals;
}

let counter = 0;
const uniqueName = () => `browser-${Date.now()}-${counter++}`;

function breakerIn(
  globals: FrameGlobals | typeof globalThis,
  name: string,
  extra: { persist?: boolean } = {},
) {
  const breaker = circuitBreaker({
    name,
    window: consecutiveFailures(2),
    openForMs: 300,
    share: shareAcrossTabs({ BroadcastChannel: globals.BroadcastChannel }),
    persist: extra.persist === true && persistInLocalStorage({ storage: globals.localStorage }),
  });
  breakers.push(breaker);
  return breaker;
}

afterEach(() => {
  for (const b of breakers.splice(0)) b.dispose();
  for (const f of frames.splice(0)) f.remove();
});

describe('circuit breaker across browsing contexts (real BroadcastChannel)', () => {
  it('opens in every context when it opens in one, with the same openUntil', async () => {
    const name = uniqueName();
    const here = breakerIn(globalThis, name);
    const there = breakerIn(await frame(), name);
    const elsewhere = breakerIn(await frame(), name);

    for (let i = 0; i < 2; i++) await there.execute(fail).catch(() => undefined);
    expect(there.state).toBe('open');

    await vi.waitFor(() => {
      expect(here.state).toBe('open');
      expect(elsewhere.state).toBe('open');
    });
    expect(here.snapshot.openUntil).toBe(there.snapshot.openUntil);
    const fn = vi.fn(ok);
    await expect(here.execute(fn)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fn).not.toHaveBeenCalled();
  });

  it('closes everywhere after a successful probe in one context', async () => {
    const name = uniqueName();
    const here = breakerIn(globalThis, name);
    const there = breakerIn(await frame(), name);
    for (let i = 0; i < 2; i++) await here.execute(fail).catch(() => undefined);
    await vi.waitFor(() => expect(there.state).toBe('open'));

    await new Promise((resolve) => setTimeout(resolve, 320));
    await expect(there.execute(ok)).resolves.toBe('ok');
    expect(there.state).toBe('closed');
    await vi.waitFor(() => expect(here.state).toBe('closed'));
    await expect(here.execute(ok)).resolves.toBe('ok');
  });

  it('a context created later learns that the breaker is open', async () => {
    const name = uniqueName();
    const first = breakerIn(globalThis, name);
    for (let i = 0; i < 2; i++) await first.execute(fail).catch(() => undefined);
    const late = breakerIn(await frame(), name);
    expect(late.state).toBe('closed');
    await vi.waitFor(() => expect(late.state).toBe('open'));
  });

  it('mirrors isolation until every holder has released', async () => {
    const name = uniqueName();
    const a = breakerIn(globalThis, name);
    const b = breakerIn(await frame(), name);
    const releaseA = a.isolate();
    await vi.waitFor(() => expect(b.state).toBe('isolated'));
    const releaseB = b.isolate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseA();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.state).toBe('isolated');
    expect(b.state).toBe('isolated');
    releaseB();
    await vi.waitFor(() => {
      expect(a.state).toBe('closed');
      expect(b.state).toBe('closed');
    });
  });

  it('mirrors to another top-level tab of the origin', async () => {
    const tab = window.open('about:blank', '_blank') as FrameGlobals | null;
    expect(tab).not.toBeNull();
    try {
      const name = uniqueName();
      const here = breakerIn(globalThis, name);
      const there = breakerIn(tab!, name);
      for (let i = 0; i < 2; i++) await here.execute(fail).catch(() => undefined);
      await vi.waitFor(() => expect(there.state).toBe('open'));
      here.reset();
      await vi.waitFor(() => expect(there.state).toBe('closed'));
    } finally {
      tab!.close();
    }
  });

  it('breakers of different names stay independent', async () => {
    const a = breakerIn(globalThis, uniqueName());
    const b = breakerIn(await frame(), uniqueName());
    for (let i = 0; i < 2; i++) await a.execute(fail).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.state).toBe('closed');
  });
});

describe('persist: persistInLocalStorage() (real localStorage)', () => {
  it('restores an open breaker in a fresh context (as after a reload), then probes after openUntil', async () => {
    const name = uniqueName();
    const before = circuitBreaker({
      name,
      window: consecutiveFailures(1),
      openForMs: 300,
      persist: persistInLocalStorage(),
    });
    await before.execute(fail).catch(() => undefined);
    expect(before.state).toBe('open');
    expect(localStorage.getItem(`bulletproof:breaker:${name}`)).toContain('"open"');

    const reloaded = circuitBreaker({
      name,
      window: consecutiveFailures(1),
      openForMs: 300,
      persist: persistInLocalStorage({ storage: (await frame()).localStorage }),
    });
    expect(reloaded.snapshot).toMatchObject({ state: 'open', openUntil: before.snapshot.openUntil });
    await expect(reloaded.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    await new Promise((resolve) => setTimeout(resolve, 320));
    await expect(reloaded.execute(ok)).resolves.toBe('ok');
    expect(reloaded.state).toBe('closed');
    localStorage.removeItem(`bulletproof:breaker:${name}`);
  });

  it('share and persist together: a restored context also mirrors live changes', async () => {
    const name = uniqueName();
    const a = breakerIn(globalThis, name, { persist: true });
    for (let i = 0; i < 2; i++) await a.execute(fail).catch(() => undefined);
    const b = breakerIn(await frame(), name, { persist: true });
    expect(b.state).toBe('open');
    a.reset();
    await vi.waitFor(() => expect(b.state).toBe('closed'));
    localStorage.removeItem(`bulletproof:breaker:${name}`);
  });
});
