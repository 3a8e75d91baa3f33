import { useMemo, useSyncExternalStore } from '../react.js';

/**
 * The one thing the hooks need from a stream of the core (or any `Observable`). Typed structurally so
 * the hooks accept any source with `subscribe(next)`.
 */
export interface Subscribable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

/** A source that never emits, for optional parts of a Protection (an outbox turned off). */
export const NEVER: Subscribable<never> = { subscribe: () => ({ unsubscribe() {} }) };

/**
 * Reads a core object's current value and re-renders when its observable emits.
 *
 * The core objects expose both a synchronous value (`snapshot`, `state`, `stats`,
 * `visible`, `status()`) and an observable of changes. Emissions are taken as a
 * signal only: the value is always re-read through `read`, then cached, so
 * `getSnapshot` returns the same reference until something really changed (as
 * `useSyncExternalStore` requires) even when a getter builds a new object.
 * `key` lists what else `read` depends on (a feature name).
 *
 * `server` is what the server renders and what hydration starts from. The
 * server cannot know the browser's network, storage or messages, and the first
 * client render must match the server's HTML, so state that lives in the
 * browser passes a neutral value here; the real one follows right after
 * hydration. Without it, the current value is used.
 */
export function useObserved<T>(
  source: Subscribable<unknown>,
  read: () => T,
  key?: unknown,
  server?: () => T,
): T {
  const store = useMemo(() => {
    let value = read();
    return {
      subscribe: (onChange: () => void) => {
        const check = () => {
          const next = read();
          if (!Object.is(next, value)) {
            value = next;
            onChange();
          }
        };
        const subscription = source.subscribe(check);
        // A change between render and subscription is missed by sources that do not replay.
        check();
        return () => {
          subscription.unsubscribe();
        };
      },
      get: () => value,
    };
    // `read` is a fresh closure each render; what it reads is identified by `source` and `key`.
  }, [source, key]);
  return useSyncExternalStore(store.subscribe, store.get, server ?? store.get);
}
