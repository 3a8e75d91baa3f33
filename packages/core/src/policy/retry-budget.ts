import { number, object, optional } from '../check/schema.js';
import { systemClock, type Clock } from '../clock.js';
import { timeBuckets } from './time-buckets.js';
import type { RetryBudget } from './types.js';
import { clockSchema, parseOptions } from '../validate.js';
import { DEV } from '../dev.js';

/** Options of `retryBudget`: how many retries a window of recent traffic allows. */
export interface RetryBudgetOptions {
  /** Retries allowed per request seen in the window. Default 0.2. */
  ratio?: number;
  /** Retries always allowed, per second of window, even with no traffic. Default 10. */
  minPerSecond?: number;
  /** How far back requests and retries count. Default 10 000. */
  windowMs?: number;
  clock?: Clock;
}

const atLeast0 = () => optional(number({ gte: 0 }));

const schema = () =>
  optional(
    object<RetryBudgetOptions>({
      ratio: atLeast0(),
      minPerSecond: atLeast0(),
      windowMs: optional(number({ gte: 1 })),
      clock: optional(clockSchema),
    }),
  );

const REQUESTS = 0;
const RETRIES = 1;
/** Absorbs floating-point error so that e.g. 0.2 × 15 requests allows exactly 3 retries. */
const EPSILON = 1e-9;

/**
 * A token-bucket retry budget (as in Finagle): each request deposits `ratio` of a token,
 * each retry withdraws one, and a reserve of `minPerSecond × windowMs / 1000` keeps
 * low-traffic clients able to retry. Deposits and withdrawals expire after `windowMs`, so
 * within any window: retries ≤ ratio × requests + minPerSecond × windowMs / 1000.
 * Share one budget between the retry policies that call the same dependency.
 */
export function retryBudget(o?: RetryBudgetOptions): RetryBudget {
  if (DEV) parseOptions(schema(), o, 'retryBudget()');
  const { ratio = 0.2, minPerSecond = 10, windowMs = 10_000, clock = systemClock } = o ?? {};
  const reserve = (minPerSecond * windowMs) / 1000;
  const window = timeBuckets(windowMs, 10, 2);
  const allowance = () => ratio * window.total(REQUESTS) + reserve - window.total(RETRIES);
  return {
    recordRequest() {
      window.add(REQUESTS, window.advance(clock.now()));
    },
    tryRetry() {
      const index = window.advance(clock.now());
      if (allowance() < 1 - EPSILON) return false;
      window.add(RETRIES, index);
      return true;
    },
    get available() {
      window.advance(clock.now());
      return Math.max(0, Math.floor(allowance() + EPSILON));
    },
  };
}
