import type { ConnectionQuality, ConnectivitySnapshot, Reachability, UnreachableCause } from './types.js';

/** RFC 6298's smoothing weight for a new RTT sample. */
const RTT_ALPHA = 0.125;

/**
 * The connectivity state machine, free of timers and I/O so every rule is testable on its
 * own. Each input returns whether the published snapshot changed.
 *
 * - the browser saying offline makes the status `offline` at once;
 * - the browser saying online makes it `unknown` until a probe confirms (or `online` when
 *   there is no probe to ask);
 * - `failuresToUnreachable` consecutive network/timeout failures, or one captive-portal
 *   answer, make it `unreachable`; any success makes it `online` again;
 * - while the browser says offline, successful calls do not override it (a service worker
 *   may be answering from cache); only a probe, which asks the network, can.
 */
export interface ConnectivityState {
  readonly status: Reachability;
  /** Consecutive failures of the network path. */
  readonly failures: number;
  readonly snapshot: ConnectivitySnapshot;
  browserWentOffline(now: number): boolean;
  browserWentOnline(now: number): boolean;
  /** A successful probe (`fromProbe`) or call. */
  success(now: number, rttMs: number | undefined, fromProbe: boolean): boolean;
  /** A failure of a probe or call: network, timeout, or (probes only) an error answer. */
  failure(now: number, fromProbe: boolean, cause?: UnreachableCause): boolean;
  /** Something other than the backend answered the probe: no need to ask twice. */
  portal(now: number): boolean;
  networkInformation(info: { effectiveType?: string; saveData?: boolean; rtt?: number }): boolean;
}

export function connectivityState(
  options: { slowRttMs: number; failuresToUnreachable: number; hasProbe: boolean },
  browserOnline: boolean | undefined,
  now: number,
): ConnectivityState {
  const { failuresToUnreachable, hasProbe } = options;
  let status: Reachability =
    browserOnline === false ? 'offline' : browserOnline === true && !hasProbe ? 'online' : 'unknown';
  let since = now;
  let failures = 0;
  /** What the latest failure was, kept while `unreachable`. */
  let cause: UnreachableCause | undefined;
  let srtt: number | undefined;
  let browserRtt: number | undefined;
  let effectiveType: string | undefined;
  let saveData: boolean | undefined;
  let lastCheckedAt: number | undefined;

  const build = (): ConnectivitySnapshot => {
    const rtt = srtt ?? browserRtt;
    let quality: ConnectionQuality = 'unknown';
    // Speed means nothing while nothing gets through.
    if (rtt !== undefined && status !== 'offline' && status !== 'unreachable') {
      quality = rtt > options.slowRttMs ? 'slow' : 'good';
    }
    const snapshot: ConnectivitySnapshot = { status, quality, since };
    if (status === 'unreachable' && cause !== undefined) snapshot.cause = cause;
    if (rtt !== undefined) snapshot.rttMs = Math.round(rtt);
    if (effectiveType !== undefined) snapshot.effectiveType = effectiveType;
    if (saveData !== undefined) snapshot.saveData = saveData;
    if (lastCheckedAt !== undefined) snapshot.lastCheckedAt = lastCheckedAt;
    return snapshot;
  };
  let current = build();

  const publish = (): boolean => {
    const next = build();
    if (sameSnapshot(next, current)) return false;
    current = next;
    return true;
  };
  const moveTo = (next: Reachability, at: number): boolean => {
    if (next !== status) {
      status = next;
      since = at;
    }
    return publish();
  };

  return {
    get status() {
      return status;
    },
    get failures() {
      return failures;
    },
    get snapshot() {
      return current;
    },

    browserWentOffline(at) {
      browserOnline = false;
      failures = 0;
      return moveTo('offline', at);
    },

    browserWentOnline(at) {
      browserOnline = true;
      failures = 0;
      // Only leave a state the browser's own flag put us in: `unreachable` stays until a probe or call says otherwise.
      if (status !== 'offline' && status !== 'unknown') return publish();
      return moveTo(hasProbe ? 'unknown' : 'online', at);
    },

    success(at, rttMs, fromProbe) {
      if (rttMs !== undefined && rttMs >= 0) {
        srtt = srtt === undefined ? rttMs : srtt + RTT_ALPHA * (rttMs - srtt);
      }
      if (fromProbe) lastCheckedAt = at;
      if (browserOnline === false && !fromProbe) return publish();
      failures = 0;
      return moveTo('online', at);
    },

    failure(at, fromProbe, why = 'network') {
      if (fromProbe) lastCheckedAt = at;
      if (status === 'offline') return publish();
      failures += 1;
      cause = why;
      if (failures >= failuresToUnreachable) return moveTo('unreachable', at);
      return publish();
    },

    portal(at) {
      lastCheckedAt = at;
      if (status === 'offline' && browserOnline === false) return publish();
      failures = Math.max(failures, failuresToUnreachable);
      cause = 'portal';
      return moveTo('unreachable', at);
    },

    networkInformation(info) {
      effectiveType = info.effectiveType;
      saveData = info.saveData;
      // Browsers report 0 when they have no estimate (and while offline).
      browserRtt = info.rtt !== undefined && info.rtt > 0 ? info.rtt : undefined;
      return publish();
    },
  };
}

function sameSnapshot(a: ConnectivitySnapshot, b: ConnectivitySnapshot): boolean {
  return (
    a.status === b.status &&
    a.quality === b.quality &&
    a.since === b.since &&
    a.cause === b.cause &&
    a.rttMs === b.rttMs &&
    a.effectiveType === b.effectiveType &&
    a.saveData === b.saveData &&
    a.lastCheckedAt === b.lastCheckedAt
  );
}
