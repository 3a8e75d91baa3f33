/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import { describe, expect, it, vi } from 'vitest';
import { HttpError } from '../failure/errors.js';
import { pipeline } from '../policy/pipeline.js';
import type { Outbox, OutboxEvent, OutboxHandler, OutboxOptions, OutboxStats } from './types.js';
import { deferred } from '../test-support/deferred.js';
import { webLocks } from '../test-support/web-locks.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates } from '../test-support/settle.js';

/**
 * Several pages (tabs, the service worker) sharing one outbox database. A "page" here is a
 * fresh copy of the outbox modules (`vi.resetModules`), so each has its own in-page lock,
 * just as separate tabs would.
 */

const T0 = 5_000_000;
const bed = outboxTestBed({ fakeTimeFrom: T0 });

async function newPage(o: OutboxOptions): Promise<Outbox> {
  vi.resetModules();
  const { createOutbox } = await import('./outbox.js');
  return bed.closeAfter(createOutbox({ name: 'shared', ...bed.options, ...o }));
}

const settle = (rounds = 30) => settleImmediates(rounds);

const hang: OutboxHandler = () => new Promise(() => {});

/**
 * A page that dies mid-delivery: its handler never settles, and no timeout fires in it (a dead
 * page runs nothing). Only closing it at the end of the test ends the attempt.
 */
const dying: Pick<OutboxOptions, 'handlers' | 'policy'> = {
  handlers: {
    w: (_p, ctx) =>
      new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
      ),
  },
  policy: pipeline(),
};

const compact = (s: OutboxStats) => `${s.pending}/${s.inFlight}/${s.draining ? 'D' : '-'}`;

describe('leases (no Web Locks)', () => {
  it('leaves an entry a dead page held alone until its lease runs out, then delivers it once', async () => {
    const first = await newPage({ handlers: { w: hang }, leaseMs: 30_000 });
    const a1 = await first.enqueue('w', 'a1', { channel: 'a' });
    await first.enqueue('w', 'a2', { channel: 'a' });
    await first.enqueue('w', 'b1', { channel: 'b' });
    // The first page sends a1 (and b1), then dies: its drain never finishes.
    void first.drain();
    await settle();
    expect((await first.list()).filter((e) => e.state === 'in-flight')).toHaveLength(2);

    const calls: Array<[string, string, number]> = [];
    const second = await newPage({
      handlers: {
        w: async (p: string, ctx) => {
          calls.push([p, ctx.idempotencyKey, ctx.attempt]);
        },
      },
      leaseMs: 30_000,
    });
    // Leased: not delivered, and a2 does not overtake a1.
    expect(await second.drain()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(calls).toEqual([]);
    expect(second.stats).toMatchObject({ inFlight: 2, pending: 1 });

    vi.setSystemTime(T0 + 30_000);
    expect(await second.drain()).toEqual({ delivered: 3, retried: 0, dead: 0 });
    // Same key as the first page's attempt, so the server can tell it is the same write.
    expect(calls[0]).toEqual(['a1', a1.idempotencyKey, 1]);
    expect(calls.map(([p]) => p).filter((p) => p.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(calls.map(([p]) => p).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(calls.every(([, , attempt]) => attempt === 1)).toBe(true);
  });

  it('does not resurrect an entry when the page that leased it reports late', async () => {
    let settleFirst!: (error: unknown) => void;
    const first = await newPage({
      handlers: { w: () => new Promise((_, reject) => (settleFirst = reject)) },
      leaseMs: 1_000,
    });
    await first.enqueue('w', 1);
    const late = first.drain();
    await settle();
    const second = await newPage({ handlers: { w: async () => undefined }, leaseMs: 1_000 });
    vi.setSystemTime(T0 + 1_000);
    expect(await second.drain()).toMatchObject({ delivered: 1 });
    // The first page's attempt fails long after: it must not write the entry back.
    settleFirst(new HttpError(500));
    await late;
    expect(await second.list()).toEqual([]);
  });
});

describe('one drainer at a time', () => {
  it('joins the drain another outbox of the same name runs in this page', async () => {
    const gate = deferred();
    const { createOutbox } = await import('./outbox.js');
    const base = { name: 'same-page', ...bed.options };
    const a = createOutbox({ ...base, handlers: { w: () => gate.promise } });
    const b = createOutbox({ ...base, handlers: { w: async () => undefined } });
    bed.closeAfter(a);
    bed.closeAfter(b);
    await a.enqueue('w', 1);
    const draining = a.drain();
    await settle();
    // A "Sync now" in the leading page: it resolves with the drain under way, not "not-leader".
    const joined = b.drain();
    expect(joined).toBe(draining);
    gate.resolve();
    expect(await joined).toMatchObject({ delivered: 1 });
  });

  it('with Web Locks: others skip while one drains, and take over at once when it dies', async () => {
    const locks = webLocks();
    const first = await newPage({ handlers: { w: hang }, locks, leaseMs: 600_000 });
    await first.enqueue('w', 'x');
    void first.drain();
    await settle();
    const delivered: string[] = [];
    const second = await newPage({
      handlers: { w: async (p: string) => void delivered.push(p) },
      locks,
      leaseMs: 600_000,
    });
    expect(await second.drain()).toEqual({ delivered: 0, retried: 0, dead: 0, skipped: 'not-leader' });
    // The browser releases a dead page's locks. Whoever holds the lock now knows the in-flight
    // entry is an orphan: it does not wait out the 10-minute lease.
    locks.kill('bulletproof-outbox-shared');
    expect(await second.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(delivered).toEqual(['x']);
  });
});

describe('deliveries under the Web Lock', () => {
  it("starts a channel's next delivery while the previous one's completion commits, keeping order and events", async () => {
    const remaining: number[] = [];
    const delivered: string[] = [];
    const page = await newPage({
      locks: webLocks(),
      handlers: {
        w: async (p: string) => {
          // Read from the in-memory view, which follows committed changes only.
          remaining.push(page.stats.pending + page.stats.inFlight);
          delivered.push(p);
        },
      },
    });
    const events: OutboxEvent[] = [];
    page.events$.subscribe((e) => events.push(e));
    for (const p of ['a1', 'a2', 'a3']) await page.enqueue('w', p, { channel: 'a' });
    expect(await page.drain()).toEqual({ delivered: 3, retried: 0, dead: 0 });
    expect(delivered).toEqual(['a1', 'a2', 'a3']);
    // a2 and a3 were sent before the change that removed the entry before them committed.
    expect(remaining).toEqual([3, 3, 2]);
    const deliveredEvents = events.filter((e) => e.type === 'delivered');
    expect(deliveredEvents.map((e) => (e as { entry: { payload: string } }).entry.payload)).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
    expect(await page.list()).toEqual([]);
  });

  it('claims each entry on disk before sending it when there is no Web Lock', async () => {
    const remaining: number[] = [];
    const page = await newPage({
      handlers: {
        w: async () => {
          remaining.push(page.stats.pending + page.stats.inFlight);
        },
      },
    });
    for (const p of ['a1', 'a2', 'a3']) await page.enqueue('w', p, { channel: 'a' });
    await page.drain();
    // The lease is what keeps other pages off: it must be committed before each send.
    expect(remaining).toEqual([3, 2, 1]);
  });

  it('does not send an entry discarded while the one before it was being delivered', async () => {
    const gate = deferred();
    const sent: string[] = [];
    const page = await newPage({
      locks: webLocks(),
      handlers: {
        w: async (p: string) => {
          sent.push(p);
          if (p === 'a1') await gate.promise;
        },
      },
    });
    await page.enqueue('w', 'a1', { channel: 'a' });
    const a2 = await page.enqueue('w', 'a2', { channel: 'a' });
    await page.enqueue('w', 'a3', { channel: 'a' });
    const draining = page.drain();
    await settle();
    expect(await page.discard([a2.id])).toBe(1);
    gate.resolve();
    expect(await draining).toMatchObject({ delivered: 2 });
    expect(sent).toEqual(['a1', 'a3']);
    expect(await page.list()).toEqual([]);
  });

  it('leaves the next entry pending, not in flight, when the drain stops while its claim commits', async () => {
    const page = await newPage({
      locks: webLocks(),
      handlers: {
        w: async (p: string) => {
          if (p === 'a1') void page.close();
        },
      },
    });
    await page.enqueue('w', 'a1', { channel: 'a' });
    await page.enqueue('w', 'a2', { channel: 'a' });
    await page.drain().catch(() => undefined);
    const reopened = await newPage({});
    const left = await reopened.list();
    expect(left.map((e) => [e.payload, e.state])).toEqual([['a2', 'pending']]);
  });
});

describe('live stats across pages (BroadcastChannel)', () => {
  it('shows another page’s enqueues and deliveries, and relays deliveries as remote events', async () => {
    const drainer = await newPage({ handlers: { w: async () => undefined }, BroadcastChannel });
    const watcher = await newPage({ BroadcastChannel });
    const stats: OutboxStats[] = [];
    watcher.stats$.subscribe((s) => stats.push(s));
    const events: OutboxEvent[] = [];
    watcher.events$.subscribe((e) => events.push(e));
    await settle();
    const entry = await drainer.enqueue('w', 'hello');
    await vi.waitFor(async () => {
      await settle(5);
      expect(stats.at(-1)).toMatchObject({ pending: 1 });
    });
    await drainer.drain();
    await vi.waitFor(async () => {
      await settle(5);
      expect(stats.at(-1)).toMatchObject({ pending: 0, inFlight: 0 });
    });
    expect(events).toContainEqual({
      type: 'delivered',
      entry: { ...entry, state: 'in-flight' },
      remote: true,
    });
  });

  it('makes the page that drains pick up what another page enqueued meanwhile', async () => {
    const gate = deferred();
    const delivered: string[] = [];
    const drainer = await newPage({
      BroadcastChannel,
      handlers: {
        w: async (p: string) => {
          if (p === 'first') await gate.promise;
          delivered.push(p);
        },
      },
    });
    const other = await newPage({ BroadcastChannel });
    await drainer.enqueue('w', 'first');
    const draining = drainer.drain();
    await settle();
    await other.enqueue('w', 'from-other-page', { channel: 'other' });
    await vi.waitFor(async () => {
      await settle(5);
      expect((await other.list()).length).toBe(2);
    });
    await settle();
    gate.resolve();
    expect(await draining).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(delivered.sort()).toEqual(['first', 'from-other-page']);
  });

  it('shows the entry of a page that died mid-delivery as pending once its lease runs out', async () => {
    const first = await newPage({ ...dying, leaseMs: 30_000, BroadcastChannel });
    const watcher = await newPage({ leaseMs: 30_000, BroadcastChannel });
    const seen: OutboxStats[] = [];
    watcher.stats$.subscribe((s) => seen.push(s));
    await first.enqueue('w', 'x');
    void first.drain();
    await settle(); // sent (and leased until T0 + 30 s) before any fake time passes
    await vi.waitFor(async () => {
      await settle(5);
      expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1 });
    });
    // The first page dies here: nothing more is said on the channel.
    await vi.advanceTimersByTimeAsync(T0 + 29_999 - Date.now());
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(seen.at(-1)).toMatchObject({ pending: 1, inFlight: 0 });
    expect(watcher.stats).toMatchObject({ pending: 1, inFlight: 0 });
    expect(await watcher.list()).toMatchObject([{ payload: 'x', state: 'pending' }]);
  });
});

describe('taking over from a leader that died (Web Locks)', () => {
  it('takes the lock when the lease runs out, delivers, and its stats$ tells each step', async () => {
    const locks = webLocks();
    const first = await newPage({ ...dying, locks, leaseMs: 30_000, BroadcastChannel });
    const delivered: string[] = [];
    const second = await newPage({
      handlers: { w: async (p: string) => void delivered.push(p) },
      locks,
      leaseMs: 30_000,
      BroadcastChannel,
      // Nothing but the lease's end may start its drain here.
      autoDrain: { online: false, visible: false, intervalMs: false },
    });
    const seen: OutboxStats[] = [];
    second.stats$.subscribe((s) => seen.push(s));
    await first.enqueue('w', 'x');
    void first.drain();
    await settle();
    await vi.waitFor(async () => {
      await settle(5);
      expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: 1, draining: false });
    });
    expect(delivered).toEqual([]);
    // The first page dies: the browser releases its lock, and nobody says so on the channel.
    locks.kill('bulletproof-outbox-shared');
    await vi.advanceTimersByTimeAsync(T0 + 30_000 - Date.now());
    await settle();
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(delivered).toEqual(['x']);
    expect(await second.list()).toEqual([]);
    const steps = seen.map(compact);
    const afterLease = steps.slice(steps.lastIndexOf('0/1/-'));
    expect(afterLease[1]).toBe('1/0/-'); // the lease ended: pending again
    expect(afterLease).toContain('0/1/D'); // taken over and delivered here
    expect(afterLease.at(-1)).toBe('0/0/-');
  });
});
