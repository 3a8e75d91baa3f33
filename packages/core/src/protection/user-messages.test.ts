import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import type { Reachability } from '../connectivity/index.js';
import { classifyFailure } from '../failure/index.js';
import { createMessageCenter, type MessageCenter } from '../messages/index.js';
import type { Outbox, OutboxEntry, OutboxEvent, OutboxStats } from '../outbox/index.js';
import type { SituationKind } from './situation.js';
import type { ProtectionStatus } from './types.js';
import { savedAtText } from '../last-good/saved-at-text.js';
import { createUserMessages, type UserMessages } from './user-messages.js';
import { Emitter, ValueEmitter } from '../observable.js';

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const EMPTY: OutboxStats = {
  pending: 0,
  inFlight: 0,
  dead: 0,
  draining: false,
  paused: false,
  storage: 'indexeddb',
};
const entry = (id: string, state: OutboxEntry['state'] = 'pending'): OutboxEntry => ({
  id,
  type: 'http',
  payload: null,
  channel: 'default',
  idempotencyKey: id,
  state,
  attempts: 0,
  createdAt: 0,
  nextAttemptAt: 0,
  ...(state === 'dead' ? { deadReason: 'rejected' as const } : {}),
});

/** The shared store every context sees: its entries, and the counts derived from them. */
let stored: OutboxEntry[];
let stats$: ValueEmitter<OutboxStats>;
let events$: Emitter<OutboxEvent>;
let messages: MessageCenter;
let user: UserMessages | undefined;

const sync = () => {
  stats$.next({
    ...EMPTY,
    pending: stored.filter((e) => e.state === 'pending').length,
    dead: stored.filter((e) => e.state === 'dead').length,
  });
};
const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const status = (kind: SituationKind, reach: Reachability = 'online'): ProtectionStatus =>
  ({
    connectivity: { status: reach, quality: 'good', since: 0 },
    situation: { kind, level: kind === 'ok' ? 'none' : 'severe' },
  }) as unknown as ProtectionStatus;

function start(): UserMessages {
  const outbox = {
    stats$: stats$.observable,
    events$: events$.observable,
    get stats() {
      return stats$.value;
    },
    list: (o?: { state?: string }) =>
      Promise.resolve(stored.filter((e) => o?.state === undefined || e.state === o.state)),
    retry: () => Promise.resolve(0),
    discard: () => Promise.resolve(0),
  } as unknown as Outbox;
  user = createUserMessages({ messages, outbox, requestReview: () => undefined });
  return user;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  stored = [];
  stats$ = new ValueEmitter(EMPTY);
  events$ = new Emitter();
  messages = createMessageCenter({ clock });
});

afterEach(() => {
  user?.dispose();
  user = undefined;
  messages.dispose();
  vi.useRealTimers();
});

const toastTexts = () => messages.visible.toasts.map((t) => t.text);
const bannerTexts = () => messages.visible.banners.map((t) => t.text);

describe('the queue\'s story ends with "synced", whoever delivered', () => {
  it('counts by id, so deliveries by another tab or the service worker count even with no relay heard', async () => {
    const u = start();
    await flush();
    u.onStatus(status('offline', 'offline'));
    stored = [entry('a'), entry('b'), entry('c')];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['3 changes waiting to sync']);
    u.onStatus(status('ok'));
    // Another context delivers all three; this page only sees the shared store empty.
    stored = [];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['All 3 changes synced.']);
  });

  it('counts a write added after part of the queue was delivered elsewhere, when another tab delivers it too', async () => {
    const u = start();
    await flush();
    u.onStatus(status('offline', 'offline'));
    stored = [entry('a'), entry('b'), entry('c')];
    sync();
    await flush();
    u.onStatus(status('ok'));
    // Another tab (the leader) delivers two; then this page saves one more while c still waits.
    stored = [entry('c')];
    sync();
    await flush();
    stored = [entry('c'), entry('d')];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['2 changes waiting to sync']);
    // The other tab delivers c and d: this page hears no delivered event, only the empty store.
    stored = [];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['All 4 changes synced.']);
  });

  it('a reloaded page tells the story of the writes left from before it', async () => {
    stored = [entry('a'), entry('b')];
    sync();
    const u = start();
    u.onStatus(status('ok'));
    await flush();
    expect(toastTexts()).toEqual(['2 changes waiting to sync']);
    events$.next({ type: 'delivered', entry: entry('a') });
    events$.next({ type: 'delivered', entry: entry('b') });
    stored = [];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['All 2 changes synced.']);
  });

  it('a normal save while online says nothing at all', async () => {
    const u = start();
    u.onStatus(status('ok'));
    await flush();
    stored = [entry('a')];
    sync();
    events$.next({ type: 'delivered', entry: entry('a') });
    stored = [];
    sync();
    await flush();
    expect(toastTexts()).toEqual([]);
    expect(messages.queued).toBe(0);
  });

  it('does not count a change the server refused or one the user discarded', async () => {
    const u = start();
    u.onStatus(status('offline', 'offline'));
    stored = [entry('a'), entry('b'), entry('c'), entry('d')];
    sync();
    await flush();
    u.onStatus(status('ok'));
    events$.next({ type: 'discarded', ids: ['d'] });
    stored = [entry('c', 'dead')];
    sync();
    await flush();
    // a and b were delivered; c was refused (told by its own message); d was discarded.
    expect(toastTexts()).toEqual(['All 2 changes synced.']);
  });
});

describe('one lasting situation, in words for people', () => {
  it.each([
    ['offline', 'offline', /You're offline/],
    ['unreachable', 'unreachable', /can't reach the server/],
    ['server-trouble', 'online', /service is having trouble/],
    ['degraded', 'online', /Some features are paused/],
    ['predicted-trouble', 'online', /running slowly/],
    ['slow', 'online', /connection is slow/],
  ] as const)('%s shows one banner', (kind, reach, text) => {
    const u = start();
    u.onStatus(status(kind, reach));
    expect(bannerTexts()).toHaveLength(1);
    expect(bannerTexts()[0]).toMatch(text);
  });

  it('a banner the user dismissed stays dismissed until the situation changes', () => {
    const u = start();
    u.onStatus(status('offline', 'offline'));
    messages.dismiss('situation');
    u.onStatus(status('offline', 'offline'));
    expect(bannerTexts()).toEqual([]);
    u.onStatus(status('server-trouble'));
    expect(bannerTexts()).toEqual([messages.template('serverTrouble')]);
  });

  it('healthy conditions show no banner, so nothing stale outlives a recovery', () => {
    const u = start();
    u.onStatus(status('server-trouble'));
    u.onStatus(status('ok'));
    expect(bannerTexts()).toEqual([]);
  });

  it('says "back online" once, and "synced" replaces it rather than following it', async () => {
    const u = start();
    u.onStatus(status('offline', 'offline'));
    stored = [entry('a')];
    sync();
    await flush();
    u.onStatus(status('ok'));
    expect(toastTexts()).toEqual(['1 change waiting to sync']);
    stored = [];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['Your change synced.']);
    vi.advanceTimersByTime(5_000);
    expect(toastTexts()).toEqual([]);
    expect(messages.queued).toBe(0);
  });

  it('never says "back online" after "synced", when the queue was delivered before the page saw the network back', async () => {
    const u = start();
    u.onStatus(status('offline', 'offline'));
    stored = [entry('a')];
    sync();
    await flush();
    // The service worker (or the browser's online event) delivered it while this page's
    // connectivity still said offline: the probe confirms the network a moment later.
    stored = [];
    sync();
    await flush();
    expect(toastTexts()).toEqual(['Your change synced.']);
    vi.advanceTimersByTime(4_500);
    u.onStatus(status('ok'));
    const seen = new Set<string>();
    for (let t = 0; t < 10_000; t += 250) {
      for (const text of toastTexts()) seen.add(text);
      vi.advanceTimersByTime(250);
    }
    expect([...seen]).toEqual(['Your change synced.']);
  });

  it('a failed read under a lasting situation adds nothing; a failed write is said; a cancel never is', () => {
    const u = start();
    u.onStatus(status('server-trouble'));
    u.callFailed('read', classifyFailure(new TypeError('Failed to fetch')));
    expect(toastTexts()).toEqual([]);
    u.callFailed('write', classifyFailure(new TypeError('Failed to fetch')));
    expect(toastTexts()).toEqual(["Your change couldn't be saved. Please try again."]);
    messages.clear();
    u.callFailed('write', classifyFailure(new DOMException('gone', 'AbortError')));
    expect(toastTexts()).toEqual([]);
  });

  it('a read answered with a saved copy says from when (with the date if not today), unless a lasting situation explains it', () => {
    vi.setSystemTime(new Date(2025, 2, 3, 15, 0).getTime());
    const u = start();
    u.onStatus(status('ok'));
    const thisMorning = new Date(2025, 2, 3, 10, 42).getTime();
    u.savedCopy(thisMorning);
    expect(toastTexts()).toEqual([`Showing a copy saved at ${savedAtText(thisMorning)}.`]);
    expect(messages.visible.toasts[0]?.tone).toBe('info');
    const yesterday = new Date(2025, 2, 2, 10, 42).getTime();
    u.savedCopy(yesterday);
    expect(toastTexts()).toEqual([`Showing a copy saved at ${savedAtText(yesterday)}.`]);
    messages.clear();
    u.onStatus(status('offline', 'offline'));
    u.savedCopy(thisMorning);
    expect(toastTexts()).toEqual([]);
  });

  it("labels the refusal's actions from the templates", async () => {
    messages.dispose();
    messages = createMessageCenter({
      clock,
      templates: { actionReview: 'Voir', actionRetry: 'Réessayer', actionDiscard: 'Abandonner' },
    });
    start();
    stored = [entry('x', 'dead')];
    events$.next({ type: 'dead-lettered', entry: entry('x', 'dead'), reason: 'rejected' });
    await flush();
    expect(messages.visible.toasts[0]?.actions.map((a) => a.label)).toEqual([
      'Voir',
      'Réessayer',
      'Abandonner',
    ]);
  });
});
