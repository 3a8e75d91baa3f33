import { classifyFailure } from '../../failure/classify.js';
import { CircuitOpenError } from '../../failure/errors.js';
import { meaningOf } from '../../failure/meaning.js';
import type { Failure } from '../../failure/types.js';
import { Emitter, observable } from '../../observable.js';
import { parseOptions } from '../../validate.js';
import { systemClock } from '../../clock.js';
import { asPolicy, rejected, runNext, type Call, type Link } from '../base.js';
import type { BreakerSnapshot, BreakerState, Operation, PolicyEvent } from '../types.js';
import { breakerOptionsSchema, type BreakerOptions, type CircuitBreaker } from './options.js';
import { loadRecord, saveRecord, type StorageLike } from './persist.js';
import { boundRecord, type BreakerRecord } from './record.js';
import { shareWithTabs, type BroadcastChannelConstructor, type TabShare } from './tab-share.js';
import { createWindow } from './windows.js';
import { DEV } from '../../dev.js';

export type { BreakerOptions, CircuitBreaker } from './options.js';

/**
 * The default `countIf`: failures that say the dependency is in trouble (network, timeout,
 * server, rate-limited). `unknown` is `failing` in the table, because prediction and health
 * should see it, but it is kept out here: an error nobody recognised is most often a bug in
 * the calling code, and a breaker that opened on it would refuse calls to a healthy dependency.
 */
const defaultCountIf = (f: Failure) => meaningOf(f).signal === 'failing' && f.category !== 'unknown';

/**
 * Stops calling a dependency that keeps failing: after the window's rule trips, calls are
 * rejected at once with `CircuitOpenError` for `openForMs`; the first call after that is a
 * probe (half-open) whose outcome closes or reopens the breaker. Timestamps, not timers,
 * drive the states, so a throttled background tab behaves exactly like a foreground one.
 */
export function circuitBreaker(o: BreakerOptions): CircuitBreaker {
  if (DEV) parseOptions(breakerOptionsSchema(), o, 'circuitBreaker()');
  // The breaker's state lives in these locals, not in fields: a closure minifies to a
  // fraction of a class with as many (unmangled) property names.
  const name = o.name;
  const clock = o.clock ?? systemClock;
  const window = createWindow(o.window ?? { kind: 'consecutive', failures: 5 }, o.slowCall?.rate);
  const slowMs = o.slowCall?.thresholdMs;
  const needsNow = slowMs !== undefined || window.needsTime;
  const openFor = o.openForMs ?? 30_000;
  const probes = o.halfOpen?.probes ?? 1;
  const successesToClose = o.halfOpen?.successesToClose ?? 1;
  const countIf = o.countIf ?? defaultCountIf;
  const events = new Emitter<PolicyEvent>();
  const stateChanges = new Emitter<BreakerSnapshot>();
  let current: BreakerState = 'closed';
  let openedAt: number | undefined;
  let openUntil: number | undefined;
  /** Openings since the breaker last closed; the n-th lasts `openForMs.delay(n)`. */
  let opens = 0;
  let lastOpenMs: number | undefined;
  /** Bumped on every transition: an outcome from a call admitted under an older state is ignored. */
  let generation = 0;
  let lastChangeAt = -Infinity;
  let probesInFlight = 0;
  let halfOpenAt = 0;
  let probeSuccesses = 0;
  let isolations = 0;
  /** Bumped by reset(): releases handed out before it no longer count. */
  let isolationEpoch = 0;
  /** Other tabs' breakers that hold an isolation of this dependency. */
  const holdersElsewhere = new Set<string>();
  let storage: StorageLike | undefined;
  let share: TabShare | undefined;

  const snapshot = (): BreakerSnapshot => {
    const counts = window.counts(window.needsTime ? clock.now() : 0);
    const snap: BreakerSnapshot = { name, state: current, ...counts };
    if (openedAt !== undefined) snap.openedAt = openedAt;
    if (openUntil !== undefined) snap.openUntil = openUntil;
    return snap;
  };

  /** Lets a call through a breaker that is not closed (as a probe: true), or throws `CircuitOpenError`. */
  const admit = (): boolean => {
    if (current === 'isolated') throw new CircuitOpenError(name, Infinity);
    if (current === 'open') {
      const now = clock.now();
      // Opened "in the future": the wall clock was set back since, and the opening is over
      // (it would otherwise last as long as the jump).
      const until = openedAt !== undefined && openedAt > now ? now : (openUntil ?? now);
      if (now < until) throw new CircuitOpenError(name, until - now);
      // No timer moved us: the first call after `openUntil` does.
      transition('half-open', now);
    }
    if (probesInFlight >= probes) {
      // Probes that hang longer than an opening would last count as failed: otherwise one
      // request that never settles would keep the breaker half-open, refusing everything.
      const now = clock.now();
      if (now - halfOpenAt >= (lastOpenMs ?? 0)) {
        transition('open', now);
        throw new CircuitOpenError(name, (openUntil ?? now) - now);
      }
      throw new CircuitOpenError(name, 0);
    }
    probesInFlight++;
    return true;
  };

  /** The hot path reads the clock only when the window or slow-call rule needs it; a state change always does. */
  const timeOfChange = (now: number): number => (needsNow ? now : clock.now());

  const onSuccess = (gen: number, probe: boolean, start: number): void => {
    if (gen !== generation) return;
    const now = needsNow ? clock.now() : 0;
    const slow = slowMs !== undefined && now - start > slowMs;
    if (probe) {
      probesInFlight--;
      if (slow) transition('open', now);
      else if (++probeSuccesses >= successesToClose) transition('closed', timeOfChange(now));
      return;
    }
    if (window.record(false, slow, now)) transition('open', timeOfChange(now));
  };

  const onFailure = (
    error: unknown,
    signal: AbortSignal,
    gen: number,
    probe: boolean,
    start: number,
  ): void => {
    if (gen !== generation) return;
    const failure = classifyFailure(error, { signal });
    // A caller giving up says nothing of the dependency, whatever `countIf` says.
    const counted = failure.category !== 'aborted' && countIf(failure);
    if (!counted) {
      // Not the dependency's fault (a 404, an abort): the breaker stays as it is.
      if (probe) probesInFlight--;
      return;
    }
    const now = needsNow ? clock.now() : 0;
    const slow = slowMs !== undefined && now - start > slowMs;
    if (probe) {
      probesInFlight--;
      transition('open', timeOfChange(now));
      return;
    }
    if (window.record(true, slow, now)) transition('open', timeOfChange(now));
  };

  const runTimedOrProbing = async <T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly Link[],
    index: number,
    call: Call,
  ): Promise<T> => {
    const probe = current !== 'closed' && admit();
    const gen = generation;
    const start = slowMs === undefined ? 0 : clock.now();
    let value: T;
    try {
      value = await runNext(fn, signal, attempt, chain, index + 1, call);
    } catch (error) {
      onFailure(error, signal, gen, probe, start);
      throw error;
    }
    onSuccess(gen, probe, start);
    return value;
  };

  const run: Link = (fn, signal, attempt, chain, index, call) => {
    if (current !== 'closed' || slowMs !== undefined)
      return runTimedOrProbing(fn, signal, attempt, chain, index, call);
    // Closed, no slow-call rule: the hot path. No clock read, one `then`.
    const gen = generation;
    let result;
    try {
      result = runNext(fn, signal, attempt, chain, index + 1, call);
    } catch (error) {
      onFailure(error, signal, gen, false, 0);
      return rejected(error);
    }
    return Promise.resolve(result).then(
      (value) => {
        onSuccess(gen, false, 0);
        return value;
      },
      (error: unknown) => {
        onFailure(error, signal, gen, false, 0);
        throw error;
      },
    );
  };

  const record = (): BreakerRecord => {
    const r: BreakerRecord = { state: current, opens, at: lastChangeAt };
    if (openedAt !== undefined) r.openedAt = openedAt;
    if (openUntil !== undefined) r.openUntil = openUntil;
    if (lastOpenMs !== undefined) r.lastOpenMs = lastOpenMs;
    return r;
  };

  function transition(to: BreakerState, now: number, remote?: BreakerRecord): void {
    const from = current;
    current = to;
    generation++;
    lastChangeAt = remote ? remote.at : now;
    probesInFlight = 0;
    probeSuccesses = 0;
    switch (to) {
      case 'open':
        if (remote) {
          opens = remote.opens;
          lastOpenMs = remote.lastOpenMs;
          openedAt = remote.openedAt ?? now;
          openUntil = remote.openUntil ?? now;
        } else {
          opens++;
          const ms = typeof openFor === 'number' ? openFor : openFor.delay(opens, lastOpenMs);
          lastOpenMs = Number.isFinite(ms) && ms > 0 ? ms : 0;
          openedAt = now;
          openUntil = now + lastOpenMs;
        }
        break;
      case 'half-open':
        halfOpenAt = now;
        if (remote) {
          opens = remote.opens;
          lastOpenMs = remote.lastOpenMs;
          openedAt = remote.openedAt;
          openUntil = remote.openUntil;
        }
        break;
      case 'closed':
        window.reset();
        opens = 0;
        lastOpenMs = openedAt = openUntil = undefined;
        break;
      case 'isolated':
        openedAt = remote?.openedAt ?? now;
        openUntil = undefined;
        break;
    }
    if (from !== to && events.observed) events.next({ type: 'breaker-state', breaker: name, from, to });
    if (stateChanges.observed) stateChanges.next(snapshot());
    if (remote) return;
    const r = record();
    share?.publish(r, isolations > 0);
    if (storage) saveRecord(storage, name, r);
  }

  /** A record from storage or another tab, bounded by what this breaker could have written now. */
  const bounded = (r: BreakerRecord): BreakerRecord =>
    boundRecord(r, clock.now(), typeof openFor === 'number' ? openFor : (openFor.maxMs ?? Infinity));

  /** Another tab changed state: mirror it, unless this tab holds its own isolation or knows something newer. */
  const applyRemote = (r: BreakerRecord, sender: string, holds: boolean): void => {
    if (holds) holdersElsewhere.add(sender);
    else holdersElsewhere.delete(sender);
    if (r.at < lastChangeAt) return;
    if (isolations > 0) return;
    // The last holder elsewhere let go while this tab mirrored its isolation: close here too.
    if (r.state === 'isolated' && holdersElsewhere.size === 0) {
      if (current === 'isolated') transition('closed', clock.now());
      return;
    }
    if (r.state === current && r.state !== 'open') {
      lastChangeAt = r.at;
      return;
    }
    transition(r.state, clock.now(), r);
  };

  if (o.persist === 'local') {
    storage = o.localStorage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    const restored = storage && loadRecord(storage, name);
    // State saved before a reload. Isolation is not restored: nothing could release it any more.
    if (restored && (restored.state === 'open' || restored.state === 'half-open')) {
      const r = bounded(restored);
      current = 'open';
      opens = r.opens;
      lastOpenMs = r.lastOpenMs;
      openedAt = r.openedAt ?? r.at;
      // A breaker that was probing when the page went away probes again on its next call.
      openUntil = r.state === 'half-open' ? r.at : r.openUntil;
      lastChangeAt = r.at;
    }
  }
  if (o.share === 'tabs') {
    const Channel =
      o.BroadcastChannel ??
      (globalThis as { BroadcastChannel?: BroadcastChannelConstructor }).BroadcastChannel;
    if (Channel) {
      share = shareWithTabs(
        name,
        Channel,
        (r, sender, holds) => applyRemote(bounded(r), sender, holds),
        () => (lastChangeAt === -Infinity ? undefined : { record: record(), holds: isolations > 0 }),
      );
    }
  }

  const breaker = {
    name,
    get state() {
      return current;
    },
    get snapshot() {
      return snapshot();
    },
    state$: observable<BreakerSnapshot>((subscriber) => {
      subscriber.next(snapshot());
      const changes = stateChanges.observable.subscribe(subscriber);
      return () => changes.unsubscribe();
    }),
    isolate() {
      const epoch = isolationEpoch;
      isolations++;
      if (current !== 'isolated') transition('isolated', clock.now());
      // Already isolated (mirrored from another tab): tell the others this tab now holds it too.
      else if (isolations === 1) share?.publish(record(), true);
      let released = false;
      return () => {
        if (released || epoch !== isolationEpoch) return;
        released = true;
        isolations--;
        if (isolations > 0) return;
        if (holdersElsewhere.size === 0) transition('closed', clock.now());
        // Still isolated by another tab: tell it this one has let go.
        else share?.publish(record(), false);
      };
    },
    reset() {
      isolationEpoch++;
      isolations = 0;
      holdersElsewhere.clear();
      window.reset();
      if (current !== 'closed') transition('closed', clock.now());
      else {
        opens = 0;
        lastOpenMs = undefined;
      }
    },
    dispose() {
      share?.close();
    },
  };
  return asPolicy(breaker, [run], events, clock);
}
