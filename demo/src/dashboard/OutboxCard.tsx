import type { OutboxStats } from '@bulletproof/core';
import { seconds } from './format.js';
import { useNow } from './useNow.js';

/** The outbox's counts: what is waiting on this device, and for how long. */
export function OutboxCard({ stats }: { stats: OutboxStats | undefined }) {
  const now = useNow(1_000, stats?.oldestPendingAt !== undefined);
  if (!stats) return null;
  return (
    <div className="card">
      <h3>Outbox</h3>
      <dl data-testid="outbox-stats">
        <dt>Waiting</dt>
        <dd data-testid="outbox-pending">{stats.pending + stats.inFlight}</dd>
        <dt>Refused</dt>
        <dd data-testid="outbox-dead">{stats.dead}</dd>
        <dt>Oldest</dt>
        <dd>{stats.oldestPendingAt === undefined ? '—' : `${seconds(now - stats.oldestPendingAt)} old`}</dd>
        <dt>Delivering</dt>
        <dd>{stats.draining ? 'yes, from this tab' : 'no'}</dd>
        <dt>Stored in</dt>
        <dd>{stats.storage === 'indexeddb' ? 'IndexedDB (survives a reload)' : 'memory only!'}</dd>
      </dl>
    </div>
  );
}
