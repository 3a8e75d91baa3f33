import { setTimer, systemClock, type Clock } from '../clock.js';
import { createConnectivityMonitor, type ConnectivityMonitor } from '../connectivity/index.js';
import { createDegradation } from '../degrade/index.js';
import { classifyFailure } from '../failure/index.js';
import { isKeyInProgress } from '../failure/ambiguous.js';
import type { Failure } from '../failure/types.js';
import { isLastGood } from '../last-good/last-good.js';
import { createMessageCenter } from '../messages/index.js';
import type { Outbox, OutboxRequestInit } from '../outbox/index.js';
import { newId } from '../new-id.js';
import { Emitter, ValueEmitter } from '../observable.js';
import type { BreakerState, CircuitBreaker, ExecutionContext, Policy } from '../policy/index.js';
import { EMPTY_PREDICTION_ACCURACY, type Predictor } from '../predict/index.js';
import { createRecovery } from '../recovery/index.js';
import { createDependencies, type Dependency } from './dependencies.js';
import { checkProtectOptions, makePart, parseProtectionOptions, withinSection } from './options.js';
import { proposeDegradation } from './degradation-rules.js';
import { healthScore } from './health.js';
import { describeSituation } from './situation.js';
import { DEV } from '../dev.js';
import type {
  DependencyStatus,
  ProtectedResult,
  Protection,
  ProtectionEvent,
  ProtectionOptions,
  ProtectionStatus,
  ProtectOptions,
} from './types.js';
import type { Situation } from './situation.js';
import { createUserMessages } from './user-messages.js';

/**
 * A call still unanswered after this long asks the connectivity probe to look now: a
 * backend that hangs is noticed a few seconds in, not only when the call's timeout fires.
 * A probe is a tiny request, and the monitor runs at most one a second however many calls ask.
 */
export const SLOW_CALL_PROBE_MS = 3_000;

/** While a dependency's risk is above low, the status looks at it again this often. */
const RISK_RECHECK_MS = 5_000;

/** The `Idempotency-Key` header an 'http' offline payload already carries, if any: the call then uses it. */
function headerKey(offline: ProtectOptions<unknown>['offline']): string | undefined {
  if (offline?.type !== 'http') return undefined;
  const headers = (offline.payload as { headers?: HeadersInit } | null)?.headers;
  if (headers === undefined) return undefined;
  try {
    return new Headers(headers).get('idempotency-key') || undefined;
  } catch {
    return undefined;
  }
}

function isRequestLike(value: unknown): boolean {
  if (typeof Request !== 'undefined' && value instanceof Request) return true;
  const url = (value as { url?: unknown } | null)?.url;
  return typeof url === 'string' || url instanceof URL;
}

/**
 * The façade: one object that wires connectivity, the outbox, prediction,
 * degradation, messages and recovery, and runs the app's calls through them.
 */
export function createProtection(options?: ProtectionOptions): Protection {
  const o = parseProtectionOptions(options);
  const clock: Clock = o.clock ?? systemClock;
  const win = o.window;

  // What is built is disposed again if a later part throws (a bad option deeper down):
  // nothing half-made keeps probing or holding a database open.
  const built: Array<() => unknown> = [];
  let dependencies: Map<string, Dependency>;
  let connectivity: ConnectivityMonitor;
  let outbox: Outbox | undefined;
  let predictor: Predictor | undefined;
  let degradation: ReturnType<typeof createDegradation>;
  let messages: ReturnType<typeof createMessageCenter>;
  let recovery: ReturnType<typeof createRecovery>;
  try {
    dependencies = createDependencies(o.dependencies, clock);
    const owned = dependencies;
    built.push(() => {
      for (const d of owned.values()) if (d.owned) d.breaker?.dispose();
    });
    const monitor = withinSection('connectivity', () =>
      createConnectivityMonitor({
        ...(o.connectivity === false ? { probe: false } : o.connectivity),
        clock,
        ...(win ? { window: win } : {}),
      }),
    );
    connectivity = monitor;
    built.push(() => monitor.dispose());
    // Parts the app passed in (`createOutbox`, `createPredictor`, or functions that call them),
    // made from this protection's clock and monitor: an app without them does not carry them.
    const queue = makePart('outbox', o.outbox, { connectivity: monitor, clock }, 'enqueue');
    outbox = queue;
    if (queue) built.push(() => queue.close());
    predictor = makePart('predictor', o.predictor, { clock }, 'record');
    const levels = withinSection('degradation', () => createDegradation({ clock, ...o.degradation }));
    degradation = levels;
    built.push(() => levels.dispose());
    const center = withinSection('messages', () => createMessageCenter({ clock, ...o.messages }));
    messages = center;
    built.push(() => center.dispose());
    recovery = createRecovery({ clock });
  } catch (error) {
    for (const dispose of built.reverse()) {
      try {
        void Promise.resolve(dispose()).catch(() => undefined);
      } catch {
        // Disposing what was built must not hide why building failed.
      }
    }
    throw error;
  }
  const probing =
    o.connectivity !== false && o.connectivity?.probe !== undefined && o.connectivity.probe !== false;

  const events = new Emitter<ProtectionEvent>();
  const emit = (make: () => ProtectionEvent) => {
    if (events.observed) events.next(make());
  };
  const subscriptions: Array<{ unsubscribe(): void }> = [];
  let disposed = false;

  const userMessages = createUserMessages({
    messages,
    clock,
    ...(outbox ? { outbox } : {}),
    requestReview: () => {
      emit(() => ({ type: 'review-requested' }));
    },
  });

  // --- status: one direction, sources → one recompute → one emission ----------------------
  //
  // A source that changes marks the status dirty (`invalidate`). The status is then computed
  // from one snapshot of every source and emitted once; a source that changes while it is
  // computed or emitted (a subscriber reacting at once) marks it dirty again, and the loop
  // computes and emits the next one after, in order. The degradation level is the one source
  // the computation itself moves (it proposes the level the snapshot calls for): its emission
  // then is part of this status, not news of its own.

  let situation: Situation | undefined;

  function computeStatus(): ProtectionStatus {
    const dependencyStatuses: Record<string, DependencyStatus> = {};
    const snapshot = connectivity.snapshot;
    const outboxStats = outbox?.stats;
    const now = clock.now();
    let pauseEnds = Infinity;
    const tracked = predictor?.keys();
    const depList = [...dependencies.values()].map((d) => {
      const risk = tracked?.includes(d.name) ? predictor?.risk(d.name) : undefined;
      if (d.breaker) {
        dependencyStatuses[d.name] = {
          breaker: d.breaker.snapshot,
          critical: d.critical,
          ...(risk ? { risk } : {}),
        };
      }
      return {
        name: d.name,
        critical: d.critical,
        ...(d.breaker
          ? { breaker: breakerAsTold(d.breaker, now, (at) => (pauseEnds = Math.min(pauseEnds, at))) }
          : {}),
        ...(risk ? { risk, riskScore: risk.score } : {}),
      };
    });
    // A risk above low fades with time, not only with new samples (the predictor evaluates it
    // when asked): with no traffic and no probe, nothing else would ask, and a warning would
    // outlive its evidence for good.
    const atRisk = depList.some((d) => d.risk && d.risk.level !== 'low');
    wakeAt(Math.min(pauseEnds, atRisk ? now + RISK_RECHECK_MS : Infinity));
    const proposal = proposeDegradation({
      connectivity: snapshot,
      dependencies: depList,
      storage: outboxStats?.storage,
    });
    proposing = true;
    try {
      degradation.propose(proposal.level, proposal.reasons);
    } finally {
      proposing = false;
    }
    const degradationState = degradation.state;
    const next = describeSituation({ connectivity: snapshot, proposal, degradation: degradationState });
    // The same situation keeps its identity, so readers that compare by reference stay still.
    if (next.kind !== situation?.kind || next.level !== situation.level) situation = next;
    return {
      health: healthScore({
        connectivity: snapshot,
        dependencies: depList,
        ...(outboxStats ? { outbox: outboxStats } : {}),
      }),
      degradation: degradationState,
      situation,
      connectivity: snapshot,
      dependencies: dependencyStatuses,
      ...(outboxStats ? { outbox: outboxStats } : {}),
      predictions: {
        active: predictor?.activePredictions() ?? [],
        accuracy: predictor?.accuracy() ?? EMPTY_PREDICTION_ACCURACY,
      },
      recovery: recovery.stats,
    };
  }

  /**
   * A breaker leaves 'open' only when a call arrives after its pause: with no call it would
   * stay 'open' for good, and the user would be told features are paused long after they
   * are not. Past its pause it is told as ready to try again, and the status is recomputed
   * when the earliest pause ends.
   */
  function breakerAsTold(
    breaker: CircuitBreaker,
    now: number,
    pausedUntil: (at: number) => void,
  ): BreakerState {
    const state = breaker.state;
    if (state !== 'open') return state;
    const { openUntil: until, openedAt } = breaker.snapshot;
    if (until === undefined) return state;
    // Past its pause, or opened "in the future" (the wall clock was set back since).
    if (until <= now || (openedAt !== undefined && openedAt > now)) return 'half-open';
    pausedUntil(until);
    return state;
  }

  let recheck: { handle: unknown; at: number } | undefined;
  /** Recomputes the status at `at` (a breaker's pause ends, a risk to look at again); an earlier wake-up stands. */
  function wakeAt(at: number): void {
    if (recheck && recheck.at <= at) return;
    if (recheck) clock.clearTimeout(recheck.handle);
    recheck = undefined;
    if (at === Infinity || disposed) return;
    const handle = setTimer(
      clock,
      () => {
        recheck = undefined;
        invalidate();
      },
      Math.max(0, at - clock.now()),
    );
    recheck = { handle, at };
  }

  /** Set while the computation makes the degradation propose: its emission then is this status's. */
  let proposing = false;
  /** Changes the sources reported, and how many of them the latest status was computed after. */
  let changes = 0;
  let computed = 0;
  /** A recompute loop is running (or the sources are being wired): it picks up every change. */
  let busy = true;

  const statuses = new ValueEmitter(computeStatus());
  userMessages.onStatus(statuses.value);

  /** A source changed: recompute and emit, unless a running loop will. */
  function invalidate(): void {
    changes++;
    if (busy || disposed) return;
    busy = true;
    try {
      // Bounded: subscribers that change a source on every status must not hang the page;
      // what they changed last stays counted, for the next change to pick up.
      for (let round = 0; computed !== changes && round < 10; round++) {
        computed = changes;
        const status = computeStatus();
        // A source that moved while it was read makes the next round read them all again
        // before anyone is told.
        if (computed !== changes) continue;
        statuses.next(status);
        // The user's messages follow the same value everyone reads.
        userMessages.onStatus(status);
      }
    } finally {
      busy = false;
    }
  }

  /** Follows a source until dispose; by default a change only marks the status dirty. */
  const watch = <T>(
    source: { subscribe(next: (value: T) => void): { unsubscribe(): void } },
    next: (value: T) => void = invalidate,
  ) => {
    subscriptions.push(source.subscribe(next));
  };

  watch(connectivity.state$, (snapshot) => {
    emit(() => ({ type: 'connectivity', snapshot }));
    invalidate();
  });
  for (const d of dependencies.values()) {
    watch(d.policy.events$, (event) => {
      // An attempt that failed on the path and will be retried is news for connectivity now,
      // not when the last attempt ends (a hang would otherwise take every timeout to show).
      if (event.type === 'retry') connectivity.report({ ok: false, latencyMs: 0, failure: event.failure });
      emit(() => ({ type: 'policy', dependency: d.name, event }));
    });
    if (d.breaker) watch(d.breaker.state$);
  }
  if (outbox) {
    const queue = outbox;
    watch(queue.stats$);
    watch(queue.events$, (event) => {
      emit(() => ({ type: 'outbox', event }));
      // A sign-in problem pauses the queue; a recovery action (say, a token refresh) may lift it.
      if (event.type === 'auth-required') {
        void recovery.recover(event.failure).then((ok) => {
          if (ok && !disposed) queue.resume();
        });
      }
    });
  }
  if (predictor) {
    const p = predictor;
    // Connectivity probes are samples for the predictor: with sparse traffic they are most of
    // the evidence there is. Without a key they count for every dependency it tracks.
    if (connectivity.probes$) watch(connectivity.probes$, (probe) => p.probe(probe));
    watch(p.risk$);
    watch(p.predictions$, (prediction) => {
      emit(() => ({ type: 'prediction', prediction }));
      invalidate();
    });
  }
  watch(degradation.state$, (state) => {
    emit(() => ({ type: 'degradation', state }));
    // Degradation steps down by itself over time; the status must follow.
    if (!proposing) invalidate();
  });
  watch(recovery.events$, (event) => {
    emit(() => ({ type: 'recovery', event }));
    invalidate();
  });
  // Wired. What the sources replayed on subscription is what the first status read.
  busy = false;
  computed = changes;

  // --- protect ----------------------------------------------------------------------------

  function dependencyFor(name: string | undefined): Dependency {
    const d = dependencies.get(name ?? 'default');
    if (!d) {
      throw new TypeError(
        DEV
          ? `protect: unknown dependency "${String(name)}"; known: ${[...dependencies.keys()].join(', ')}`
          : `protect: unknown dependency "${String(name)}"`,
      );
    }
    return d;
  }

  /**
   * Every outcome goes to connectivity and the predictor, which ask the failure meanings what
   * it says: connectivity counts only failures of the network path; the predictor takes a 4xx
   * as an answer (a sign of life) and ignores outcomes that say nothing about the dependency.
   */
  function observe(dependency: string, ok: boolean, latencyMs: number, failure?: Failure) {
    const outcome = failure ? { ok, latencyMs, failure } : { ok, latencyMs };
    connectivity.report(outcome);
    predictor?.record({ key: dependency, ...outcome });
  }

  async function enqueue<T>(
    offline: NonNullable<ProtectOptions<T>['offline']>,
    idempotencyKey: string,
  ): Promise<ProtectedResult<T>> {
    if (!outbox) throw new TypeError('protect: `offline` needs the outbox');
    // The call's key: a server that saw an attempt of this write dedupes its replay.
    const o = offline.channel ? { channel: offline.channel, idempotencyKey } : { idempotencyKey };
    try {
      // An 'http' write is a request to replay: the outbox stores its body as bytes.
      const entry =
        offline.type === 'http'
          ? await outbox.enqueueRequest(offline.payload as OutboxRequestInit, o)
          : await outbox.enqueue(offline.type, offline.payload, o);
      return { status: 'queued', entry };
    } catch (error) {
      return { status: 'failed', failure: classifyFailure(error) };
    }
  }

  async function protect<T>(
    name: string,
    fn: (ctx: ExecutionContext) => Promise<T>,
    options: ProtectOptions<T> = {},
  ): Promise<ProtectedResult<T>> {
    if (disposed) throw new Error('protect: this Protection was disposed');
    if (typeof fn !== 'function') throw new TypeError(`protect("${name}"): fn must be a function`);
    checkProtectOptions(name, options);
    const dependency = dependencyFor(options.dependency);
    const offline = options.offline;
    if (offline) {
      if (!outbox) {
        throw new TypeError(
          DEV
            ? `protect("${name}"): \`offline\` needs an outbox: createProtection({ outbox: createOutbox })`
            : `protect("${name}"): no outbox`,
        );
      }
      if (offline.type === 'http' && !isRequestLike(offline.payload)) {
        throw new TypeError(
          DEV
            ? `protect("${name}"): offline.payload of an 'http' write must be a Request or { url, method?, headers?, body? }`
            : `protect("${name}"): bad http payload`,
        );
      }
      if (typeof offline.type !== 'string' || !outbox.types.includes(offline.type)) {
        throw new TypeError(
          DEV
            ? `protect("${name}"): offline.type "${offline.type}" has no outbox handler; known: ${outbox.types.join(', ')}` +
                (offline.type === 'http'
                  ? ' (HTTP writes need an outbox made with { http: outboxHttp() })'
                  : '')
            : `protect("${name}"): no outbox handler for "${offline.type}"`,
        );
      }
    }
    // The dependency's own defaults for its calls (a preset's, say); the call's options win.
    const kind = options.kind ?? (offline ? 'write' : dependency.kind);
    const silent = options.silent ?? dependency.silent;
    // A key the caller chose (the option, or the header of its queued request) is one its
    // request carries: the write may be sent again, like one whose fn read `ctx.idempotencyKey`.
    const chosenKey = options.idempotencyKey ?? headerKey(offline);
    const idempotencyKey = chosenKey ?? newId();
    const started = clock.now();

    const finish = (result: ProtectedResult<T>): ProtectedResult<T> => {
      emit(() => ({
        type: 'call',
        name,
        dependency: dependency.name,
        kind,
        status: result.status,
        durationMs: clock.now() - started,
        ...('failure' in result ? { failure: result.failure } : {}),
      }));
      return result;
    };

    // Aborted before it started: nothing to run, and nothing to queue on its behalf.
    if (options.signal?.aborted) {
      const failure = classifyFailure(options.signal.reason, { signal: options.signal });
      if (failure.category === 'aborted') return finish({ status: 'cancelled', failure });
    }
    // Offline and the write can wait: queue it now rather than wait for a timeout.
    if (offline && connectivity.snapshot.status === 'offline')
      return finish(await enqueue<T>(offline, idempotencyKey));

    let failure: Failure;
    // Whether an attempt after the first sent the key: a 409 to it is the server still
    // processing an earlier attempt (the Idempotency-Key draft), not a refusal.
    let lastAttempt = 0;
    let keySent = chosenKey !== undefined;
    const run = (ctx: ExecutionContext): Promise<T> => {
      lastAttempt = ctx.attempt;
      return fn({
        signal: ctx.signal,
        attempt: ctx.attempt,
        get idempotencyKey() {
          keySent = true;
          return ctx.idempotencyKey;
        },
      });
    };
    const watchdog = probing
      ? setTimer(
          clock,
          () => {
            connectivity.probeSoon();
          },
          SLOW_CALL_PROBE_MS,
        )
      : undefined;
    try {
      const value = await dependency.policy.execute(run, {
        ...(options.signal ? { signal: options.signal } : {}),
        idempotencyKey,
        idempotent: options.idempotent ?? (kind === 'read' || chosenKey !== undefined),
      });
      observe(dependency.name, true, clock.now() - started);
      if (isLastGood(options.fallback)) options.fallback.remember(value);
      return finish({ status: 'ok', value });
    } catch (error) {
      const online = (win ?? globalThis).navigator?.onLine;
      failure = classifyFailure(error, {
        ...(online === false ? { online: false } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // Cancelled (the caller aborted, say an unmounting component): not a failure. Nothing
      // is recorded, recovered, queued, substituted or said. A deadline stays a timeout.
      if (failure.category === 'aborted') return finish({ status: 'cancelled', failure });
      if (isKeyInProgress(failure, lastAttempt > 1 && keySent)) failure = { ...failure, retryable: true };
      observe(dependency.name, false, clock.now() - started, failure);
    } finally {
      if (watchdog !== undefined) clock.clearTimeout(watchdog);
    }

    void recovery.recover(failure);
    if (offline && failure.retryable) return finish(await enqueue<T>(offline, idempotencyKey));
    const fb = options.fallback;
    if (isLastGood(fb)) {
      // No copy saved (or too old to serve): the call failed, as it would without a fallback.
      const saved = fb.recall();
      if (saved) {
        if (!silent) userMessages.savedCopy(saved.savedAt);
        return finish({ status: 'fallback', value: saved.value, failure, savedAt: saved.savedAt });
      }
    } else if (fb !== undefined) {
      try {
        const value = typeof fb === 'function' ? await (fb as (f: Failure) => T | Promise<T>)(failure) : fb;
        return finish({ status: 'fallback', value, failure });
      } catch (error) {
        failure = classifyFailure(error);
      }
    }
    if (!silent) userMessages.callFailed(kind, failure);
    return finish({ status: 'failed', failure });
  }

  function policy(name?: string): Policy {
    return dependencyFor(name).policy;
  }

  async function dispose(): Promise<void> {
    if (disposed) return;
    disposed = true;
    if (recheck) clock.clearTimeout(recheck.handle);
    for (const subscription of subscriptions) subscription.unsubscribe();
    userMessages.dispose();
    connectivity.dispose();
    degradation.dispose();
    messages.dispose();
    recovery.dispose();
    for (const d of dependencies.values()) if (d.owned) d.breaker?.dispose();
    await outbox?.close();
    statuses.complete();
    events.complete();
  }

  return {
    connectivity,
    ...(outbox ? { outbox } : {}),
    ...(predictor ? { predictor } : {}),
    degradation,
    messages,
    recovery,
    protect,
    policy,
    status: () => statuses.value,
    status$: statuses.observable,
    events$: events.observable,
    dispose,
  };
}
