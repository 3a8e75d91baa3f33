import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';
import type { Failure } from '../failure/types.js';

/**
 * `offline`: the device has no network. `unreachable`: it has one, but the app's backend
 * does not answer (lie-fi, captive portal, backend down). `unknown`: not established yet.
 */
export type Reachability = 'online' | 'offline' | 'unreachable' | 'unknown';

/**
 * How fast the backend answers: `slow` when the smoothed round-trip time is above `slowRttMs`.
 * `unknown` before any RTT is known, and while `offline` or `unreachable`.
 */
export type ConnectionQuality = 'good' | 'slow' | 'unknown';

/**
 * Why the backend is `unreachable`, from the latest failure: no route (`network`), no answer
 * in time (`timeout`), an error answer to the probe such as a 502 or 503 (`server`: the
 * server, or a proxy in front of it, is there but failing), or something else answered
 * (`portal`: a captive portal or a login page).
 */
export type UnreachableCause = 'network' | 'timeout' | 'server' | 'portal';

/** What the monitor knows about the connection at one moment; times are clock time in ms. */
export interface ConnectivitySnapshot {
  status: Reachability;
  quality: ConnectionQuality;
  /** When `status` last changed. */
  since: number;
  /** Set while `unreachable`: what the latest failure was. */
  cause?: UnreachableCause;
  /** Smoothed round-trip time (probes and successful calls), or the browser's estimate before any. */
  rttMs?: number;
  /** Network Information API, where the browser has it. */
  effectiveType?: string;
  saveData?: boolean;
  /** When the last probe finished. */
  lastCheckedAt?: number;
}

/** The same-origin request the monitor sends to confirm `online` and to detect `unreachable`; times in ms. */
export interface ProbeOptions {
  /** Same-origin URL that answers quickly, e.g. a 204 health endpoint. */
  url: string;
  /** Between probes while online; default 30 000. */
  intervalMs?: number;
  /** Between probes while not online; default 5 000. */
  offlineIntervalMs?: number;
  /** A probe unanswered after this long has failed; default 5 000. */
  timeoutMs?: number;
  /**
   * Judges a 2xx answer: false (or a throw) means something else answered — a captive
   * portal's login page, a proxy — and the backend is `unreachable` at once. Default: any 2xx.
   */
  expect?: (res: Response) => boolean | Promise<boolean>;
}

/** The Network Information API's fields this module reads (Chromium-based browsers have it). */
export interface NetworkInformationLike {
  effectiveType?: string;
  saveData?: boolean;
  rtt?: number;
  /** Subscribes to changes of the connection estimate. */
  addEventListener?(type: 'change', listener: () => void): void;
  /** Ends a subscription made with `addEventListener`. */
  removeEventListener?(type: 'change', listener: () => void): void;
}

/** The parts of `window` the monitor uses; tests pass a fake. */
export interface ConnectivityWindow {
  /** Subscribes to the browser's `online` and `offline` events. */
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  /** Ends a subscription made with `addEventListener`. */
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
  navigator?: { onLine?: boolean; connection?: NetworkInformationLike };
  document?: {
    visibilityState?: string;
    /** Subscribes to `visibilitychange`: probing pauses while the page is hidden. */
    addEventListener(type: 'visibilitychange', listener: () => void): void;
    /** Ends a subscription made with `addEventListener`. */
    removeEventListener(type: 'visibilitychange', listener: () => void): void;
  };
}

/** Options of `createConnectivityMonitor`: the probe, the thresholds and what to use instead of the browser's globals. */
export interface ConnectivityMonitorOptions {
  /** Same-origin probe that confirms `online` and detects `unreachable`; default `false` (none). */
  probe?: ProbeOptions | false;
  /** Smoothed RTT above this is `slow`; default 1 500. */
  slowRttMs?: number;
  /** Consecutive network/timeout failures (reported or probed) that make the backend `unreachable`; default 2. */
  failuresToUnreachable?: number;
  clock?: Clock;
  /** Default `globalThis` when it has `addEventListener` (a browser); without one the status starts `unknown`. */
  window?: ConnectivityWindow;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** One probe's outcome, as evidence about the backend (see `ConnectivityMonitor.probes$`). */
export interface ProbeResult {
  /** The backend answered as expected. */
  ok: boolean;
  /** Round trip of an answered probe; the timeout for one that timed out; 0 for a refused one. */
  latencyMs: number;
  at: number;
}

/** Tells whether the app can reach its backend and how fast, live (made by `createConnectivityMonitor`). */
export interface ConnectivityMonitor {
  readonly snapshot: ConnectivitySnapshot;
  readonly state$: Observable<ConnectivitySnapshot>;
  /**
   * Every probe that answered or failed (not one cut short on purpose, nor one a captive portal
   * answered: neither says anything about the backend). The predictor takes them as samples.
   */
  readonly probes$?: Observable<ProbeResult>;
  /** Probes now (joining a probe already under way) and resolves with the resulting snapshot. */
  check(): Promise<ConnectivitySnapshot>;
  /**
   * Passive signal from real calls: their outcomes count like probes. A timeout or network
   * failure while the backend is thought reachable also probes at once (see `probeSoon`).
   */
  report(o: { ok: boolean; latencyMs: number; failure?: Failure }): void;
  /**
   * Something looks wrong (a call has gone unanswered for long): probe now, hedged, unless
   * a probe is under way or ended less than a second ago (then when that second is up).
   * Does nothing without a probe, or when the status is already `offline` or `unreachable`.
   */
  probeSoon(): void;
  /** Stops probing, removes the event listeners and completes `state$` and `probes$`; calling it again does nothing. */
  dispose(): void;
}
