export type {
  Backoff,
  BreakerSnapshot,
  BreakerState,
  ExecuteOptions,
  ExecutionContext,
  Operation,
  Policy,
  PolicyEvent,
  RetryBudget,
} from './types.js';
export { parseOptions } from '../validate.js';
export { constantBackoff, exponentialBackoff, linearBackoff } from './backoff.js';
export type { ExponentialBackoffOptions, Jitter, LinearBackoffOptions } from './backoff.js';
export { retry } from './retry.js';
export type { RetryOptions } from './retry.js';
export { retryBudget } from './retry-budget.js';
export type { RetryBudgetOptions } from './retry-budget.js';
export { timeout } from './timeout.js';
export type { TimeoutOptions } from './timeout.js';
export { fallback } from './fallback.js';
export type { Alternative } from './fallback.js';
export { pipeline } from './pipeline.js';
export { circuitBreaker } from './breaker/circuit-breaker.js';
export type { BreakerOptions, CircuitBreaker } from './breaker/options.js';
export type { BreakerRecord, BreakerSavedState } from './breaker/record.js';
export { shareAcrossTabs } from './breaker/tab-share.js';
export type {
  BreakerSharing,
  BroadcastChannelConstructor,
  BroadcastChannelLike,
  ShareAcrossTabsOptions,
} from './breaker/tab-share.js';
export { persistInLocalStorage } from './breaker/persist.js';
export type { BreakerPersistence, PersistInLocalStorageOptions, StorageLike } from './breaker/persist.js';
export { consecutiveFailures, countWindow, timeWindow } from './breaker/windows.js';
export type {
  BreakerWindow,
  BreakerWindowRecord,
  CountWindowOptions,
  TimeWindowOptions,
} from './breaker/windows.js';
export { bulkhead } from './bulkhead.js';
export type { Bulkhead, BulkheadOptions } from './bulkhead.js';
