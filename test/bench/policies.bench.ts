import {
  bulkhead as cbBulkhead,
  circuitBreaker as cbCircuitBreaker,
  ConsecutiveBreaker,
  CountBreaker,
  ExponentialBackoff,
  handleAll,
  retry as cbRetry,
  timeout as cbTimeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import {
  bulkhead,
  circuitBreaker,
  consecutiveFailures,
  countWindow,
  exponentialBackoff,
  HttpError,
  pipeline,
  retry,
  timeout,
} from '../../packages/core/src/index.js';
import type { BenchGroup } from './harness.js';

// Per-call overhead of the core policies on a successful call, against cockatiel 3.2.1
// configured the same way (3 attempts, exponential backoff, 5 consecutive failures or a
// count window of 100 at 50 %, 30 s open, cooperative 1 s timeout, a bulkhead of 10 running
// and 10 queued). The operation is an async function that resolves at once, so what is
// measured is the policies themselves.

const ok = () => Promise.resolve(1);

const ours = {
  retry: retry({ maxAttempts: 3, backoff: exponentialBackoff() }),
  consecutive: circuitBreaker({ name: 'bench-consecutive', window: consecutiveFailures(5) }),
  count: circuitBreaker({ name: 'bench-count', window: countWindow({ size: 100, failureRate: 0.5 }) }),
  bulkhead: bulkhead({ limit: 10, queue: 10 }),
};
const oursPipeline = pipeline(
  retry({ maxAttempts: 3 }),
  circuitBreaker({ name: 'bench-pipeline', window: consecutiveFailures(5) }),
);
const oursPipelineTimeout = pipeline(
  retry({ maxAttempts: 3 }),
  circuitBreaker({ name: 'bench-pipeline-timeout', window: consecutiveFailures(5) }),
  timeout(1_000),
);

const theirs = {
  retry: cbRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  consecutive: cbCircuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
  count: cbCircuitBreaker(handleAll, {
    halfOpenAfter: 30_000,
    breaker: new CountBreaker({ threshold: 0.5, size: 100, minimumNumberOfCalls: 100 }),
  }),
  bulkhead: cbBulkhead(10, 10),
};
const theirPipeline = wrap(
  cbRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  cbCircuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
);
const theirPipelineTimeout = wrap(
  cbRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  cbCircuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
  cbTimeout(1_000, TimeoutStrategy.Cooperative),
);

// Failure path: one failed call (counted) and one successful call per iteration, so the
// failure rate stays at 50 % and a window with a 100 % threshold never opens. The cost must
// not depend on the window's size.
const failure = new HttpError(500);
const fail = () => Promise.reject(failure);
function failurePath(size: number) {
  const breaker = circuitBreaker({
    name: `bench-fail-${size}`,
    window: countWindow({ size, failureRate: 1 }),
  });
  return async () => {
    try {
      await breaker.execute(fail);
    } catch {
      // expected
    }
    await breaker.execute(ok);
    if (breaker.state !== 'closed')
      throw new Error('the failure-path breaker opened: the bench measures nothing');
  };
}

// A longer sampling time than the default steadies the medians on a busy machine.
const timeMs = 1_000;

const groups: BenchGroup[] = [
  {
    title: 'retry, success',
    baseline: 'cockatiel retry',
    cases: [
      { name: 'cockatiel retry', fn: () => theirs.retry.execute(ok) },
      { name: 'bulletproof retry', fn: () => ours.retry.execute(ok) },
    ],
    goals: [{ case: 'bulletproof retry', maxRatio: 1 }],
    timeMs,
  },
  {
    title: 'breaker (consecutive), success',
    baseline: 'cockatiel ConsecutiveBreaker',
    cases: [
      { name: 'cockatiel ConsecutiveBreaker', fn: () => theirs.consecutive.execute(ok) },
      { name: 'bulletproof consecutive', fn: () => ours.consecutive.execute(ok) },
    ],
    goals: [{ case: 'bulletproof consecutive', maxRatio: 1 }],
    timeMs,
  },
  {
    title: 'breaker (count window 100), success',
    baseline: 'cockatiel CountBreaker',
    cases: [
      { name: 'cockatiel CountBreaker', fn: () => theirs.count.execute(ok) },
      { name: 'bulletproof count', fn: () => ours.count.execute(ok) },
    ],
    goals: [{ case: 'bulletproof count', maxRatio: 1 }],
    timeMs,
  },
  {
    title: 'bulkhead (10 running, 10 queued), success',
    baseline: 'cockatiel bulkhead',
    cases: [
      { name: 'cockatiel bulkhead', fn: () => theirs.bulkhead.execute(ok) },
      { name: 'bulletproof bulkhead', fn: () => ours.bulkhead.execute(ok) },
      // The floor: the call alone, awaited, with no policy around it. No bulkhead can measure
      // below this, so it says how far under cockatiel's a ratio can go in this harness.
      { name: 'no policy (the call alone)', fn: () => ok() },
    ],
    goals: [{ case: 'bulletproof bulkhead', maxRatio: 0.7 }],
    timeMs,
  },
  {
    title: 'retry + breaker, success',
    baseline: 'cockatiel wrap(retry, breaker)',
    cases: [
      { name: 'cockatiel wrap(retry, breaker)', fn: () => theirPipeline.execute(ok) },
      { name: 'bulletproof pipeline(retry, breaker)', fn: () => oursPipeline.execute(ok) },
    ],
    goals: [{ case: 'bulletproof pipeline(retry, breaker)', maxRatio: 0.7 }],
    timeMs,
  },
  {
    title: 'retry + breaker + timeout, success',
    baseline: 'cockatiel wrap(retry, breaker, timeout)',
    cases: [
      { name: 'cockatiel wrap(retry, breaker, timeout)', fn: () => theirPipelineTimeout.execute(ok) },
      { name: 'bulletproof pipeline(retry, breaker, timeout)', fn: () => oursPipelineTimeout.execute(ok) },
    ],
    goals: [{ case: 'bulletproof pipeline(retry, breaker, timeout)', maxRatio: 1 }],
    timeMs,
  },
  {
    title: 'breaker failure path (count window)',
    baseline: 'window 100',
    cases: [
      { name: 'window 100', fn: failurePath(100) },
      { name: 'window 10 000', fn: failurePath(10_000) },
    ],
    goals: [{ case: 'window 10 000', maxRatio: 1.5 }],
    timeMs,
  },
];

export default groups;
