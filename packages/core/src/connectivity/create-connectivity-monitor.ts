import { fn, number, object, optional, unknown, type Schema } from '../check/schema.js';
import { systemClock, setTimer } from '../clock.js';
import { FAILURE_MEANINGS, type FailureMeaning } from '../failure/meaning.js';
import type { Failure } from '../failure/types.js';
import { Emitter, ValueEmitter } from '../observable.js';
import {
  clockSchema,
  hasMethods,
  methodsSchema,
  nonEmptyStringSchema,
  parseOptions,
  positiveMsSchema,
} from '../validate.js';
import { connectivityState } from './connectivity-state.js';
import { readNetworkInformation, watchNetworkInformation } from './network-information.js';
import { probeOnce, type ProbeOutcome } from './probe.js';
import type {
  ConnectivityMonitor,
  ConnectivityMonitorOptions,
  ConnectivitySnapshot,
  ConnectivityWindow,
  ProbeOptions,
  ProbeResult,
} from './types.js';
import { DEV } from '../dev.js';

/**
 * A probe still unanswered after this long gets a second one beside it. Two probes that
 * both time out reach the default `failuresToUnreachable` (2) half a second after one
 * timeout, instead of two timeouts back to back. A healthy probe answers well within it;
 * on a slow network (RTT over 0.5 s) the cost is one more tiny request per probe.
 */
export const HEDGE_AFTER_MS = 500;

/**
 * A reported timeout, network failure or 5xx (or `probeSoon()`) probes at once, unless a probe
 * ended less than this long ago: then it probes when this much time has passed. Many calls
 * failing together cost at most one probe a second, and the status still leaves `online`
 * within the probe's timeout plus this guard of the first such call.
 */
export const PROBE_GUARD_MS = 1_000;

const WINDOW_METHODS = ['addEventListener', 'removeEventListener'];

const probeSchema = () =>
  object<{ probe: ProbeOptions }>({
    probe: object<ProbeOptions>({
      url: nonEmptyStringSchema,
      intervalMs: optional(positiveMsSchema),
      offlineIntervalMs: optional(positiveMsSchema),
      timeoutMs: optional(positiveMsSchema),
      expect: optional(fn()),
    }),
  });

const optionsSchema = () =>
  object<ConnectivityMonitorOptions>({
    // Checked on its own below: inside a union, the message would only say "does not match" instead of naming the field.
    probe: optional(unknown as Schema<ProbeOptions | false>),
    slowRttMs: optional(positiveMsSchema),
    failuresToUnreachable: optional(number({ int: true, gte: 1 })),
    clock: optional(clockSchema),
    window: optional(
      methodsSchema<ConnectivityWindow>(
        WINDOW_METHODS,
        'a window-like object with addEventListener and removeEventListener',
      ),
    ),
    fetch: optional(fn()),
  });

/**
 * Watches whether the app can reach its backend: `navigator.onLine` and its events for the
 * device's own view (trusted at once when it says offline), a same-origin probe to confirm
 * `online` and to catch lie-fi and captive portals, and the outcomes of real calls
 * (`report`). Probing is faster while not online and pauses while the page is hidden.
 */
export function createConnectivityMonitor(options: ConnectivityMonitorOptions = {}): ConnectivityMonitor {
  if (DEV) parseOptions(optionsSchema(), options, 'createConnectivityMonitor()');
  const o = options;
  if (DEV && o.probe !== undefined && o.probe !== false)
    parseOptions(probeSchema(), { probe: o.probe }, 'createConnectivityMonitor()');
  const probeOptions = o.probe === false ? undefined : o.probe;
  const clock = o.clock ?? systemClock;
  const win = o.window ?? defaultWindow();
  const probe = probeOptions
    ? {
        url: probeOptions.url,
        intervalMs: probeOptions.intervalMs ?? 30_000,
        offlineIntervalMs: probeOptions.offlineIntervalMs ?? 5_000,
        timeoutMs: probeOptions.timeoutMs ?? 5_000,
        expect: probeOptions.expect,
      }
    : undefined;
  const fetchFn =
    o.fetch ?? (typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined);
  if (probe && !fetchFn) {
    throw new TypeError(
      'createConnectivityMonitor(): option "probe" needs fetch, and none was given or found',
    );
  }
  const failuresToUnreachable = o.failuresToUnreachable ?? 2;

  const state = connectivityState(
    { slowRttMs: o.slowRttMs ?? 1_500, failuresToUnreachable, hasProbe: probe !== undefined },
    browserOnline(),
    clock.now(),
  );
  state.networkInformation(readNetworkInformation(win?.navigator?.connection));
  const subject = new ValueEmitter<ConnectivitySnapshot>(state.snapshot);
  const probeResults = new Emitter<ProbeResult>();
  const disposal = new AbortController();
  let disposed = false;
  let timer: unknown;
  let timerDueAt = Number.POSITIVE_INFINITY;
  let inFlight: Promise<ConnectivitySnapshot> | undefined;
  let lastRoundEndedAt = Number.NEGATIVE_INFINITY;

  function browserOnline(): boolean | undefined {
    const flag = win?.navigator?.onLine;
    return typeof flag === 'boolean' ? flag : undefined;
  }

  function hidden(): boolean {
    return win?.document?.visibilityState === 'hidden';
  }

  function publish(changed: boolean): void {
    if (changed && !disposed) subject.next(state.snapshot);
  }

  function currentInterval(): number {
    if (!probe) return Number.POSITIVE_INFINITY;
    return state.status === 'online' ? probe.intervalMs : probe.offlineIntervalMs;
  }

  function schedule(delayMs?: number): void {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
      timerDueAt = Number.POSITIVE_INFINITY;
    }
    if (!probe || disposed || hidden()) return;
    // A failure short of the threshold is confirmed at once rather than a full interval later.
    const confirming =
      state.failures > 0 && state.failures < failuresToUnreachable && state.status !== 'offline';
    const delay = delayMs ?? (confirming ? 0 : currentInterval());
    timerDueAt = clock.now() + delay;
    timer = setTimer(
      clock,
      () => {
        timer = undefined;
        timerDueAt = Number.POSITIVE_INFINITY;
        void check();
      },
      delay,
    );
  }

  async function runRound(): Promise<void> {
    if (!probe || !fetchFn) return;
    const round = new AbortController();
    const endRound = () => round.abort();
    disposal.signal.addEventListener('abort', endRound, { once: true });
    const launched: Array<Promise<void>> = [];

    const apply = (outcome: ProbeOutcome) => {
      if (disposed) return;
      if (outcome.kind !== 'ok' && round.signal.aborted) return; // cut short on purpose, not a finding
      const now = clock.now();
      if (outcome.kind === 'ok') probeResults.next({ ok: true, latencyMs: outcome.rttMs, at: now });
      else if (outcome.kind === 'failed') {
        const latencyMs = outcome.reason === 'timeout' ? probe.timeoutMs : 0;
        probeResults.next({ ok: false, latencyMs, at: now });
      }
      if (outcome.kind === 'ok') {
        publish(state.success(now, outcome.rttMs, true));
        round.abort();
      } else if (outcome.kind === 'portal') {
        publish(state.portal(now));
        round.abort();
      } else {
        publish(state.failure(now, true, outcome.reason === 'http' ? 'server' : outcome.reason));
      }
    };
    const launch = () => {
      launched.push(
        probeOnce({
          url: probe.url,
          timeoutMs: probe.timeoutMs,
          expect: probe.expect,
          fetch: fetchFn,
          clock,
          signal: round.signal,
        }).then(apply),
      );
    };

    launch();
    let hedge: unknown;
    if (failuresToUnreachable - state.failures > 1 && state.status !== 'offline') {
      hedge = setTimer(
        clock,
        () => {
          hedge = undefined;
          if (!round.signal.aborted && !disposed) launch();
        },
        Math.min(HEDGE_AFTER_MS, probe.timeoutMs / 2),
      );
    }
    try {
      await launched[0];
      if (hedge !== undefined) {
        clock.clearTimeout(hedge);
        hedge = undefined;
      }
      await Promise.all(launched);
    } finally {
      disposal.signal.removeEventListener('abort', endRound);
    }
  }

  function check(): Promise<ConnectivitySnapshot> {
    if (disposed) return Promise.resolve(state.snapshot);
    if (!probe) {
      syncWithBrowser();
      return Promise.resolve(state.snapshot);
    }
    inFlight ??= (async () => {
      try {
        await runRound();
      } finally {
        inFlight = undefined;
        lastRoundEndedAt = clock.now();
        schedule();
      }
      return state.snapshot;
    })();
    return inFlight;
  }

  /** Catches up with `navigator.onLine` when events were missed (e.g. while the page was frozen). */
  function syncWithBrowser(): void {
    const online = browserOnline();
    const now = clock.now();
    if (online === false && state.status !== 'offline') publish(state.browserWentOffline(now));
    else if (online === true && state.status === 'offline') publish(state.browserWentOnline(now));
  }

  function onOffline(): void {
    publish(state.browserWentOffline(clock.now()));
    schedule();
  }

  function onOnline(): void {
    publish(state.browserWentOnline(clock.now()));
    if (probe && !hidden()) void check();
  }

  function onVisibilityChange(): void {
    if (hidden()) {
      schedule(); // clears the timer: no probing in the background
      return;
    }
    syncWithBrowser();
    if (!probe || inFlight) return;
    const last = state.snapshot.lastCheckedAt;
    const due = last === undefined ? 0 : Math.max(0, last + currentInterval() - clock.now());
    if (due === 0) void check();
    else schedule(due);
  }

  function onNetworkChange(): void {
    publish(state.networkInformation(readNetworkInformation(win?.navigator?.connection)));
  }

  function report(r: { ok: boolean; latencyMs: number; failure?: Failure }): void {
    // Checked at run time too: JavaScript callers get a clear error instead of a silent miscount.
    const okGiven: unknown = r.ok;
    const latencyGiven: unknown = r.latencyMs;
    if (typeof okGiven !== 'boolean') throw new TypeError('report(): "ok" must be a boolean');
    if (typeof latencyGiven !== 'number' || !(latencyGiven >= 0)) {
      throw new TypeError(`report(): "latencyMs" must be a number ≥ 0 (received ${String(latencyGiven)})`);
    }
    if (disposed) return;
    const now = clock.now();
    if (r.ok) {
      // A call's duration includes the server's work; with a probe to measure the network, it is left out of the RTT.
      publish(state.success(now, probe ? undefined : r.latencyMs, false));
      return;
    }
    const category = r.failure?.category;
    // Only a failure on the network path counts (see FAILURE_MEANINGS): a 5xx or a 4xx is an
    // answer. A failure of a category it does not know (a JavaScript caller's) is ignored too.
    const meaning: FailureMeaning | undefined = category && FAILURE_MEANINGS[category];
    if (category && !meaning?.pathFailure) {
      // A 5xx is not the path's fault, but the probe (a health check) tells whether the whole
      // service is down: looking now finds an outage, and later its end, without waiting an interval.
      if (meaning?.serverFailure) probeSoon();
      return;
    }
    const wasReachable = state.status === 'online' || state.status === 'unknown';
    publish(state.failure(now, false, category === 'timeout' ? 'timeout' : 'network'));
    // A real call just failed on the network: ask the probe now instead of at the next interval.
    if (wasReachable) probeSoon();
  }

  /**
   * Probes now (hedged, as every round) unless one is under way, or in what is left of
   * `PROBE_GUARD_MS` since the last one ended. Only while the backend is thought reachable:
   * otherwise the not-online interval is already probing.
   */
  function probeSoon(): void {
    if (!probe || disposed || inFlight || hidden()) return;
    if (state.status !== 'online' && state.status !== 'unknown') return;
    const wait = lastRoundEndedAt + PROBE_GUARD_MS - clock.now();
    if (wait <= 0) void check();
    else if (clock.now() + wait < timerDueAt) schedule(wait);
  }

  const unwatchNetwork = watchNetworkInformation(win?.navigator?.connection, onNetworkChange);
  win?.addEventListener('online', onOnline);
  win?.addEventListener('offline', onOffline);
  win?.document?.addEventListener('visibilitychange', onVisibilityChange);
  if (probe && !hidden()) void check();

  return {
    get snapshot() {
      return state.snapshot;
    },
    state$: subject.observable,
    probes$: probeResults.observable,
    check,
    report,
    probeSoon,
    dispose(): void {
      if (disposed) return;
      disposed = true;
      disposal.abort();
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      timerDueAt = Number.POSITIVE_INFINITY;
      unwatchNetwork();
      win?.removeEventListener('online', onOnline);
      win?.removeEventListener('offline', onOffline);
      win?.document?.removeEventListener('visibilitychange', onVisibilityChange);
      subject.complete();
      probeResults.complete();
    },
  };
}

function defaultWindow(): ConnectivityWindow | undefined {
  return hasMethods(globalThis, ...WINDOW_METHODS) ? globalThis : undefined;
}
