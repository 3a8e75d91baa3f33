// A breaker whose half-open probe holds other calls back instead of refusing them, and a
// timeout that cancels what an operation left running. Quoted in docs/policies.md.
import { circuitBreaker, pipeline, timeout } from '@bulletproof/core';

declare function fastestMirror(signal: AbortSignal): Promise<string>;

export const search = pipeline(
  // While a probe tests the recovering server, other searches wait for its outcome (a few
  // hundred ms) rather than fail at once; the timeout below bounds that wait.
  circuitBreaker({ name: 'search', halfOpen: { waitForProbe: true } }),
  // The operation races several mirrors: once it returns, the losers' requests are aborted.
  timeout(5_000, { abortOnReturn: true }),
);

export const hits = await search.execute(({ signal }) => fastestMirror(signal));
