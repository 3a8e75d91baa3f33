import type { OutboxLockManager } from './types.js';

/**
 * Who may drain: one context at a time per outbox name.
 *
 * With Web Locks the lock spans every tab, worker and the service worker of the origin, and
 * the browser releases it when its holder dies — so whoever holds it knows that nobody else
 * is delivering. Without Web Locks (older browsers, Node) a lock within this page stands in:
 * a single page still never drains twice at once, and the in-flight leases keep two pages
 * from sending the same entry.
 */
export interface LeaderLock {
  /** True when holding the lock excludes every other context, not just this page. */
  readonly spansContexts: boolean;
  /** Runs `fn` while holding the lock, or resolves `{ acquired: false }` at once when it is taken. */
  tryRun<T>(fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

export function lockName(name: string): string {
  return `bulletproof-outbox-${name}`;
}

const NOT_ACQUIRED = { acquired: false } as const;

/** Lock names held within this page, shared by every outbox of the page (and module instance). */
const heldInPage = new Set<string>();

export function createLeaderLock(name: string, locks: OutboxLockManager | undefined): LeaderLock {
  const key = lockName(name);
  if (locks) {
    return {
      spansContexts: true,
      tryRun: (fn) =>
        locks.request(key, { ifAvailable: true }, async (lock) =>
          lock === null ? NOT_ACQUIRED : { acquired: true as const, value: await fn() },
        ),
    };
  }
  return {
    spansContexts: false,
    async tryRun(fn) {
      if (heldInPage.has(key)) return NOT_ACQUIRED;
      heldInPage.add(key);
      try {
        return { acquired: true, value: await fn() };
      } finally {
        heldInPage.delete(key);
      }
    },
  };
}
