// A fallback chain, and the policy events of the pipeline `api` from policies.ts.
// Quoted in docs/policies.md.
import { fallback, pipeline, retry, timeout } from '@bulletproof/core';
import { api } from './policies.js';

interface User {
  name: string;
}
declare function readCachedProfile(): User;

export const profile = pipeline(
  fallback(() => readCachedProfile(), { name: 'Guest' }),
  retry(),
  timeout(3_000),
);
api.events$.subscribe((e) => {
  if (e.type === 'retry') console.log(`retry #${e.attempt} in ${e.delayMs} ms (${e.failure.category})`);
  if (e.type === 'breaker-state') console.log(`${e.breaker}: ${e.from} → ${e.to}`);
});
