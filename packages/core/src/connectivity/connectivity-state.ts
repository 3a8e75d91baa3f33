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
export class ConnectivityState {
  status: Reachability;
  since: number;
  failures = 0;
  /** What the latest failure was, kept while `unreachable`. */
  private cause: UnreachableCause | undefined;
  private srtt: number | undefined;
  private browserRtt: number | undefined;
  private effectiveType: string | undefined;
  private saveData: boolean | undefined;
  private lastCheckedAt: number | undefined;
  private browserOnline: boolean | undefined;
  private current: ConnectivitySnapshot;

  constructor(
    private readonly options: { slowRttMs: number; failuresToUnreachable: number; hasProbe: boolean },
    browserOnline: boolean | undefined,
    now: number,
  ) {
    this.browserOnline = browserOnline;
    this.status =
      browserOnline === false
        ? 'offline'
        : browserOnline === true && !options.hasProbe
          ? 'online'
          : 'unknown';
    this.since = now;
    this.current = this.build();
  }

  get snapshot(): ConnectivitySnapshot {
    return this.current;
  }

  browserWentOffline(now: number): boolean {
    this.browserOnline = false;
    this.failures = 0;
    return this.moveTo('offline', now);
  }

  browserWentOnline(now: number): boolean {
    this.browserOnline = true;
    this.failures = 0;
    // Only leave a state the browser's own flag put us in: `unreachable` stays until a probe or call says otherwise.
    if (this.status !== 'offline' && this.status !== 'unknown') return this.publish();
    return this.moveTo(this.options.hasProbe ? 'unknown' : 'online', now);
  }

  /** A successful probe (`fromProbe`) or call. */
  success(now: number, rttMs: number | undefined, fromProbe: boolean): boolean {
    if (rttMs !== undefined && rttMs >= 0) {
      this.srtt = this.srtt === undefined ? rttMs : this.srtt + RTT_ALPHA * (rttMs - this.srtt);
    }
    if (fromProbe) this.lastCheckedAt = now;
    if (this.browserOnline === false && !fromProbe) return this.publish();
    this.failures = 0;
    return this.moveTo('online', now);
  }

  /** A failure of a probe or call: network, timeout, or (probes only) an error answer. */
  failure(now: number, fromProbe: boolean, cause: UnreachableCause = 'network'): boolean {
    if (fromProbe) this.lastCheckedAt = now;
    if (this.status === 'offline') return this.publish();
    this.failures += 1;
    this.cause = cause;
    if (this.failures >= this.options.failuresToUnreachable) return this.moveTo('unreachable', now);
    return this.publish();
  }

  /** Something other than the backend answered the probe: no need to ask twice. */
  portal(now: number): boolean {
    this.lastCheckedAt = now;
    if (this.status === 'offline' && this.browserOnline === false) return this.publish();
    this.failures = Math.max(this.failures, this.options.failuresToUnreachable);
    this.cause = 'portal';
    return this.moveTo('unreachable', now);
  }

  networkInformation(info: { effectiveType?: string; saveData?: boolean; rtt?: number }): boolean {
    this.effectiveType = info.effectiveType;
    this.saveData = info.saveData;
    // Browsers report 0 when they have no estimate (and while offline).
    this.browserRtt = info.rtt !== undefined && info.rtt > 0 ? info.rtt : undefined;
    return this.publish();
  }

  private moveTo(status: Reachability, now: number): boolean {
    if (status !== this.status) {
      this.status = status;
      this.since = now;
    }
    return this.publish();
  }

  private publish(): boolean {
    const next = this.build();
    if (sameSnapshot(next, this.current)) return false;
    this.current = next;
    return true;
  }

  private build(): ConnectivitySnapshot {
    const rtt = this.srtt ?? this.browserRtt;
    let quality: ConnectionQuality = 'unknown';
    // Speed means nothing while nothing gets through.
    if (rtt !== undefined && this.status !== 'offline' && this.status !== 'unreachable') {
      quality = rtt > this.options.slowRttMs ? 'slow' : 'good';
    }
    const snapshot: ConnectivitySnapshot = { status: this.status, quality, since: this.since };
    if (this.status === 'unreachable' && this.cause !== undefined) snapshot.cause = this.cause;
    if (rtt !== undefined) snapshot.rttMs = Math.round(rtt);
    if (this.effectiveType !== undefined) snapshot.effectiveType = this.effectiveType;
    if (this.saveData !== undefined) snapshot.saveData = this.saveData;
    if (this.lastCheckedAt !== undefined) snapshot.lastCheckedAt = this.lastCheckedAt;
    return snapshot;
  }
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
