/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../outbox/outbox.js';
import { outboxHttp } from '../outbox/outbox-http.js';
import type { Outbox } from '../outbox/types.js';
import { manualClock } from '../test-support/manual-clock.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates } from '../test-support/settle.js';
import {
  EARLY_PASS_WAITS_MS,
  installOutboxSync,
  SyncIncompleteError,
  type ServiceWorkerScopeLike,
} from './index.js';

const bed = outboxTestBed();

/** A service worker scope that records listeners and lets the test fire events. */
function fakeScope(register = vi.fn(async (_tag: string) => undefined)) {
  const listeners = new Map<string, Array<(event: never) => void>>();
  const scope: ServiceWorkerScopeLike = {
    addEventListener: (type: string, listener: (event: never) => void) => {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    removeEventListener: (type: string, listener: (event: never) => void) => {
      listeners.set(
        type,
        (listeners.get(type) ?? []).filter((l) => l !== listener),
      );
    },
    registration: { sync: { register } },
  };
  const fire = async (type: string, event: Record<string, unknown>): Promise<unknown[]> => {
    const waits: Array<Promise<unknown>> = [];
    for (const listener of listeners.get(type) ?? [])
      listener({ ...event, waitUntil: (p: Promise<unknown>) => waits.push(p) } as never);
    return Promise.all(waits);
  };
  return { scope, fire, listeners, register };
}

function page(name = 'default'): Outbox {
  return bed.closeAfter(createOutbox({ name, ...bed.options, http: outboxHttp() }));
}

describe('installOutboxSync', () => {
  it('replays queued HTTP entries on its sync tag, through prepare, deleting them after a 2xx', async () => {
    const writer = page();
    await writer.enqueueRequest({
      url: 'https://api.test/a',
      method: 'POST',
      body: '1',
      headers: { authorization: 'Bearer old' },
    });
    await writer.enqueueRequest({ url: 'https://api.test/b', method: 'PUT', body: '2' });
    const sent: Request[] = [];
    const fetchFn = vi.fn(async (req: RequestInfo | URL) => {
      sent.push(req as Request);
      return new Response(null, { status: 200 });
    });
    const { scope, fire } = fakeScope();
    installOutboxSync(
      {
        indexedDB: bed.idb,
        fetch: fetchFn,
        prepare: (req) => {
          const headers = new Headers(req.headers);
          headers.set('authorization', 'Bearer fresh');
          return new Request(req, { headers });
        },
      },
      scope,
    );
    await fire('sync', { tag: 'some-other-tag' });
    expect(fetchFn).not.toHaveBeenCalled();
    const [report] = await fire('sync', { tag: 'bulletproof-outbox-default' });
    expect(report).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(
      sent.map((r) => [r.method, r.url, r.headers.get('authorization'), r.headers.has('idempotency-key')]),
    ).toEqual([
      ['POST', 'https://api.test/a', 'Bearer fresh', true],
      ['PUT', 'https://api.test/b', 'Bearer fresh', true],
    ]);
    expect(await writer.list()).toEqual([]);
  });

  it("drains on a sync event although the worker's navigator.onLine still says offline", async () => {
    const writer = page();
    await writer.enqueueRequest({ url: 'https://api.test/a', method: 'PUT', body: '1' });
    const fetchFn = vi.fn(async () => new Response(null, { status: 204 }));
    const { scope, fire } = fakeScope();
    installOutboxSync({ indexedDB: bed.idb, fetch: fetchFn }, scope);
    vi.stubGlobal('navigator', { onLine: false });
    try {
      const [report] = await fire('sync', { tag: 'bulletproof-outbox-default' });
      expect(report).toEqual({ delivered: 1, retried: 0, dead: 0 });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it('leaves other types to the page, and they keep their channel in order', async () => {
    const writer = page();
    await writer.enqueue('note', { local: true }, { channel: 'a' });
    await writer.enqueueRequest(
      { url: 'https://api.test/a', method: 'POST', body: 'behind' },
      { channel: 'a' },
    );
    await writer.enqueueRequest(
      { url: 'https://api.test/b', method: 'POST', body: 'free' },
      { channel: 'b' },
    );
    const fetchFn = vi.fn(async () => new Response(null, { status: 204 }));
    const { scope, fire } = fakeScope();
    installOutboxSync({ indexedDB: bed.idb, fetch: fetchFn }, scope);
    // The request behind the page-only entry still waits: the sync fails so the browser retries.
    await expect(fire('sync', { tag: 'bulletproof-outbox-default' })).rejects.toBeInstanceOf(
      SyncIncompleteError,
    );
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const left = await writer.list();
    expect(left.map((e) => [e.type, e.state])).toEqual([
      ['note', 'pending'],
      ['http', 'pending'],
    ]);
  });

  it('gives requests that failed on the network quick passes within the same sync event', async () => {
    const clock = manualClock();
    const writer = page();
    await writer.enqueueRequest({ url: 'https://api.test/a', method: 'PUT', body: '1' });
    // The link is back, but the first two fetches still fail on the network.
    let calls = 0;
    const fetchFn = vi.fn(async () => {
      calls += 1;
      if (calls <= 2) throw new TypeError('Failed to fetch');
      return new Response(null, { status: 204 });
    });
    const { scope, fire } = fakeScope();
    installOutboxSync({ indexedDB: bed.idb, fetch: fetchFn, clock }, scope);
    const synced = fire('sync', { tag: 'bulletproof-outbox-default' });
    for (const waitMs of EARLY_PASS_WAITS_MS) {
      await settleImmediates();
      clock.advance(waitMs);
    }
    const [report] = await synced;
    expect(fetchFn).toHaveBeenCalledTimes(3);
    expect(report).toMatchObject({ delivered: 1, retried: 2 });
    expect(await writer.list()).toEqual([]);
  });

  it('fails the sync event while requests are still waiting, so the browser fires it again', async () => {
    const writer = page();
    await writer.enqueueRequest({ url: 'https://api.test/a', method: 'POST', body: '1' });
    const { scope, fire } = fakeScope();
    installOutboxSync({ indexedDB: bed.idb, fetch: async () => new Response(null, { status: 503 }) }, scope);
    const failure = await fire('sync', { tag: 'bulletproof-outbox-default' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SyncIncompleteError);
    expect((failure as SyncIncompleteError).waiting).toBe(1);
    const [entry] = await writer.list();
    expect(entry).toMatchObject({ attempts: 1, lastFailure: { status: 503 } });
  });

  it('registers the sync tag when a page asks, and answers the page', async () => {
    const { scope, fire, register } = fakeScope();
    installOutboxSync({ name: 'notes', indexedDB: bed.idb }, scope);
    const port = { postMessage: vi.fn() };
    await fire('message', {
      data: { type: 'bulletproof-outbox:register-sync', name: 'other' },
      ports: [port],
    });
    expect(register).not.toHaveBeenCalled();
    await fire('message', {
      data: { type: 'bulletproof-outbox:register-sync', name: 'notes' },
      ports: [port],
    });
    expect(register).toHaveBeenCalledWith('bulletproof-outbox-notes');
    expect(port.postMessage).toHaveBeenCalledWith({ ok: true });
  });

  it('answers the page with the error when Background Sync is refused or missing', async () => {
    const { scope, fire } = fakeScope(
      vi.fn(async () => Promise.reject(new DOMException('no window', 'InvalidStateError'))),
    );
    installOutboxSync({ indexedDB: bed.idb }, scope);
    const port = { postMessage: vi.fn() };
    await fire('message', {
      data: { type: 'bulletproof-outbox:register-sync', name: 'default' },
      ports: [port],
    });
    expect(port.postMessage).toHaveBeenCalledWith({ ok: false, error: expect.stringContaining('no window') });
    const bare = fakeScope();
    delete bare.scope.registration.sync;
    installOutboxSync({ indexedDB: bed.idb }, bare.scope);
    await bare.fire('message', {
      data: { type: 'bulletproof-outbox:register-sync', name: 'default' },
      ports: [port],
    });
    expect(port.postMessage).toHaveBeenLastCalledWith({
      ok: false,
      error: expect.stringContaining('not supported'),
    });
  });

  it('validates its options and removes its listeners', () => {
    const { scope, listeners } = fakeScope();
    expect(() => installOutboxSync({ name: 3 as never }, scope)).toThrow(
      /installOutboxSync\(\): option "name"/,
    );
    const uninstall = installOutboxSync({}, scope);
    expect(listeners.get('sync')).toHaveLength(1);
    uninstall();
    expect(listeners.get('sync')).toHaveLength(0);
    expect(listeners.get('message')).toHaveLength(0);
  });
});
