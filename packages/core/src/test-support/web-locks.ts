import type { OutboxLockManager } from '../outbox/types.js';

/**
 * Web Locks as the browser runs them for an origin: one holder per name, `ifAvailable`
 * answers null at once, and a holder that dies (`kill`) loses its lock — for good: when its
 * callback ends later (a dead page's work winding down), the lock is someone else's.
 */
export function webLocks(): OutboxLockManager & { kill(name: string): void } {
  const holders = new Map<string, symbol>();
  return {
    request: ((name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) => {
      if (holders.has(name)) return Promise.resolve(callback(null));
      const holder = Symbol(name);
      holders.set(name, holder);
      const result = Promise.resolve().then(() => callback({ name, mode: 'exclusive' }));
      void result
        .finally(() => {
          if (holders.get(name) === holder) holders.delete(name);
        })
        .catch(() => undefined);
      return result;
    }) as OutboxLockManager['request'],
    kill: (name) => holders.delete(name),
  };
}
