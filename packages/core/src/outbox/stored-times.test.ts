/* eslint-disable @typescript-eslint/require-await -- handlers return promises by contract */
import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../policy/backoff.js';
import { ENTRIES_STORE, openDatabase } from './idb-store.js';
import { createOutbox } from './outbox.js';
import { RECORD_VERSION } from './schema.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';

/**
 * Times read back from storage were written by a clock that may have been wrong (a device
 * clock a year ahead, corrected since) or by other code. A stored wait or lease longer than
 * this outbox could ever have set must not hold a write — and every write behind it in its
 * channel — for a year.
 */

const T0 = 1_000_000;
const YEAR = 365 * 24 * 3600 * 1000;
const bed = outboxTestBed({ fakeTimeFrom: T0 });

async function writeRaw(values: unknown[]): Promise<void> {
  const db = await openDatabase(bed.idb, 's', () => {});
  const tx = db.transaction(ENTRIES_STORE, 'readwrite');
  for (const value of values) tx.objectStore(ENTRIES_STORE).put(value);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = reject;
  });
  db.close();
}

const stored = (seq: number, patch: object) => ({
  v: RECORD_VERSION,
  seq,
  id: `e${String(seq)}`,
  idempotencyKey: `k${String(seq)}`,
  type: 'w',
  payload: `e${String(seq)}`,
  channel: 'notes',
  state: 'pending',
  attempts: 1,
  createdAt: T0,
  nextAttemptAt: T0,
  ...patch,
});

function make(sent: unknown[]) {
  return bed.closeAfter(
    createOutbox({
      name: 's',
      ...bed.options,
      backoff: exponentialBackoff({ initialMs: 1_000, maxMs: 60_000, jitter: 'none' }),
      handlers: { w: async (p: unknown) => void sent.push(p) },
    }),
  );
}

describe('times read back from storage', () => {
  it('a retry scheduled a year ahead (by a clock since put right) is due within the longest wait this outbox sets', async () => {
    await writeRaw([stored(1, { nextAttemptAt: T0 + YEAR }), stored(2, {})]);
    const sent: unknown[] = [];
    const outbox = make(sent);
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(sent).toEqual(['e1', 'e2']);
  });

  it('a lease a year long (left by a dead tab whose clock ran ahead) runs out after leaseMs', async () => {
    await writeRaw([stored(1, { state: 'in-flight', leaseUntil: T0 + YEAR }), stored(2, {})]);
    const sent: unknown[] = [];
    const outbox = make(sent);
    expect(await outbox.drain()).toEqual({ delivered: 2, retried: 0, dead: 0 });
    expect(sent).toEqual(['e1', 'e2']);
  });
});
