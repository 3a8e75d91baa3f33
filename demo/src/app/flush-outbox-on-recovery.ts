import type { Protection } from '@bulletproof/core';
import { DEPENDENCIES } from './dependencies.js';

/**
 * Queued writes wait out their backoff, which may have grown to many seconds while the
 * server was down. When there is fresh evidence that the server answers again — the
 * connection comes back, or the reads' breaker closes after an outage — waiting longer
 * only keeps the user's changes off the server: make every waiting write due now.
 */
export function flushOutboxOnRecovery(protection: Protection): () => void {
  const outbox = protection.outbox;
  if (!outbox) return () => undefined;
  let reachable = protection.connectivity.snapshot.status === 'online';
  const flush = () => {
    void outbox
      .list({ state: 'pending' })
      .then((pending) => (pending.length > 0 ? outbox.retry(pending.map((e) => e.id)) : 0))
      .catch(() => undefined);
  };
  const subscription = protection.events$.subscribe((event) => {
    if (event.type === 'connectivity') {
      const online = event.snapshot.status === 'online';
      if (online && !reachable) flush();
      reachable = online;
    } else if (
      event.type === 'policy' &&
      event.dependency === DEPENDENCIES.read &&
      event.event.type === 'breaker-state' &&
      event.event.to === 'closed'
    ) {
      flush();
    }
  });
  return () => subscription.unsubscribe();
}
