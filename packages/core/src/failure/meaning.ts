import type { Failure, FailureCategory, Impact } from './types.js';

/**
 * What one call's outcome says about the dependency it went to:
 * - `failing`: the dependency or the path to it is in trouble (breakers count it,
 *   prediction and health see it);
 * - `alive`: the server answered, if with a refusal (a 4xx): a sign of life, never a failure
 *   of the dependency;
 * - `none`: nothing about the dependency (the caller gave up, a breaker refused without
 *   calling, local storage failed, the device is offline).
 */
export type FailureSignal = 'failing' | 'alive' | 'none';

/** What one failure category means to every module that acts on it. */
export interface FailureMeaning {
  /** Worth another attempt by itself, once the cause may have passed. */
  readonly retryable: boolean;
  /** How much it matters to the user. */
  readonly impact: Impact;
  /** What the outcome says about the dependency (see `FailureSignal`). */
  readonly signal: FailureSignal;
  /** Says the network path to the backend is broken: connectivity counts it. */
  readonly pathFailure: boolean;
  /**
   * The server answered with a failure of its own (a 5xx): connectivity does not count it, but
   * looks at the service's health now rather than at its next interval, so an outage is seen,
   * and its end noticed, within seconds.
   */
  readonly serverFailure: boolean;
}

const meaning = (
  retryable: boolean,
  impact: Impact,
  signal: FailureSignal,
  pathFailure = false,
  serverFailure = false,
): FailureMeaning => ({ retryable, impact, signal, pathFailure, serverFailure });

/**
 * The one place that says what each failure category means; every module that acts on a
 * category (retry, breakers, connectivity, prediction, health, messages) asks here.
 */
export const FAILURE_MEANINGS: Readonly<Record<FailureCategory, FailureMeaning>> = {
  // The device says it is offline: the path is down, the server is not to blame.
  offline: meaning(true, 'high', 'none', true),
  network: meaning(true, 'high', 'failing', true),
  timeout: meaning(true, 'medium', 'failing', true),
  server: meaning(true, 'high', 'failing', false, true),
  'rate-limited': meaning(true, 'medium', 'failing'),
  auth: meaning(false, 'high', 'alive'),
  client: meaning(false, 'medium', 'alive'),
  // Refused by a breaker before any request: it already counted the failures behind it.
  'circuit-open': meaning(true, 'medium', 'none'),
  // Refused by a bulkhead before any request: nothing was sent, and a slot frees soon.
  'bulkhead-full': meaning(true, 'low', 'none'),
  aborted: meaning(false, 'negligible', 'none'),
  // Storage failures put the user's unsent writes at risk.
  storage: meaning(false, 'critical', 'none'),
  unknown: meaning(false, 'medium', 'failing'),
};

/** What a failure's category means (see `FAILURE_MEANINGS`). */
export function meaningOf(failure: Pick<Failure, 'category'>): FailureMeaning {
  return FAILURE_MEANINGS[failure.category];
}
