import type { ChaosSettings } from '../../server/chaos-settings.js';

/** Situations users meet, as chaos settings for the demo API. */
export interface ChaosPreset {
  name: string;
  /** What it does to the server, and what to watch for in the app. */
  description: string;
  settings: ChaosSettings;
}

export const CHAOS_PRESETS: readonly ChaosPreset[] = [
  {
    name: 'Train tunnel',
    description:
      'The device says it is online, but nothing gets through: requests hang or the connection drops. ' +
      'Watch the app notice within seconds, keep your notes on the device and sync them later.',
    settings: { hang: 0.3, drop: true },
  },
  {
    name: 'Flaky Wi-Fi',
    description:
      'One request in four is dropped and answers take anywhere up to 1.5 s. ' +
      'Retries hide most of it; the slow connection simplifies the app a little.',
    settings: { drop: 0.25, latency: { fixedMs: 200, jitterMs: 1_300 } },
  },
  {
    name: 'Server meltdown',
    description:
      'Every notes request fails with 503 and Retry-After (the health check still answers). ' +
      'Saves go to the outbox, the write breaker opens, and photo uploads pause. Rage-click a slow Save.',
    settings: { errorRate: 1, errorStatus: 503, retryAfterSeconds: 5, paths: ['/api/notes'] },
  },
  {
    name: 'Slow decline',
    description:
      'Answers get slower and slower for 30 s, then everything fails. ' +
      'Watch the app predict it and simplify itself before the first save fails.',
    settings: {
      ramp: { durationMs: 30_000, startLatencyMs: 50, peakLatencyMs: 4_000, then: 'error', status: 503 },
    },
  },
];
