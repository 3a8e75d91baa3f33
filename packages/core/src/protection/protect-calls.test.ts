// protect() rules for one call: a caller's abort is no failure, a write keeps one
// idempotency key, and a hanging backend is noticed within a probe's timeout.
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../failure/errors.js';
import type { ExecutionContext } from '../policy/index.js';
import { timeout } from '../policy/index.js';
import { constantBackoff } from '../policy/backoff.js';
import { createProtection, SLOW_CALL_PROBE_MS } from './create-protection.js';
import { createOutbox } from '../outbox/outbox.js';
import { outboxHttp } from '../outbox/outbox-http.js';
import { createPredictor } from '../predict/create-predictor.js';
import type { ProtectionEvent, ProtectionOptions, Protection } from './types.js';
import { FakeWindow } from '../test-support/fake-window.js';

const networkError = () => new TypeError('Failed to fetch');

let win: FakeWindow;
let made: Protection[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(1_000_000);
  win = new FakeWindow();
  made = [];
});

afterEach(async () => {
  await Promise.all(made.map((p) => p.dispose()));
  vi.useRealTimers();
});

/** A protection with an outbox on a fresh database and a predictor (unless the test says otherwise). */
function make(o: ProtectionOptions = {}): Protection {
  const name = `calls-${String(made.length)}`;
  const protection = createProtection({
    window: win,
    predictor: createPredictor,
    ...o,
    outbox: (parts) =>
      createOutbox({
        ...parts,
        name,
        http: outboxHttp(),
        indexedDB: new IDBFactory(),
        locks: false,
        BroadcastChannel: false,
        window: false,
        autoDrain: false,
        backoff: constantBackoff(1_000),
        handlers: { note: () => Promise.resolve() },
      }),
  });
  made.push(protection);
  return protection;
}

/** Lets promise chains and IndexedDB callbacks (macrotasks in fake-indexeddb) run. */
async function settle(ms = 0) {
  for (let i = 0; i < 20; i += 1) await vi.advanceTimersByTimeAsync(ms / 20);
}

/** An operation that waits for its signal and rejects with its reason, like fetch. */
function untilAborted(ctx: ExecutionContext): Promise<never> {
  return new Promise((_, reject) => {
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
  });
}

describe('a call its caller aborts is cancelled, not failed', () => {
  it('runs no fallback, queues nothing, tells nobody and records nothing', async () => {
    const p = make();
    const events: ProtectionEvent[] = [];
    p.events$.subscribe((e) => events.push(e));
    const fallback = vi.fn(() => 'cached');
    const controller = new AbortController();
    const read = p.protect('load', untilAborted, { fallback, signal: controller.signal });
    const write = p.protect('save', untilAborted, {
      signal: controller.signal,
      offline: { type: 'note', payload: { title: 'x' } },
    });
    controller.abort(new DOMException('The component unmounted', 'AbortError'));
    await settle();
    expect(await read).toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(await write).toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(fallback).not.toHaveBeenCalled();
    expect(p.outbox?.stats.pending).toBe(0);
    expect(p.messages.visible).toEqual({ banners: [], toasts: [] });
    expect(p.status().dependencies.default?.breaker).toMatchObject({ calls: 0, failures: 0 });
    expect(p.predictor?.keys()).toEqual([]);
    expect(p.status().recovery.runs).toBe(0);
    expect(events.flatMap((e) => (e.type === 'call' ? [e.status] : []))).toEqual(['cancelled', 'cancelled']);
  });

  it('aborted before it starts: fn never runs, and an offline write is not queued', async () => {
    win.goOffline();
    const p = make();
    const fn = vi.fn(() => Promise.resolve('sent'));
    const controller = new AbortController();
    controller.abort();
    const result = await p.protect('save', fn, {
      signal: controller.signal,
      offline: { type: 'note', payload: { title: 'x' } },
    });
    expect(result).toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(fn).not.toHaveBeenCalled();
    await settle();
    expect(p.outbox?.stats.pending).toBe(0);
  });

  it('is not retried, and never counts towards the breaker', async () => {
    const p = make();
    const fn = vi.fn(untilAborted);
    for (let i = 0; i < 10; i++) {
      const controller = new AbortController();
      const call = p.protect('load', fn, { signal: controller.signal });
      controller.abort();
      expect(await call).toMatchObject({ status: 'cancelled' });
    }
    await settle(60_000);
    expect(fn).toHaveBeenCalledTimes(10);
    expect(p.status().dependencies.default?.breaker).toMatchObject({ state: 'closed', calls: 0 });
  });

  it('a timeout policy’s own abort stays a timeout: the fallback answers', async () => {
    const p = make({ dependencies: { api: { policy: timeout(1_000) } } });
    const pending = p.protect('load', untilAborted, { dependency: 'api', fallback: 'cached' });
    await settle(1_000);
    expect(await pending).toMatchObject({
      status: 'fallback',
      value: 'cached',
      failure: { category: 'timeout' },
    });
  });
});

describe('one idempotency key per logical write', () => {
  /**
   * A server that applies every write it receives, except one whose key it has seen, and
   * whose responses are lost `lose` times (the write applied, the client told nothing).
   */
  function lossyServer(lose: number) {
    const applied: string[] = [];
    const seen = new Set<string>();
    let lost = 0;
    const send = (body: string, key?: string) => {
      if (key === undefined || !seen.has(key)) applied.push(body);
      if (key !== undefined) seen.add(key);
      if (lost++ < lose) return Promise.reject(networkError());
      return Promise.resolve('saved');
    };
    return { applied, send };
  }

  it('a write that sends its key is retried with the same key, and applied once', async () => {
    const p = make();
    const server = lossyServer(2);
    const keys: string[] = [];
    const pending = p.protect('save', (ctx) => {
      keys.push(ctx.idempotencyKey);
      return server.send('note', ctx.idempotencyKey);
    });
    await settle(30_000);
    expect(await pending).toEqual({ status: 'ok', value: 'saved' });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(server.applied).toEqual(['note']);
  });

  it('a write without its key is not repeated after a lost response: applied once', async () => {
    const p = make();
    const server = lossyServer(1);
    const fn = vi.fn(() => server.send('note'));
    const pending = p.protect('save', fn, { kind: 'write' });
    await settle(30_000);
    expect(await pending).toMatchObject({ status: 'failed', failure: { category: 'network' } });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(server.applied).toEqual(['note']);
  });

  it('after an unambiguous failure (503, offline) the same write is retried even without its key', async () => {
    const p = make();
    let calls = 0;
    const fn = vi.fn(() => (++calls < 3 ? Promise.reject(new HttpError(503)) : Promise.resolve('saved')));
    const pending = p.protect('save', fn, { kind: 'write' });
    await settle(30_000);
    expect(await pending).toEqual({ status: 'ok', value: 'saved' });
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('reads, and writes declared idempotent, are retried after an ambiguous failure', async () => {
    const p = make();
    for (const o of [{}, { kind: 'write' as const, idempotent: true }]) {
      const server = lossyServer(2);
      const fn = vi.fn(() => server.send('x'));
      const pending = p.protect('call', fn, o);
      await settle(30_000);
      expect(await pending).toEqual({ status: 'ok', value: 'saved' });
      expect(fn).toHaveBeenCalledTimes(3);
    }
  });

  it('a write that falls back to the outbox keeps the key its attempts sent', async () => {
    const p = make();
    const keys: string[] = [];
    const pending = p.protect(
      'save',
      (ctx) => {
        keys.push(ctx.idempotencyKey);
        return Promise.reject(networkError());
      },
      { offline: { type: 'note', payload: { title: 'x' } } },
    );
    await settle(30_000);
    const result = await pending;
    expect(result.status).toBe('queued');
    expect(keys).toHaveLength(3);
    if (result.status === 'queued') expect(result.entry.idempotencyKey).toBe(keys[0]);
  });

  it('a write whose key the caller chose is retried with it, even if fn never reads it', async () => {
    const p = make();
    const server = lossyServer(2);
    const fn = vi.fn(() => server.send('note', 'note-42-v3'));
    const pending = p.protect('save', fn, { kind: 'write', idempotencyKey: 'note-42-v3' });
    await settle(30_000);
    expect(await pending).toEqual({ status: 'ok', value: 'saved' });
    expect(fn).toHaveBeenCalledTimes(3);
    expect(server.applied).toEqual(['note']);
  });

  it('a write queued at once while offline gets the key the caller gave', async () => {
    win.goOffline();
    const p = make();
    const result = await p.protect('save', () => Promise.resolve(1), {
      idempotencyKey: 'note-42-v3',
      offline: { type: 'note', payload: { title: 'x' } },
    });
    expect(result).toMatchObject({ status: 'queued', entry: { idempotencyKey: 'note-42-v3' } });
  });

  it('an http write takes the Idempotency-Key its queued request carries, in every attempt and the entry', async () => {
    const p = make();
    const keys: string[] = [];
    const pending = p.protect(
      'save',
      (ctx) => {
        keys.push(ctx.idempotencyKey);
        return Promise.reject(networkError());
      },
      {
        offline: {
          type: 'http',
          payload: {
            url: 'https://app.example/api/notes/1',
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'Idempotency-Key': 'from-header' },
            body: '{}',
          },
        },
      },
    );
    await settle(30_000);
    const result = await pending;
    expect(keys).toEqual(['from-header', 'from-header', 'from-header']);
    expect(result).toMatchObject({ status: 'queued', entry: { idempotencyKey: 'from-header' } });
  });

  it('a 409 to a repeat of its key (the server still processing it) is no refusal: tried again, then saved', async () => {
    const p = make();
    let calls = 0;
    const fn = vi.fn((ctx: ExecutionContext) => {
      expect(ctx.idempotencyKey).toBeTruthy();
      calls++;
      if (calls === 1) return Promise.reject(networkError());
      if (calls === 2) return Promise.reject(new HttpError(409));
      return Promise.resolve('saved');
    });
    const pending = p.protect('save', fn, { kind: 'write' });
    await settle(30_000);
    expect(await pending).toEqual({ status: 'ok', value: 'saved' });
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('a write whose key is still being processed when attempts run out is queued, not refused', async () => {
    const p = make();
    const fn = vi.fn((ctx: ExecutionContext) => {
      expect(ctx.idempotencyKey).toBeTruthy();
      return Promise.reject(fn.mock.calls.length === 1 ? networkError() : new HttpError(409));
    });
    const pending = p.protect('save', fn, { offline: { type: 'note', payload: { title: 'x' } } });
    await settle(30_000);
    expect(await pending).toMatchObject({ status: 'queued' });
    expect(p.messages.visible.toasts.map((t) => t.text)).not.toContain(
      p.messages.template('rejected', { count: 1 }),
    );
  });

  it('a 409 to the first send of a key stays a refusal', async () => {
    const p = make();
    const fn = vi.fn((ctx: ExecutionContext) => {
      expect(ctx.idempotencyKey).toBeTruthy();
      return Promise.reject(new HttpError(409));
    });
    const pending = p.protect('save', fn, { kind: 'write' });
    await settle(30_000);
    expect(await pending).toMatchObject({ status: 'failed', failure: { category: 'client', status: 409 } });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('refuses a bad idempotencyKey or idempotent, naming the option', async () => {
    const p = make();
    const fn = () => Promise.resolve(1);
    await expect(p.protect('save', fn, { idempotencyKey: '' })).rejects.toThrow(/"idempotencyKey"/);
    await expect(p.protect('save', fn, { idempotent: 'yes' as never })).rejects.toThrow(/"idempotent"/);
  });

  it('two calls get two keys', async () => {
    const p = make();
    const keys: string[] = [];
    for (let i = 0; i < 2; i++)
      await p.protect('save', (ctx) => {
        keys.push(ctx.idempotencyKey);
        return Promise.resolve();
      });
    expect(keys[0]).not.toBe(keys[1]);
  });
});

describe('a hanging backend is noticed fast', () => {
  const PROBE_TIMEOUT_MS = 5_000;

  /** A probe endpoint that answers 204 until `hang()`, then never again (a hung server). */
  function hangingBackend() {
    let hung = false;
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        if (!hung) resolve(new Response(null, { status: 204 }));
      })) as typeof globalThis.fetch;
    return {
      fetch,
      hang: () => {
        hung = true;
      },
    };
  }

  it(`a call unanswered for ${String(SLOW_CALL_PROBE_MS)} ms probes; Online ends within the probe timeout + 1 s`, async () => {
    const backend = hangingBackend();
    const p = make({
      connectivity: { probe: { url: '/api/health', timeoutMs: PROBE_TIMEOUT_MS }, fetch: backend.fetch },
    });
    await settle();
    expect(p.connectivity.snapshot.status).toBe('online');
    backend.hang();
    const started = Date.now();
    const pending = p.protect('load', untilAborted, { fallback: 'cached' });
    await settle(SLOW_CALL_PROBE_MS - 100);
    expect(p.connectivity.snapshot.status).toBe('online');
    await settle(100 + PROBE_TIMEOUT_MS + 1_000);
    expect(p.connectivity.snapshot.status).toBe('unreachable');
    expect(p.connectivity.snapshot.since - started).toBeLessThanOrEqual(
      SLOW_CALL_PROBE_MS + PROBE_TIMEOUT_MS + 1_000,
    );
    await settle(40_000);
    expect(await pending).toMatchObject({ status: 'fallback', failure: { category: 'timeout' } });
  });

  it('an attempt that times out is reported at once, before its retries end', async () => {
    const p = make({ connectivity: { probe: false } });
    const pending = p.protect('load', untilAborted, { fallback: 'cached' });
    // Two 10 s attempts have timed out: two path failures make the backend unreachable,
    // while the third attempt is still running.
    await settle(21_000);
    expect(p.connectivity.snapshot.status).toBe('unreachable');
    await settle(20_000);
    expect(await pending).toMatchObject({ status: 'fallback' });
  });
});

describe('a paused dependency is told only while it is paused', () => {
  it('once the breaker’s pause is over, the banner goes even if the app makes no call', async () => {
    const p = make({
      connectivity: { probe: false },
      predictor: false,
      dependencies: { api: { critical: true } },
    });
    for (let i = 0; i < 5; i++) {
      const pending = p.protect('load', () => Promise.reject(new HttpError(500)), {
        dependency: 'api',
        silent: true,
      });
      await settle(10_000);
      await pending;
    }
    expect(p.status().dependencies.api?.breaker.state).toBe('open');
    expect(p.status().situation.kind).toBe('server-trouble');
    expect(p.messages.visible.banners).toHaveLength(1);
    const until = p.status().dependencies.api?.breaker.openUntil ?? 0;
    // The pause ends: the next call would go through. Nobody calls; the story must still end.
    await settle(until - Date.now() + 1_000);
    expect(p.status().situation.kind).toBe('ok');
    expect(p.messages.visible.banners).toEqual([]);
  });
});

describe('a warning ends when its evidence does, even in silence', () => {
  it('after a burst of failures and no more calls (no probe), "running slowly" is taken down', async () => {
    const p = make({ connectivity: { probe: false } });
    for (let i = 0; i < 3; i++) {
      const pending = p.protect('load', () => Promise.reject(new HttpError(500)), { silent: true });
      await settle(10_000);
      await pending;
    }
    expect(p.status().situation.kind).toBe('predicted-trouble');
    expect(p.messages.visible.banners).toHaveLength(1);
    // Nothing happens for two minutes: the predictor's own risk has long fallen back.
    await settle(120_000);
    expect(p.predictor?.risk('default').level).not.toBe('high');
    expect(p.status().situation.kind).toBe('ok');
    expect(p.messages.visible.banners).toEqual([]);
  });
});

describe('a long Retry-After does not hold the user', () => {
  it('a 429 asking for an hour answers with the fallback at once, not after two capped waits', async () => {
    const p = make({ connectivity: { probe: false } });
    const fn = vi.fn(() => Promise.reject(new HttpError(429, { headers: { 'retry-after': '3600' } })));
    const pending = p.protect('load', fn, { fallback: 'cached' });
    await settle(1_000);
    expect(await pending).toMatchObject({ status: 'fallback', value: 'cached' });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a short Retry-After is still waited for and retried', async () => {
    const p = make({ connectivity: { probe: false } });
    let calls = 0;
    const fn = vi.fn(() =>
      ++calls === 1
        ? Promise.reject(new HttpError(429, { headers: { 'retry-after': '5' } }))
        : Promise.resolve('fresh'),
    );
    const pending = p.protect('load', fn, { fallback: 'cached' });
    await settle(6_000);
    expect(await pending).toEqual({ status: 'ok', value: 'fresh' });
  });
});
