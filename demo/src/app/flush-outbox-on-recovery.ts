import type { Protection } from '@bulletproof/core';
import { DEPENDENCIES } from './dependencies.js';

/**
 * Queued writes wait out their backoff, which may have grown to many seconds while the
 * server was down. The outbox itself makes them due when the connection comes back; a
 * server that recovers while the connection never dropped is only seen here, when the
 * reads' breaker closes after an outage: then waiting longer only keeps the user's
 * changes off the server, so every waiting write becomes due now.
 */
export function flushOutboxOnRecovery(protection: Protection): () => void {
  const outbox = protection.outbox;
  if (!outbox) return () => undefined;
  const subscription = protection.events$.subscribe((event) => {
    if (
      event.type === 'policy' &&
      event.dependency === DEPENDENCIES.read &&
      event.event.type === 'breaker-state' &&
      event.event.to === 'closed'
    ) {
      void outbox
        .list({ state: 'pending' })
        .then((pending) => (pending.length > 0 ? outbox.retry(pending.map((e) => e.id)) : 0))
        .catch(() => undefined);
    }
  });
  return () => subscription.unsubscribe();
}
