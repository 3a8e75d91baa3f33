// protect() rules for one call: a caller's abort is no failure.
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionContext } from '../policy/index.js';
import { timeout } from '../policy/index.js';
import { backoff } from '../policy/backoff.js';
import { createProtection } from './create-protection.js';
import type { ProtectionEvent, ProtectionOptions, Protection } from './types.js';
import { FakeWindow } from '../test-support/fake-window.js';

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

function make(o: ProtectionOptions = {}): Protection {
  const protection = createProtection({
    window: win,
    ...o,
    outbox: {
      name: `calls-${String(made.length)}`,
      indexedDB: new IDBFactory(),
      locks: false,
      BroadcastChannel: false,
      window: false,
      autoDrain: false,
      backoff: backoff.constant(1_000),
      handlers: { note: () => Promise.resolve() },
    },
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
