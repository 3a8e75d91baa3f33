import { type Clock, setTimer } from '../clock.js';
import type { ConnectivityMonitor } from '../connectivity/index.js';
import type { OutboxWindow } from './types.js';

export type DrainTrigger = 'online' | 'visible' | 'interval' | 'connectivity';

export interface TriggerOptions {
  window: OutboxWindow | undefined;
  online: boolean;
  visible: boolean;
  intervalMs: number | false;
  connectivity: ConnectivityMonitor | undefined;
  clock: Clock;
}

/**
 * Starts a drain on the moments delivery is likely to work: the browser comes back online,
 * the tab becomes visible (browsers throttle timers of hidden tabs, so a returning user is
 * the first reliable moment), a regular interval, and the connectivity monitor reporting
 * `online` again. Returns the function that removes them all.
 */
export function installTriggers(o: TriggerOptions, onTrigger: (trigger: DrainTrigger) => void): () => void {
  const cleanups: Array<() => void> = [];
  const win = o.window;
  if (win && o.online) {
    const onOnline = () => onTrigger('online');
    win.addEventListener('online', onOnline);
    cleanups.push(() => win.removeEventListener('online', onOnline));
  }
  const doc = win?.document;
  if (doc?.addEventListener && o.visible) {
    const onVisibility = () => {
      if (doc.visibilityState === 'visible') onTrigger('visible');
    };
    doc.addEventListener('visibilitychange', onVisibility);
    cleanups.push(() => doc.removeEventListener?.('visibilitychange', onVisibility));
  }
  if (o.intervalMs !== false) {
    const every = o.intervalMs;
    let handle: unknown;
    // A chain of timeouts rather than setInterval: the clock interface has only timeouts,
    // and a tick that arrives late (throttled tab) does not queue up catch-up ticks.
    const tick = () => {
      handle = setTimer(o.clock, tick, every);
      onTrigger('interval');
    };
    handle = setTimer(o.clock, tick, every);
    cleanups.push(() => o.clock.clearTimeout(handle));
  }
  if (o.connectivity) {
    let previous = o.connectivity.snapshot.status;
    const subscription = o.connectivity.state$.subscribe((snapshot) => {
      const wasOnline = previous === 'online';
      previous = snapshot.status;
      if (snapshot.status === 'online' && !wasOnline) onTrigger('connectivity');
    });
    cleanups.push(() => subscription.unsubscribe());
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}
