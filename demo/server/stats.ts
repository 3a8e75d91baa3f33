import type { ChaosDecision, ChaosStatus } from './chaos.js';

export interface FaultCounts {
  /** Requests slowed by latency (fixed, jitter or ramp). */
  delayed: number;
  error: number;
  hang: number;
  drop: number;
  reject: number;
  loseResponse: number;
}

/** What `GET /api/_stats` reports. Control endpoints (`/api/_*`) are not counted. */
export interface DemoApiStats {
  /** When counting started: server start or the last reset (epoch ms). */
  readonly since: number;
  readonly requests: number;
  /** Writes that changed the notes; replays and failures do not count. */
  readonly writesApplied: number;
  /** Duplicate writes answered from an idempotency record instead of being applied again. */
  readonly duplicatesSuppressed: number;
  /** Duplicates that arrived while the first request with their key was still in progress. */
  readonly duplicatesWaited: number;
  /** Requests by route, such as `PUT /api/notes/:id`. */
  readonly byRoute: Readonly<Record<string, number>>;
  readonly faults: Readonly<FaultCounts>;
  /** Requests that chaos is keeping unanswered right now. */
  readonly hanging: number;
  readonly notes: number;
  readonly idempotencyRecords: number;
  readonly chaos: ChaosStatus;
}

export class StatsCounter {
  since: number;
  requests = 0;
  writesApplied = 0;
  duplicatesSuppressed = 0;
  duplicatesWaited = 0;
  byRoute: Record<string, number> = {};
  faults: FaultCounts = emptyFaults();

  constructor(now: number) {
    this.since = now;
  }

  countRequest(route: string): void {
    this.requests += 1;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }

  countDecision(decision: ChaosDecision): void {
    if (decision.action !== 'hang' && decision.delayMs > 0) this.faults.delayed += 1;
    if (decision.action === 'lose-response') this.faults.loseResponse += 1;
    else if (decision.action !== 'pass') this.faults[decision.action] += 1;
  }

  reset(now: number): void {
    this.since = now;
    this.requests = 0;
    this.writesApplied = 0;
    this.duplicatesSuppressed = 0;
    this.duplicatesWaited = 0;
    this.byRoute = {};
    this.faults = emptyFaults();
  }
}

function emptyFaults(): FaultCounts {
  return { delayed: 0, error: 0, hang: 0, drop: 0, reject: 0, loseResponse: 0 };
}
