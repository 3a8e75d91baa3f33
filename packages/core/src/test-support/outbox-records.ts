import { RECORD_VERSION, type NewOutboxRecord } from '../outbox/schema.js';

/** A record as the outbox first stores an entry (pending, never attempted), with `patch` applied. */
export function pendingRecord(id: string, patch: Partial<NewOutboxRecord> = {}): NewOutboxRecord {
  return {
    v: RECORD_VERSION,
    id,
    type: 'note',
    payload: { id },
    channel: 'c',
    idempotencyKey: id,
    state: 'pending',
    attempts: 0,
    createdAt: 1,
    nextAttemptAt: 1,
    ...patch,
  };
}
