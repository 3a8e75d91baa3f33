import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../failure/errors.js';
import { lastGood } from '../last-good/index.js';
import type { VisibleMessages } from '../messages/index.js';
import type { OutboxHandler, OutboxOptions } from '../outbox/index.js';
import { createOutbox } from '../outbox/outbox.js';
import { outboxHttp } from '../outbox/outbox-http.js';
import { createPredictor } from '../predict/create-predictor.js';
import { circuitBreaker, pipeline, retry } from '../policy/index.js';
import { constantBackoff } from '../policy/backoff.js';
import { createProtection } from './create-protection.js';
import type { ProtectionEvent, ProtectionOptions, Protection, ProtectionStatus } from './types.js';
import { FakeWindow } from '../test-support/fake-window.js';
import { consecutiveFailures } from '../policy/breaker/windows.js';

const networkError = () => new TypeError('Failed to fetch');

let win: FakeWindow;
let delivered: unknown[];
let deliver: OutboxHandler<never>;
let made: Protection[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(1_000_000);
  win = new FakeWindow();
  delivered = [];
  deliver = async (payload: never) => {
    delivered.push(payload);
    return Promise.resolve();
  };
  made = [];
});

afterEach(async () => {
  await Promise.all(made.map((p) => p.dispose()));
  vi.useRealTimers();
});

/** A protection with an outbox (on a fresh database, these options over the test's own) and a predictor. */
function make(o: Omit<ProtectionOptions, 'outbox'> & { outbox?: OutboxOptions | false } = {}): Protection {
  const { outbox, ...rest } = o;
  const name = `t-${String(made.length)}`;
  const protection = createProtection({
    window: win,
    predictor: createPredictor,
    ...rest,
    outbox:
      outbox !== false &&
      ((parts) =>
        createOutbox({
          ...parts,
          name,
          http: outboxHttp(),
          indexedDB: new IDBFactory(),
          locks: false,
          BroadcastChannel: false,
          window: false,
          backoff: constantBackoff(1_000),
          handlers: { note: deliver },
          ...outbox,
        })),
  });
  made.push(protection);
  return protection;
}

function visible(p: Protection): VisibleMessages {
  return p.messages.visible;
}

/** Lets promise chains and IndexedDB callbacks (macrotasks in fake-indexeddb) run. */
async function settle(ms = 0) {
  for (let i = 0; i < 20; i += 1) await vi.advanceTimersByTimeAsync(ms / 20);
}

describe('protect', () => {
  it('returns the value of a successful call and tells the user nothing', async () => {
    const p = make();
    const result = await p.protect('load', () => Promise.resolve(42));
    expect(result).toEqual({ status: 'ok', value: 42 });
    expect(visible(p)).toEqual({ banners: [], toasts: [] });
    expect(p.status().health).toBe(100);
  });

  it('passes an execution context with the attempt number and a signal', async () => {
    const p = make();
    const seen: number[] = [];
    const pending = p.protect('load', ({ attempt, signal }) => {
      seen.push(attempt);
      expect(signal).toBeInstanceOf(AbortSignal);
      return attempt < 2 ? Promise.reject(networkError()) : Promise.resolve('second time');
    });
    await settle(30_000);
    const result = await pending;
    expect(result).toEqual({ status: 'ok', value: 'second time' });
    expect(seen).toEqual([1, 2]);
  });

  it('queues an offline write at once, without calling fn', async () => {
    win.goOffline();
    const p = make();
    const fn = vi.fn(() => Promise.resolve('sent'));
    const result = await p.protect('save', fn, { offline: { type: 'note', payload: { title: 'a' } } });
    expect(fn).not.toHaveBeenCalled();
    expect(result.status).toBe('queued');
    if (result.status === 'queued')
      expect(result.entry).toMatchObject({ type: 'note', payload: { title: 'a' } });
    await settle();
    expect(p.outbox?.stats.pending).toBe(1);
  });

  it('gives 50 failing writes while offline one offline banner and one "50 changes waiting" message', async () => {
    win.goOffline();
    const p = make();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        p.protect('save', () => Promise.reject(networkError()), {
          offline: { type: 'note', payload: { i } },
        }),
      ),
    );
    expect(results.every((r) => r.status === 'queued')).toBe(true);
    await settle();
    const { banners, toasts } = visible(p);
    expect(banners.map((b) => b.text)).toEqual([
      "You're offline. Changes are saved on this device and will sync when you're back.",
    ]);
    expect(toasts.map((t) => t.text)).toEqual(['50 changes waiting to sync']);
    expect(p.messages.queued).toBe(0);
  });

  it('queues a write whose retryable failure outlasts the retries', async () => {
    const p = make();
    // Reading the key says the write carries it, so it may be sent again after a lost response.
    const fn = vi.fn(({ idempotencyKey }: { idempotencyKey: string }) =>
      Promise.reject(Object.assign(networkError(), { key: idempotencyKey })),
    );
    const pending = p.protect('save', fn, { offline: { type: 'note', payload: { title: 'x' } } });
    await settle(60_000);
    const result = await pending;
    expect(fn).toHaveBeenCalledTimes(3);
    expect(result.status).toBe('queued');
  });

  it('does not queue a write the server rejected, and says so', async () => {
    const p = make();
    const rejected = new HttpError(422, {
      body: { error: 'validation_failed' },
      statusText: 'Unprocessable',
    });
    const result = await p.protect('save', () => Promise.reject(rejected), {
      offline: { type: 'note', payload: {} },
    });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') expect(result.failure.category).toBe('client');
    expect(visible(p).toasts).toHaveLength(1);
    expect(visible(p).toasts[0]?.tone).toBe('error');
    expect(await p.outbox?.list()).toEqual([]);
  });

  it('answers a failed read with its fallback (a value or a function of the failure)', async () => {
    const p = make({ dependencies: { default: { policy: retry({ maxAttempts: 1 }) } } });
    const byValue = await p.protect('read', () => Promise.reject(networkError()), { fallback: 'cached' });
    expect(byValue).toMatchObject({ status: 'fallback', value: 'cached', failure: { category: 'network' } });
    const byFunction = await p.protect('read', () => Promise.reject(networkError()), {
      fallback: (f) => `cached after ${f.category}`,
    });
    expect(byFunction).toMatchObject({ status: 'fallback', value: 'cached after network' });
  });

  it('never throws for a failure of fn, and stays quiet when asked', async () => {
    const p = make({ dependencies: { default: { policy: retry({ maxAttempts: 1 }) } } });
    const result = await p.protect('read', () => Promise.reject(new Error('bug')), { silent: true });
    expect(result).toMatchObject({ status: 'failed', failure: { category: 'unknown' } });
    expect(visible(p).toasts).toEqual([]);
    const loud = await p.protect('read', () => Promise.reject(networkError()));
    expect(loud.status).toBe('failed');
    expect(visible(p).toasts).toHaveLength(1);
  });

  it('rejects bad input with a TypeError that names it', async () => {
    const p = make();
    await expect(p.protect('x', () => Promise.resolve(1), { dependency: 'nope' })).rejects.toThrow(
      /unknown dependency "nope"; known: default/,
    );
    await expect(
      p.protect('x', () => Promise.resolve(1), { offline: { type: 'mystery', payload: 1 } }),
    ).rejects.toThrow(/offline.type "mystery" has no outbox handler; known: http, note/);
    const noOutbox = make({ outbox: false });
    await expect(
      noOutbox.protect('x', () => Promise.resolve(1), { offline: { type: 'http', payload: 1 } }),
    ).rejects.toThrow(TypeError);
    // An outbox without HTTP support: an 'http' write says how to add it.
    const noHttp = make({ outbox: { http: undefined } });
    await expect(
      noHttp.protect('x', () => Promise.resolve(1), { offline: { type: 'http', payload: { url: '/x' } } }),
    ).rejects.toThrow(/known: note \(HTTP writes need an outbox made with \{ http: outboxHttp\(\) \}\)/);
    expect(() => createProtection({ dependencies: { api: { policy: {} as never } } })).toThrow(
      /option "dependencies.api.policy" must be a Policy/,
    );
  });

  it('honours the caller’s abort signal', async () => {
    const p = make();
    const controller = new AbortController();
    const pending = p.protect(
      'read',
      ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
      { signal: controller.signal },
    );
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(visible(p).toasts).toEqual([]);
  });
});

describe('a lastGood() fallback', () => {
  const once = { dependencies: { default: { policy: retry({ maxAttempts: 1 }) } } };
  let keys = 0;
  // In this page's memory, under a key of its own: tests share nothing.
  const tier = () => lastGood<string[]>(`notes-${String(++keys)}`, { storage: false });

  it('remembers every success and answers a failure with the copy and when it was saved', async () => {
    const p = make(once);
    const notes = tier();
    expect(await p.protect('load', () => Promise.resolve(['a']), { fallback: notes })).toEqual({
      status: 'ok',
      value: ['a'],
    });
    const savedAt = Date.now();
    // A minute later by the clock (no timers run: the outbox's storage stays as it is).
    vi.setSystemTime(savedAt + 60_000);
    const result = await p.protect('load', () => Promise.reject(networkError()), { fallback: notes });
    expect(result).toMatchObject({
      status: 'fallback',
      value: ['a'],
      savedAt,
      failure: { category: 'network' },
    });
    // What the person sees is their data, saved earlier: that is what they are told, not "didn't load".
    expect(visible(p).toasts.map((m) => [m.tone, m.text])).toEqual([
      [
        'info',
        `Showing a copy saved at ${new Date(savedAt).toLocaleTimeString(undefined, { timeStyle: 'short' })}.`,
      ],
    ]);
  });

  it('with no copy saved, fails as a call without a fallback does, and says so', async () => {
    const p = make(once);
    const result = await p.protect('load', () => Promise.reject(networkError()), { fallback: tier() });
    expect(result).toMatchObject({ status: 'failed', failure: { category: 'network' } });
    expect(result).not.toHaveProperty('savedAt');
    expect(visible(p).toasts.map((m) => m.text)).toEqual([
      "Something didn't load. Please try again in a moment.",
    ]);
  });

  it('stays quiet when asked, and a value fallback carries no savedAt', async () => {
    const p = make(once);
    const notes = tier();
    notes.remember(['kept']);
    const quiet = await p.protect('load', () => Promise.reject(networkError()), {
      fallback: notes,
      silent: true,
    });
    expect(quiet).toMatchObject({ status: 'fallback', value: ['kept'] });
    expect(visible(p).toasts).toEqual([]);
    const byValue = await p.protect('load', () => Promise.reject(networkError()), { fallback: ['fixed'] });
    expect(byValue).not.toHaveProperty('savedAt');
  });

  it('a cancelled call neither saves nor serves the copy; a queued write stays queued', async () => {
    const p = make(once);
    const notes = tier();
    notes.remember(['before']);
    const controller = new AbortController();
    controller.abort();
    const cancelled = await p.protect('load', () => Promise.resolve(['after']), {
      fallback: notes,
      signal: controller.signal,
    });
    expect(cancelled.status).toBe('cancelled');
    expect(notes.recall()?.value).toEqual(['before']);
    const write = await p.protect('save', () => Promise.reject(networkError()), {
      fallback: notes,
      offline: { type: 'note', payload: { title: 'x' } },
    });
    expect(write.status).toBe('queued');
  });
});

describe('http writes', () => {
  it('queues an http write as a request with its body as bytes, and rejects a payload without a url', async () => {
    win.goOffline();
    const p = make();
    const result = await p.protect('save', () => Promise.resolve(1), {
      offline: {
        type: 'http',
        payload: {
          url: 'https://app.test/api/notes/1',
          method: 'PUT',
          body: '{"title":"a"}',
          headers: { 'content-type': 'application/json' },
        },
      },
    });
    expect(result.status).toBe('queued');
    if (result.status !== 'queued') return;
    const payload = result.entry.payload as { url: string; method: string; body: Uint8Array };
    expect(payload).toMatchObject({ url: 'https://app.test/api/notes/1', method: 'PUT' });
    expect(new TextDecoder().decode(payload.body)).toBe('{"title":"a"}');
    await expect(
      p.protect('save', () => Promise.resolve(1), { offline: { type: 'http', payload: { body: 'x' } } }),
    ).rejects.toThrow(/offline.payload of an 'http' write must be a Request/);
  });
});

describe('after the network returns', () => {
  it('delivers the queued writes and says "All 3 changes synced."', async () => {
    win.goOffline();
    const p = make();
    for (const title of ['a', 'b', 'c']) {
      await p.protect('save', () => Promise.reject(networkError()), {
        offline: { type: 'note', payload: { title } },
      });
    }
    await settle();
    expect(visible(p).toasts.map((t) => t.text)).toEqual(['3 changes waiting to sync']);
    win.goOnline();
    // Deliveries, then the page's look at the store to count them: IndexedDB macrotasks each.
    for (let i = 0; i < 10 && !visible(p).toasts.some((t) => t.text.startsWith('All')); i += 1)
      await settle(100);
    expect(delivered).toEqual([{ title: 'a' }, { title: 'b' }, { title: 'c' }]);
    // The offline banner is gone; a "recovering" degradation banner may stay while levels step down.
    expect(visible(p).banners.map((b) => b.key)).not.toContain('connectivity');
    expect(visible(p).toasts.map((t) => t.text)).toContain('All 3 changes synced.');
  });
});

describe('degradation and status', () => {
  it('goes severe offline and moderate when a critical dependency’s breaker opens', async () => {
    const breaker = circuitBreaker({ name: 'api', window: consecutiveFailures(2) });
    const p = make({ dependencies: { api: { policy: pipeline(breaker), critical: true } } });
    expect(p.status().dependencies.api?.breaker.state).toBe('closed');
    for (let i = 0; i < 2; i += 1) {
      await p.protect('read', () => Promise.reject(new HttpError(503)), {
        dependency: 'api',
        silent: true,
      });
    }
    expect(breaker.state).toBe('open');
    expect(p.degradation.state.level).toBe('moderate');
    expect(p.status().health).toBeLessThanOrEqual(50);
    expect(p.status().dependencies.api?.critical).toBe(true);
    // One banner says it, in the service's words, with no countdown and no dependency id.
    expect(visible(p).banners.map((b) => b.text)).toEqual([p.messages.template('serverTrouble')]);
    expect(visible(p).toasts).toEqual([]);
    expect(p.status().situation).toEqual({ kind: 'server-trouble', level: 'moderate' });

    win.goOffline();
    expect(p.degradation.state.level).toBe('severe');
    expect(p.status().connectivity.status).toBe('offline');
  });

  it('emits every happening on events$ as one union', async () => {
    const p = make({ dependencies: { default: { policy: retry({ maxAttempts: 1 }) } } });
    const events: ProtectionEvent[] = [];
    p.events$.subscribe((e) => events.push(e));
    await p.protect('read', () => Promise.resolve(1));
    win.goOffline();
    await p.protect('save', () => Promise.resolve(1), { offline: { type: 'note', payload: 1 } });
    await settle();
    const types = events.map((e) => e.type);
    expect(types).toContain('call');
    expect(types).toContain('connectivity');
    expect(types).toContain('degradation');
    expect(types).toContain('outbox');
    expect(events.find((e) => e.type === 'call')).toMatchObject({ name: 'read', status: 'ok', kind: 'read' });
  });
});

describe('status$: one consistent status per change', () => {
  const levelOf = (s: ProtectionStatus) =>
    `${s.connectivity.status}/${s.degradation.level}/${s.situation.kind}`;

  it('going offline moves connectivity, degradation and the situation in one status, never one before the others', () => {
    const p = make({ outbox: false });
    const seen: string[] = [];
    p.status$.subscribe((s) => seen.push(levelOf(s)));
    win.goOffline();
    // The degradation level rises while the status is computed: its emission is part of that
    // status, not a status of its own (which would say offline with no degradation, or the reverse).
    expect(seen).toEqual(['online/none/ok', 'offline/severe/offline']);
    expect(levelOf(p.status())).toBe('offline/severe/offline');
  });

  it('a change made by a subscriber is told after the status it reacted to, to every subscriber in order', () => {
    const p = make({ outbox: false });
    const first: string[] = [];
    const second: string[] = [];
    p.status$.subscribe((s) => {
      first.push(levelOf(s));
      if (s.connectivity.status === 'offline' && !s.degradation.manual) p.degradation.override('critical');
    });
    p.status$.subscribe((s) => second.push(levelOf(s)));
    win.goOffline();
    const told = ['online/none/ok', 'offline/severe/offline', 'offline/critical/offline'];
    expect(first).toEqual(told);
    expect(second).toEqual(told);
    expect(levelOf(p.status())).toBe('offline/critical/offline');
  });
});

describe('prediction', () => {
  it('feeds the connectivity monitor’s probes to the predictor as samples', async () => {
    const answers: Array<() => Promise<Response>> = [
      () => Promise.resolve(new Response(null, { status: 204 })),
      () => Promise.reject(networkError()),
    ];
    let n = 0;
    const fetch = (() =>
      (answers[Math.min(n++, answers.length - 1)] ?? answers[0])?.()) as typeof globalThis.fetch;
    const p = make({ connectivity: { probe: { url: '/health', intervalMs: 1_000 }, fetch } });
    const predictor = p.predictor;
    if (!predictor) throw new Error('no predictor');
    const probe = vi.spyOn(predictor, 'probe');
    await settle(1_000);
    expect(probe).toHaveBeenCalledWith(expect.objectContaining({ ok: true }));
    expect(probe).toHaveBeenCalledWith(expect.objectContaining({ ok: false, latencyMs: 0 }));
  });
});

describe('recovery', () => {
  it('runs the action registered for a category at most once per cooldown, and counts it in status', async () => {
    const p = make({ dependencies: { default: { policy: retry({ maxAttempts: 1 }) } } });
    const refresh = vi.fn(() => Promise.resolve(true));
    p.recovery.register('auth', { name: 'refresh-token', run: refresh, cooldownMs: 30_000 });
    const unauthorized = () => Promise.reject(new HttpError(401));
    await p.protect('read', unauthorized, { silent: true });
    await p.protect('read', unauthorized, { silent: true });
    await settle();
    expect(refresh).toHaveBeenCalledTimes(1);
    await settle(30_001);
    await p.protect('read', unauthorized, { silent: true });
    await settle();
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(p.status().recovery).toMatchObject({ runs: 2, succeeded: 2 });
  });
});

describe('dispose', () => {
  it('releases listeners and timers: nothing fires after', async () => {
    const p = make();
    const statuses: unknown[] = [];
    p.status$.subscribe((s) => statuses.push(s));
    await p.dispose();
    const count = statuses.length;
    win.goOffline();
    win.goOnline();
    await settle(120_000);
    expect(statuses).toHaveLength(count);
    expect(vi.getTimerCount()).toBe(0);
    await expect(p.protect('x', () => Promise.resolve(1))).rejects.toThrow(/disposed/);
  });
});
