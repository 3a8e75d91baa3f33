import type { ChaosSettings } from '../../server/chaos-settings.js';
import type { DemoApiStats } from '../../server/stats.js';

/**
 * The demo API's operator endpoints (`/api/_chaos`, `/api/_stats`). They are tools for the
 * person running the demo, not part of the app, so they are called with plain `fetch`:
 * chaos never touches them, and the SDK does not watch them.
 */
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    cache: 'no-store',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(problem?.message ?? `${method} ${path} answered ${res.status}`);
  }
  return (await res.json()) as T;
}

export const chaosClient = {
  get: () => call<ChaosSettings>('GET', '/api/_chaos'),
  set: (settings: ChaosSettings) => call<ChaosSettings>('PUT', '/api/_chaos', settings),
  stats: () => call<DemoApiStats>('GET', '/api/_stats'),
};
