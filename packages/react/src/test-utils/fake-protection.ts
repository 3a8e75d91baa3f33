import {
  classifyFailure,
  isLastGood,
  createDegradation,
  createMessageCenter,
  createRecovery,
  describeSituation,
  EMPTY_PREDICTION_ACCURACY,
  proposeDegradation,
} from '@bulletproof/core';
import type {
  Clock,
  ConnectivityMonitor,
  ConnectivitySnapshot,
  DegradationOptions,
  ExecutionContext,
  MessageCenterOptions,
  Outbox,
  OutboxEntry,
  OutboxEvent,
  OutboxStats,
  Policy,
  PolicyEvent,
  ProtectedResult,
  Protection,
  ProtectionEvent,
  ProtectionStatus,
  ProtectOptions,
} from '@bulletproof/core';
import { Emitter, ValueEmitter } from '../../../core/src/observable.js';
import { manualClock } from '../../../core/src/test-support/manual-clock.js';

// The core's test clock, offered next to the fakes that default to it.
export { manualClock };

export interface FakeConnectivity extends ConnectivityMonitor {
  set(patch: Partial<ConnectivitySnapshot>): void;
}

export function fakeConnectivity(initial: Partial<ConnectivitySnapshot> = {}): FakeConnectivity {
  const subject = new ValueEmitter<ConnectivitySnapshot>({
    status: 'online',
    quality: 'good',
    since: 0,
    ...initial,
  });
  return {
    get snapshot() {
      return subject.value;
    },
    state$: subject.observable,
    check: () => Promise.resolve(subject.value),
    report() {},
    probeSoon() {},
    dispose() {
      subject.complete();
    },
    set(patch) {
      subject.next({ ...subject.value, ...patch });
    },
  };
}

export interface FakeOutbox extends Outbox {
  /** Replaces the entries (and so the counts). */
  set(entries: OutboxEntry[], stats?: Partial<OutboxStats>): void;
  emit(event: OutboxEvent): void;
  /** Number of `list()` calls so far. */
  readonly lists: number;
}

export function entry(id: string, patch: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    type: 'note',
    payload: { id },
    channel: 'default',
    idempotencyKey: id,
    state: 'pending',
    attempts: 0,
    createdAt: 0,
    nextAttemptAt: 0,
    ...patch,
  };
}

/** An outbox held in memory with the real one's observable surface; deliveries are up to the test. */
export function fakeOutbox(initial: OutboxEntry[] = []): FakeOutbox {
  let entries = initial;
  let extra: Partial<OutboxStats> = {};
  let lists = 0;
  const count = (): OutboxStats => ({
    pending: entries.filter((e) => e.state === 'pending').length,
    inFlight: entries.filter((e) => e.state === 'in-flight').length,
    dead: entries.filter((e) => e.state === 'dead').length,
    draining: false,
    paused: false,
    storage: 'indexeddb',
    ...extra,
  });
  const stats = new ValueEmitter<OutboxStats>(count());
  const events = new Emitter<OutboxEvent>();
  const publish = () => {
    stats.next(count());
  };
  return {
    get lists() {
      return lists;
    },
    set(next, patch = {}) {
      entries = next;
      extra = patch;
      publish();
    },
    emit(event) {
      events.next(event);
    },
    types: [],
    enqueue: () => Promise.reject(new Error('fake outbox: enqueue is not used by these tests')),
    enqueueRequest: () => Promise.reject(new Error('fake outbox: enqueueRequest is not used by these tests')),
    drain: () => Promise.resolve({ delivered: 0, retried: 0, dead: 0 }),
    list(o) {
      lists++;
      return Promise.resolve(entries.filter((e) => !o?.state || e.state === o.state).map((e) => ({ ...e })));
    },
    retry(ids) {
      let changed = 0;
      entries = entries.map((e) => {
        if (ids === 'dead' ? e.state !== 'dead' : !ids.includes(e.id)) return e;
        changed++;
        const { deadReason: _deadReason, ...rest } = e;
        return { ...rest, state: 'pending', attempts: 0 };
      });
      publish();
      return Promise.resolve(changed);
    },
    discard(ids) {
      const before = entries.length;
      entries = entries.filter((e) => !ids.includes(e.id));
      publish();
      events.next({ type: 'discarded', ids });
      return Promise.resolve(before - entries.length);
    },
    resume() {},
    get stats() {
      return stats.value;
    },
    stats$: stats.observable,
    events$: events.observable,
    close: () => Promise.resolve(),
  };
}

export interface ProtectCall {
  name: string;
  options: ProtectOptions<unknown>;
  ctx: ExecutionContext;
  /** What `fn` returned, or rejected with. */
  outcome: Promise<unknown>;
}

export interface FakeProtection extends Protection {
  readonly connectivity: FakeConnectivity;
  readonly outbox?: FakeOutbox;
  /** Every `protect` call, in order. */
  readonly calls: ProtectCall[];
  emit(event: ProtectionEvent): void;
}

export interface FakeProtectionOptions {
  connectivity?: Partial<ConnectivitySnapshot>;
  /** `false` for a Protection without an outbox. */
  outbox?: OutboxEntry[] | false;
  degradation?: DegradationOptions;
  messages?: Omit<MessageCenterOptions, 'clock'>;
  clock?: Clock;
}

/**
 * A Protection for component tests: real degradation, message center and
 * recovery; connectivity and outbox driven by the test. `protect` runs `fn`
 * once and maps its outcome like the façade (`ok`, `fallback`, `failed`, `cancelled`); its
 * idempotency keys are `key-1`, `key-2`, … in call order, unless the call gives one.
 */
export function fakeProtection(o: FakeProtectionOptions = {}): FakeProtection {
  const clock = o.clock ?? manualClock();
  const connectivity = fakeConnectivity(o.connectivity);
  const outbox = o.outbox === false ? undefined : fakeOutbox(o.outbox);
  const degradation = createDegradation({ clock, ...o.degradation });
  const messages = createMessageCenter({ clock, ...o.messages });
  const recovery = createRecovery({ clock });
  const events = new Emitter<ProtectionEvent>();
  const calls: ProtectCall[] = [];
  let keys = 0;
  // Predictable keys, so a test can tell one call's key from another's.
  const nextKey = () => `key-${String(++keys)}`;

  const policy: Policy = {
    execute: (fn, opts) =>
      Promise.resolve().then(() =>
        fn({
          signal: opts?.signal ?? new AbortController().signal,
          attempt: 1,
          idempotencyKey: opts?.idempotencyKey ?? nextKey(),
        }),
      ),
    events$: new Emitter<PolicyEvent>().observable,
  };

  const computeStatus = (): ProtectionStatus => ({
    health: 100,
    degradation: degradation.state,
    situation: describeSituation({
      connectivity: connectivity.snapshot,
      proposal: proposeDegradation({
        connectivity: connectivity.snapshot,
        dependencies: [],
        storage: outbox?.stats.storage,
      }),
      degradation: degradation.state,
    }),
    connectivity: connectivity.snapshot,
    dependencies: {},
    ...(outbox ? { outbox: outbox.stats } : {}),
    predictions: {
      active: [],
      accuracy: EMPTY_PREDICTION_ACCURACY,
    },
    recovery: recovery.stats,
  });
  const status = new ValueEmitter<ProtectionStatus>(computeStatus());
  const refresh = () => {
    status.next(computeStatus());
  };
  connectivity.state$.subscribe(refresh);
  degradation.state$.subscribe(refresh);
  outbox?.stats$.subscribe(refresh);

  async function protect<T>(
    name: string,
    fn: (ctx: ExecutionContext) => Promise<T>,
    options: ProtectOptions<T> = {},
  ): Promise<ProtectedResult<T>> {
    const ctx: ExecutionContext = {
      signal: options.signal ?? new AbortController().signal,
      attempt: 1,
      idempotencyKey: options.idempotencyKey ?? nextKey(),
    };
    const outcome = Promise.resolve().then(() => fn(ctx));
    calls.push({ name, options: options, ctx, outcome });
    const fb = options.fallback;
    try {
      const value = await outcome;
      if (isLastGood(fb)) fb.remember(value);
      return { status: 'ok', value };
    } catch (error) {
      const failure = classifyFailure(error, { signal: ctx.signal });
      // Like the façade: the caller gave up, so no fallback and nothing to tell.
      if (failure.category === 'aborted') return { status: 'cancelled', failure };
      if (isLastGood(fb)) {
        const saved = fb.recall();
        return saved ? { status: 'fallback', failure, ...saved } : { status: 'failed', failure };
      }
      if (fb !== undefined) {
        const value =
          typeof fb === 'function' ? await (fb as (f: typeof failure) => T | Promise<T>)(failure) : fb;
        return { status: 'fallback', value, failure };
      }
      return { status: 'failed', failure };
    }
  }

  return {
    connectivity,
    ...(outbox ? { outbox } : {}),
    degradation,
    messages,
    recovery,
    calls,
    protect,
    policy: () => policy,
    status: () => status.value,
    status$: status.observable,
    events$: events.observable,
    emit(event) {
      events.next(event);
    },
    dispose() {
      degradation.dispose();
      messages.dispose();
      recovery.dispose();
      return Promise.resolve();
    },
  };
}
