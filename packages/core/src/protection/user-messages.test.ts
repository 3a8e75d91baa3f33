import { BehaviorSubject, Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import type { ConnectivityMonitor, ConnectivitySnapshot } from '../connectivity/index.js';
import type { Degradation, DegradationState } from '../degrade/index.js';
import { createMessageCenter, type MessageCenter } from '../messages/index.js';
import type { Outbox, OutboxEntry, OutboxEvent, OutboxStats } from '../outbox/index.js';
import { UserMessages } from './user-messages.js';

// The "synced" message when the deliveries were made elsewhere: another tab or the service
// worker relays them in batches over BroadcastChannel, so this tab may see the queue empty
// (it re-reads the shared store) before it hears of the deliveries that emptied it.

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
const entry = (id: string): OutboxEntry => ({
  id,
  type: 'http',
  payload: null,
  channel: 'default',
  idempotencyKey: id,
  state: 'pending',
  attempts: 0,
  createdAt: 0,
  nextAttemptAt: 0,
});

let stats$: BehaviorSubject<OutboxStats>;
let events$: Subject<OutboxEvent>;
let messages: MessageCenter;
let user: UserMessages;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  stats$ = new BehaviorSubject(EMPTY);
  events$ = new Subject();
  messages = createMessageCenter({ clock });
  const offline: ConnectivitySnapshot = { status: 'offline', quality: 'unknown', since: 0 };
  const connectivity = {
    state$: new BehaviorSubject(offline),
    snapshot: offline,
  } as unknown as ConnectivityMonitor;
  const level: DegradationState = { level: 'none', reasons: [], since: 0, manual: false };
  const degradation = { state$: new BehaviorSubject(level) } as unknown as Degradation;
  const outbox = {
    stats$,
    events$,
    get stats() {
      return stats$.value;
    },
    list: () => Promise.resolve([]),
  } as unknown as Outbox;
  user = new UserMessages({
    messages,
    connectivity,
    outbox,
    degradation,
    dependencies: new Map(),
    clock,
    requestReview: () => undefined,
  });
});

afterEach(() => {
  user.dispose();
  messages.dispose();
  vi.useRealTimers();
});

const toastTexts = () => messages.visible.toasts.map((t) => t.text);

describe('synced message for deliveries made by another context', () => {
  it('says "All 3 changes synced." when the relayed deliveries arrive after the queue emptied', () => {
    stats$.next({ ...EMPTY, pending: 3 });
    expect(toastTexts()).toEqual(['3 changes waiting to sync']);
    stats$.next(EMPTY);
    expect(toastTexts()).toEqual([]);
    for (const id of ['a', 'b', 'c']) events$.next({ type: 'delivered', entry: entry(id), remote: true });
    expect(toastTexts()).toEqual(['All 3 changes synced.']);
  });

  it('corrects a count given too early when more relayed deliveries arrive just after', () => {
    stats$.next({ ...EMPTY, pending: 4 });
    events$.next({ type: 'delivered', entry: entry('a'), remote: true });
    stats$.next(EMPTY);
    expect(toastTexts()).toEqual(['Your change synced.']);
    for (const id of ['b', 'c', 'd']) events$.next({ type: 'delivered', entry: entry(id), remote: true });
    expect(toastTexts()).toEqual(['All 4 changes synced.']);
    expect(messages.visible.toasts).toHaveLength(1);
  });

  it('still counts deliveries heard before the queue emptied, as before', () => {
    stats$.next({ ...EMPTY, pending: 2 });
    events$.next({ type: 'delivered', entry: entry('a') });
    events$.next({ type: 'delivered', entry: entry('b') });
    stats$.next(EMPTY);
    expect(toastTexts()).toEqual(['All 2 changes synced.']);
  });

  it('does not credit deliveries heard long after, or after new writes were queued', () => {
    stats$.next({ ...EMPTY, pending: 1 });
    stats$.next(EMPTY); // emptied by a discard, say: nothing was delivered
    vi.advanceTimersByTime(5_000);
    events$.next({ type: 'delivered', entry: entry('late'), remote: true });
    expect(toastTexts()).toEqual([]);

    stats$.next({ ...EMPTY, pending: 1 });
    stats$.next(EMPTY);
    stats$.next({ ...EMPTY, pending: 1 });
    events$.next({ type: 'delivered', entry: entry('x'), remote: true });
    expect(toastTexts()).toEqual(['1 change waiting to sync']);
  });
});
