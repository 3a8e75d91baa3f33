// Presets without the façade: a preset's policy composes like any other, and telemetry goes
// out through sendTelemetry, which never throws. Quoted in docs/presets.md.
import {
  circuitBreaker,
  countWindow,
  fetchOk,
  pipeline,
  presets,
  sendTelemetry,
  timeout,
} from '@bulletproof/core';

// One backend, one breaker: when reads fail, writes to the same server pause too.
const api = circuitBreaker({ name: 'api', window: countWindow({ size: 20, failureRate: 0.5 }) });
export const reads = presets.read({ breaker: api }).policy;
export const writes = presets.write({ breaker: api }).policy;

// A deadline for the whole call, every attempt and wait included.
export const search = pipeline(timeout(12_000), presets.read({ timeoutMs: 4_000 }).policy);
export const results = await search.execute(
  async ({ signal }) => (await fetchOk('/api/search?q=x', { signal })).json() as Promise<string[]>,
);

// Telemetry: a beacon when the browser has one (it outlives the page), else a keepalive POST.
// While the collector keeps failing, the breaker stops sending for a minute.
const telemetry = presets.telemetry().policy;
export function track(event: string, data: Record<string, unknown> = {}) {
  void sendTelemetry('/collect', { event, ...data, at: Date.now() }, { policy: telemetry });
}
addEventListener('pagehide', () => {
  track('page-hidden');
});
