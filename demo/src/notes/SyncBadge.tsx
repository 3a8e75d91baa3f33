import type { SyncState } from './local-writes.js';

const LABELS: Record<Exclude<SyncState, 'synced'>, string> = {
  waiting: 'Waiting to sync',
  sending: 'Sending…',
  'not-saved': 'Not saved — see “Changes waiting to sync”',
};

/** Tells, per note, whether the server has it yet. Synced notes carry no badge. */
export function SyncBadge({ sync }: { sync: SyncState }) {
  if (sync === 'synced') return null;
  return (
    <span className="badge" data-sync={sync}>
      {LABELS[sync]}
    </span>
  );
}
