import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { FallbackRecordStore } from './fallback-store.js';
import { EntryQueue, type QueueHooks } from './queue.js';
import { MemoryRecordStore } from './memory-store.js';
import { readRecord, type NewOutboxRecord, type RecordMigration } from './schema.js';
import type { RecordChange, RecordStore } from './store.js';
import { pendingRecord } from '../test-support/outbox-records.js';

const hooks = () => ({
  quarantined: vi.fn<QueueHooks['quarantined']>(),
  changed: vi.fn<QueueHooks['changed']>(),
});

/** A record of version `v`: these tests pretend version 2 is the current one. */
const current = (id: string, v = 2): NewOutboxRecord => pendingRecord(id, { v, payload: id });

describe('EntryQueue migrations', () => {
  // Version 1 stored `tries`; version 2 (the pretend current) stores `attempts`.
  const migrations: Record<number, RecordMigration> = {
    1: ({ tries, ...rest }) => ({ ...rest, attempts: tries }),
  };
  const readV2 = (raw: unknown) => readRecord(raw, migrations, 2);

  it('reads old records through the migrations and writes the new shape back', async () => {
    const store = new FallbackRecordStore(new IDBFactory(), 'mig', vi.fn());
    const { attempts, ...old } = current('old');
    await store.insert({ ...old, v: 1, tries: attempts + 3 } as unknown as NewOutboxRecord);
    await store.insert(current('new'));
    const queue = new EntryQueue(store, () => 10, hooks(), readV2);
    const records = await queue.load();
    expect(records.map((r) => [r.id, r.v, r.attempts])).toEqual([
      ['old', 2, 3],
      ['new', 2, 0],
    ]);
    const stored = await store.scan();
    expect(stored[0]?.value).toEqual({ ...current('old'), attempts: 3, seq: 1 });
    expect(stored[0]?.value).not.toHaveProperty('tries');
  });

  it('quarantines a record whose migration fails, keeping it as it was', async () => {
    const store = new MemoryRecordStore();
    const raw = { ...current('x'), v: 1, tries: 'NaN-ish' };
    await store.insert(raw);
    const h = hooks();
    const queue = new EntryQueue(store, () => 10, h, readV2);
    const [record] = await queue.load();
    expect(record).toMatchObject({ id: 'x', state: 'dead', deadReason: 'invalid' });
    expect(record?.payload).toMatchObject({ v: 1, tries: 'NaN-ish' });
    expect(h.quarantined).toHaveBeenCalledTimes(1);
  });

  it('does not write a quarantined stand-in over a record deleted meanwhile', async () => {
    const memory = new MemoryRecordStore();
    await memory.insert({ ...current('gone', 1), attempts: -1 });
    // Another context deletes the record between this context's read and its write-back.
    const racing: RecordStore = {
      kind: 'memory',
      insert: (r) => memory.insert(r),
      scan: () => memory.scan(),
      update: async (seqs: number[], change: RecordChange) => {
        await memory.remove(seqs);
        return memory.update(seqs, change);
      },
      remove: (seqs) => memory.remove(seqs),
      close: () => memory.close(),
    };
    const h = hooks();
    const queue = new EntryQueue(racing, () => 10, h);
    await queue.load();
    expect(h.quarantined).toHaveBeenCalledTimes(1);
    expect(await memory.scan()).toEqual([]);
  });
});
