import {
  circuitBreaker,
  createOutbox,
  createPredictor,
  outboxHttp,
  type CircuitBreaker,
  consecutiveFailures,
  countWindow,
  createProtection,
  exponentialBackoff,
  type Failure,
  pipeline,
  type Policy,
  type Protection,
  retry,
  timeout,
} from '@bulletproof/core';
import type { Workbox } from 'workbox-window';
import type { DemoSettings } from './demo-settings.js';
import { DEPENDENCIES, FEATURES } from './dependencies.js';
import { OUTBOX_NAME } from './outbox-name.js';

/**
 * Foreground retries are for blips. While the device is offline there is nothing to wait
 * for: reads fall back to the copy on this device and writes go to the outbox at once.
 */
const worthRetrying = (f: Failure) => f.retryable && f.category !== 'offline';

function callPolicy(s: DemoSettings, breaker: CircuitBreaker, attempts: number): Policy {
  return pipeline(
    breaker,
    retry({
      maxAttempts: attempts,
      backoff: exponentialBackoff({ initialMs: s.retryInitialMs, maxMs: s.retryInitialMs * 8 }),
      retryIf: worthRetrying,
      // A server asking for minutes is answered by the outbox, not by a spinner.
      maxRetryAfterMs: s.retryInitialMs * 8,
    }),
    timeout(s.callTimeoutMs),
  );
}

/** Everything the SDK does for Field Notes, configured in one place. */
export function createFieldNotesProtection(s: DemoSettings, workbox: Workbox | undefined): Protection {
  const readBreaker = circuitBreaker({
    name: DEPENDENCIES.read,
    window: countWindow({ size: 10, failureRate: 0.5, minimumCalls: 4 }),
    openForMs: s.breakerOpenMs,
  });
  // Two saves in a row that fail even after a retry: stop trying for a while and queue at once.
  const writeBreaker = circuitBreaker({
    name: DEPENDENCIES.write,
    window: consecutiveFailures(2),
    openForMs: s.breakerOpenMs,
  });

  return createProtection({
    dependencies: {
      [DEPENDENCIES.read]: { policy: callPolicy(s, readBreaker, 3) },
      [DEPENDENCIES.write]: { critical: true, policy: callPolicy(s, writeBreaker, 2) },
    },
    connectivity: {
      probe: {
        url: '/api/health',
        intervalMs: s.probeIntervalMs,
        offlineIntervalMs: s.probeOfflineIntervalMs,
        timeoutMs: s.probeTimeoutMs,
      },
      slowRttMs: s.slowRttMs,
    },
    outbox: (parts) =>
      createOutbox({
        ...parts,
        name: OUTBOX_NAME,
        // Saves are queued as HTTP requests (`offline: { type: 'http' }`).
        http: outboxHttp(),
        // Deliveries are writes too: they go through the same breaker as saves. While it is
        // open the queue waits instead of hammering a failing server, and the first delivery
        // that gets through after the cool-down closes it again (the app recovers without
        // waiting for the user's next save).
        policy: pipeline(writeBreaker, timeout(s.callTimeoutMs, { mode: 'aggressive' })),
        backoff: exponentialBackoff({ initialMs: s.outboxInitialBackoffMs, maxMs: s.outboxMaxBackoffMs }),
        maxAttempts: s.outboxMaxAttempts,
        autoDrain: { intervalMs: s.outboxMaxBackoffMs * 2 },
        backgroundSync: workbox ?? false,
      }),
    // The dashboard's predictions and risks.
    predictor: createPredictor,
    degradation: {
      features: { [FEATURES.liveSearch]: 'minimal', [FEATURES.attachments]: 'moderate' },
      recoverAfterMs: s.recoverAfterMs,
    },
  });
}
