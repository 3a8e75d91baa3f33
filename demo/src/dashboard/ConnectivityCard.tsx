import type { ConnectivitySnapshot } from '@bulletproof/core';
import { useSyncExternalStore } from 'react';
import { useDemo } from '../app/demo-context.js';
import type { ServiceWorkerState } from '../app/service-worker.js';
import { seconds } from './format.js';
import { useNow } from './useNow.js';

const SHELL: Record<ServiceWorkerState, string> = {
  unsupported: 'not available in this browser',
  installing: 'installing…',
  // The dev server's worker has no list of the app's files to cache (they are built on request),
  // so a reload with no network needs the built app: `npm run demo`.
  ready: import.meta.env.DEV
    ? 'ready for Background Sync (under the dev server the app does not open offline)'
    : 'ready — the app opens offline',
  failed: 'could not be installed',
};

/** What the connectivity monitor sees, and whether the app would open with no network. */
export function ConnectivityCard({ connectivity }: { connectivity: ConnectivitySnapshot }) {
  const { serviceWorker } = useDemo();
  const sw = useSyncExternalStore(serviceWorker.subscribe, serviceWorker.state);
  const now = useNow(1_000);
  return (
    <div className="card">
      <h3>Connection</h3>
      <dl>
        <dt>Status</dt>
        <dd data-testid="connectivity-status">
          {connectivity.status}
          {connectivity.quality === 'slow' ? ' (slow)' : ''}
        </dd>
        <dt>Round trip</dt>
        <dd>{connectivity.rttMs === undefined ? '—' : `${connectivity.rttMs} ms`}</dd>
        <dt>Last check</dt>
        <dd>
          {connectivity.lastCheckedAt === undefined
            ? '—'
            : `${seconds(now - connectivity.lastCheckedAt)} ago`}
        </dd>
        <dt>Offline app</dt>
        <dd data-testid="sw-status" data-state={sw}>
          {SHELL[sw]}
        </dd>
      </dl>
    </div>
  );
}
