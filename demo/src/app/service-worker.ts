import { Workbox } from 'workbox-window';

export type ServiceWorkerState = 'unsupported' | 'installing' | 'ready' | 'failed';

export interface ServiceWorkerHandle {
  /** Hand this to the outbox (`backgroundSync`) so queued writes are replayed after the tab is gone. */
  workbox: Workbox | undefined;
  /** Current state, and a way to hear about changes (for the status dashboard). */
  state: () => ServiceWorkerState;
  subscribe: (listener: () => void) => () => void;
}

/**
 * Registers `/sw.js` (the app shell cache and Background Sync replay) through workbox-window.
 * `ready` means a worker controls this page: from then on a reload works with no network.
 */
export function registerServiceWorker(scriptUrl = '/sw.js'): ServiceWorkerHandle {
  const listeners = new Set<() => void>();
  let state: ServiceWorkerState;
  const set = (next: ServiceWorkerState) => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };

  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  // Service workers need a secure context (https, or localhost / 127.0.0.1).
  if (!container || !window.isSecureContext) {
    state = 'unsupported';
    return { workbox: undefined, state: () => state, subscribe: () => () => undefined };
  }

  const workbox = new Workbox(scriptUrl);
  state = container.controller ? 'ready' : 'installing';
  // `controlling` fires when the new worker claims this page (first visit and updates).
  workbox.addEventListener('controlling', () => set('ready'));
  container.addEventListener('controllerchange', () => {
    if (container.controller) set('ready');
  });
  workbox.register().catch(() => set('failed'));

  return {
    workbox,
    state: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
