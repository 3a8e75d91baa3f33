/**
 * Timings of the demo. The defaults suit a person watching: changes show within seconds
 * without flooding the local server. `?fast=1` shortens every one of them so the
 * end-to-end journeys (and the impatient) see probes, recoveries and breaker cool-downs
 * within a second or two.
 */
export interface DemoSettings {
  fast: boolean;
  /** Between health probes while online, and while offline or unreachable. */
  probeIntervalMs: number;
  probeOfflineIntervalMs: number;
  probeTimeoutMs: number;
  /** Smoothed round trip above which the connection counts as slow. */
  slowRttMs: number;
  /** Calm time per step back down the degradation levels. */
  recoverAfterMs: number;
  /** How long an open breaker refuses calls before it lets one through to test the water. */
  breakerOpenMs: number;
  /** One attempt of a call gives up after this long. */
  callTimeoutMs: number;
  /** First wait between attempts of a call (it grows exponentially). */
  retryInitialMs: number;
  /** First and longest wait between delivery attempts of a queued write. */
  outboxInitialBackoffMs: number;
  outboxMaxBackoffMs: number;
  /** Delivery attempts before a queued write is set aside for the user to retry (an outage of minutes, not seconds). */
  outboxMaxAttempts: number;
  /** The notes list is fetched again this often while the page is visible. */
  refreshMs: number;
  /** A recovery action runs at most once per this long. */
  recoveryCooldownMs: number;
}

const NORMAL: DemoSettings = {
  fast: false,
  probeIntervalMs: 5_000,
  probeOfflineIntervalMs: 2_000,
  probeTimeoutMs: 4_000,
  slowRttMs: 1_500,
  recoverAfterMs: 5_000,
  breakerOpenMs: 5_000,
  callTimeoutMs: 8_000,
  retryInitialMs: 300,
  outboxInitialBackoffMs: 1_000,
  outboxMaxBackoffMs: 30_000,
  outboxMaxAttempts: 60,
  refreshMs: 1_500,
  recoveryCooldownMs: 15_000,
};

const FAST: DemoSettings = {
  fast: true,
  probeIntervalMs: 300,
  probeOfflineIntervalMs: 300,
  probeTimeoutMs: 1_500,
  slowRttMs: 500,
  recoverAfterMs: 800,
  breakerOpenMs: 1_500,
  callTimeoutMs: 2_500,
  retryInitialMs: 100,
  outboxInitialBackoffMs: 200,
  outboxMaxBackoffMs: 1_000,
  outboxMaxAttempts: 60,
  refreshMs: 400,
  recoveryCooldownMs: 1_000,
};

/** Reads `?fast=1` (or `?fast`) from the page's query string. */
export function readDemoSettings(search: string): DemoSettings {
  const fast = new URLSearchParams(search).get('fast');
  return fast !== null && fast !== '0' && fast !== 'false' ? FAST : NORMAL;
}
