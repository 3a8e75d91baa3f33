import { useEffect, useState } from 'react';
import type { DemoApiStats } from '../../server/stats.js';
import { chaosClient } from './chaos-client.js';

/**
 * The server's own counters, polled: they prove what the app claims (each write applied
 * once, duplicates suppressed). `undefined` while the server cannot be asked (offline).
 */
export function useServerStats(everyMs: number): DemoApiStats | undefined {
  const [stats, setStats] = useState<DemoApiStats | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let busy = false;
    const poll = () => {
      if (busy || document.visibilityState !== 'visible') return;
      busy = true;
      chaosClient
        .stats()
        .then(
          (next) => live && setStats(next),
          () => live && setStats(undefined),
        )
        .finally(() => {
          busy = false;
        });
    };
    poll();
    const timer = setInterval(poll, everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [everyMs]);
  return stats;
}
