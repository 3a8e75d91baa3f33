import type { ConnectivitySnapshot } from '@bulletproof/core';
import { useProtection } from '../context/BulletproofProvider.js';
import { useObserved } from './use-observed.js';

/** What the server renders and hydration starts from: nobody knows the browser's network yet. */
const SERVER_SNAPSHOT: ConnectivitySnapshot = { status: 'unknown', quality: 'unknown', since: 0 };
const server = () => SERVER_SNAPSHOT;

/**
 * Whether the device is online, offline, or online without reaching the app's
 * server, and how fast. `unknown` on the server and while hydrating.
 */
export function useConnectivity(): ConnectivitySnapshot {
  const { connectivity } = useProtection();
  return useObserved(connectivity.state$, () => connectivity.snapshot, undefined, server);
}
