// Policies on their own: a retry budget, a breaker shared by tabs and kept across reloads,
// and a pipeline. Quoted in docs/policies.md.
import {
  circuitBreaker,
  countWindow,
  exponentialBackoff,
  fetchOk,
  persistInLocalStorage,
  pipeline,
  retry,
  retryBudget,
  shareAcrossTabs,
  timeout,
} from '@bulletproof/core';

interface User {
  name: string;
}
const controller = new AbortController();

const budget = retryBudget(); // share one per dependency: retries ≤ 20 % of traffic + 10/s
const breaker = circuitBreaker({
  name: 'api',
  window: countWindow({ size: 50, failureRate: 0.5, minimumCalls: 10 }),
  slowCall: { thresholdMs: 3_000, rate: 0.8 },
  openForMs: exponentialBackoff({ initialMs: 5_000, maxMs: 120_000, jitter: 'none' }),
  share: shareAcrossTabs(), // every same-origin tab sees the same state (BroadcastChannel)
  persist: persistInLocalStorage(), // an open breaker stays open across a reload
});
export const api = pipeline(retry({ maxAttempts: 4, maxElapsedMs: 15_000, budget }), breaker, timeout(5_000));

export const user = await api.execute(
  async ({ signal }) => (await fetchOk('/api/user', { signal })).json() as Promise<User>,
  {
    signal: controller.signal, // aborting ends any retry wait at once
  },
);
