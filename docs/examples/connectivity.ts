// The connectivity monitor on its own. Quoted in docs/connectivity.md.
import { createConnectivityMonitor } from '@bulletproof/core';
import type { Failure } from '@bulletproof/core';

declare const failure: Failure;

const connectivity = createConnectivityMonitor({
  probe: { url: '/api/health', expect: (res) => res.status === 204 },
});
connectivity.state$.subscribe((s) => {
  console.log(s.status, s.quality, s.rttMs);
});
connectivity.report({ ok: false, latencyMs: 5_000, failure }); // outcomes of real calls count too
