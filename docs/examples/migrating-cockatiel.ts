// From cockatiel to Bulletproof: the same retry + breaker + timeout stack, before and after.
// Quoted in docs/migrating.md.
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker as cockatielBreaker,
  handleAll,
  retry as cockatielRetry,
  timeout as cockatielTimeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import {
  circuitBreaker,
  consecutiveFailures,
  exponentialBackoff,
  fetchOk,
  pipeline,
  retry,
  timeout,
} from '@bulletproof/core';

// Before: cockatiel. Every error counts, a 500 answer is a success unless you throw on it.
export const before = wrap(
  cockatielRetry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
  cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  cockatielTimeout(5_000, TimeoutStrategy.Cooperative),
);
await before.execute(({ signal }) => fetch('/api/user', { signal }));

// After: Bulletproof. Only retryable failures are retried (not a 4xx, not an abort), the
// breaker counts network, timeout, server and rate-limited failures, and `fetchOk` turns a
// non-2xx answer into an HttpError so it is classified.
export const after = pipeline(
  retry({ maxAttempts: 4, backoff: exponentialBackoff() }), // maxAttempts counts the first call
  circuitBreaker({ name: 'api', window: consecutiveFailures(5), openForMs: 10_000 }),
  timeout(5_000), // cooperative by default
);
await after.execute(({ signal }) => fetchOk('/api/user', { signal }));
