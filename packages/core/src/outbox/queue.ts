import { isUnreadable } from './idb-store.js';
import {
  asQuarantined,
  dueAt,
  quarantineRecord,
  readRecord,
  toEntry,
  type NewOutboxRecord,
  type OutboxRecord,
  type RecordReadResult,
} from './schema.js';
import type { RecordStore } from './store.js';
import type { DeadReason, OutboxEntry, OutboxEntryState, OutboxFailureSummary } from './types.js';

export interface QueueHooks {
  /** A record failed validation and was moved to dead (`invalid`). */
  quarantined(entry: OutboxEntry, issues: string[]): void;
  /** The queue changed (here or, after a reload, elsewhere). */
  changed(local: boolean): void;
  /**
   * The longest wait before a retry, and the longest lease, this outbox ever sets. A stored
   * time further ahead was written by a clock that ran ahead (and was put right since) or by
   * other code: trusted, it would hold the write, and its channel behind it, for that long.
   */
  limits?: { maxWaitMs: number; leaseMs: number };
}

export interface QueueCounts {
  pending: number;
  inFlight: number;
  dead: number;
  oldestPendingAt?: number;
  /** The earliest end of a lease still running: when these counts go stale with nothing else changing. */
  leaseEndsAt?: number;
}

/**
 * The queue's records and every state change they go through, each in one transaction that
 * re-reads (and re-validates) the record first — another tab or the service worker may have
 * delivered, rescheduled or discarded it meanwhile, and a change must never resurrect a
 * record that is gone.
 *
 * A mirror of the last read plus this context's own changes backs `stats` without a read
 * per call; it is refreshed from the store whenever another context reports a change.
 */
export class EntryQueue {
  readonly #store: RecordStore;
  readonly #hooks: QueueHooks;
  readonly #now: () => number;
  readonly #read: (raw: unknown) => RecordReadResult;
  readonly #mirror = new Map<number, OutboxRecord>();
  /** Bumped by every change made here, so a reload that raced one can tell and read again. */
  #version = 0;
  /** Per channel, the key of the first record newer code wrote: nothing after it may overtake it. */
  #heldFrom = new Map<string, number>();
  /** Keys whose quarantine was reported: a record whose rewrite did not stick is not reported twice. */
  readonly #reported = new Set<number>();
  /**
   * Keys of records delivered whose delete storage refused: never delivered or listed again
   * by this page, and deleted at the next load that can.
   */
  readonly #delivered = new Set<number>();

  constructor(
    store: RecordStore,
    now: () => number,
    hooks: QueueHooks,
    // Injectable so migrations are tested before the first real one exists.
    read: (raw: unknown) => RecordReadResult = readRecord,
  ) {
    this.#store = store;
    this.#now = now;
    this.#hooks = hooks;
    this.#read = read;
  }

  get storage(): 'indexeddb' | 'memory' {
    return this.#store.kind;
  }

  /** Stores a new record; resolves once it is committed. */
  async add(record: NewOutboxRecord): Promise<OutboxRecord> {
    const seq = await this.#store.insert(record);
    const stored = record as OutboxRecord;
    // The caller's object becomes the mirror's copy: it is never handed out or mutated again.
    stored.seq = seq;
    this.#set(stored);
    return stored;
  }

  /**
   * Reads every record, validated: older shapes are migrated (and written back), invalid ones
   * quarantined, ones from newer code left alone. Refreshes the mirror; resolves in key order.
   */
  async load(): Promise<OutboxRecord[]> {
    let rows: Array<{ seq: number; value: unknown }>;
    let attempts = 0;
    let version: number;
    do {
      version = this.#version;
      rows = await this.#store.scan();
    } while (version !== this.#version && ++attempts < 3);

    const records: OutboxRecord[] = [];
    const heldFrom = new Map<string, number>();
    const rewrites = new Map<number, OutboxRecord>();
    const quarantined: Array<{ record: OutboxRecord; issues: string[] }> = [];
    const undeleted: number[] = [];
    for (const { seq, value } of rows) {
      if (this.#delivered.has(seq)) {
        undeleted.push(seq);
        continue;
      }
      const read = this.#read(value);
      if (read.kind === 'future') {
        // Written by newer code: not ours to deliver or show, but it holds its channel.
        const channel = futureChannel(value);
        const held = heldFrom.get(channel);
        if (held === undefined || seq < held) heldFrom.set(channel, seq);
        continue;
      }
      if (read.kind === 'invalid') {
        const held = asQuarantined(value, seq);
        if (held) {
          records.push(held);
          continue;
        }
        const record = quarantineRecord(value, seq, this.#now());
        // A value the browser cannot read back cannot be rewritten either: it stays as it is.
        if (!isUnreadable(value)) rewrites.set(seq, record);
        if (!this.#reported.has(seq)) {
          this.#reported.add(seq);
          quarantined.push({ record, issues: read.issues });
        }
        records.push(record);
        continue;
      }
      const repaired = this.#repaired(read.record);
      if (read.migrated || repaired) rewrites.set(seq, repaired ?? read.record);
      records.push(repaired ?? read.record);
    }
    if (rewrites.size > 0) {
      try {
        // Rewritten only if still there and not rewritten meanwhile (by another tab).
        await this.#store.update([...rewrites.keys()], (current, seq) => {
          if (current === undefined) return undefined;
          const read = this.#read(current);
          if (read.kind === 'ok' && !read.migrated) return this.#repaired(read.record);
          return asQuarantined(current, seq) ? undefined : rewrites.get(seq);
        });
      } catch {
        // Storage refused the rewrite: the records are used as read, and the next load tries again.
      }
    }
    if (undeleted.length > 0) {
      try {
        await this.#store.remove(undeleted);
        for (const seq of undeleted) this.#delivered.delete(seq);
      } catch {
        // Still refused: still skipped, and tried again at the next load.
      }
    }
    this.#mirror.clear();
    for (const record of records) this.#mirror.set(record.seq, record);
    this.#heldFrom = heldFrom;
    this.#hooks.changed(false);
    for (const { record, issues } of quarantined) this.#hooks.quarantined(toEntry(record), issues);
    if (quarantined.length > 0) this.#hooks.changed(true);
    return records;
  }

  /**
   * The record with a stored time it cannot trust brought back to now: a retry due further
   * ahead than the longest wait this outbox sets is due now, and a lease longer than its
   * `leaseMs` has run out. Undefined when there is nothing to repair.
   */
  #repaired(record: OutboxRecord): OutboxRecord | undefined {
    const limits = this.#hooks.limits;
    if (!limits) return undefined;
    const now = this.#now();
    const waitTooLong = record.state !== 'dead' && record.nextAttemptAt > now + limits.maxWaitMs;
    const leaseTooLong = record.state === 'in-flight' && (record.leaseUntil ?? 0) > now + limits.leaseMs;
    if (!waitTooLong && !leaseTooLong) return undefined;
    const next: OutboxRecord = { ...record };
    if (waitTooLong) next.nextAttemptAt = now;
    if (leaseTooLong) {
      next.state = 'pending';
      delete next.leaseUntil;
    }
    return next;
  }

  /**
   * Marks a record in flight under a lease, if it is still deliverable: present, not dead,
   * due, and not held by a live lease (unless `overrideLease`, for a drainer that knows every
   * other drainer is gone). Resolves with the claimed record, or undefined.
   */
  async claim(seq: number, leaseUntil: number, overrideLease: boolean): Promise<OutboxRecord | undefined> {
    const [result] = await this.#change([seq], claimChange(this.#now(), leaseUntil, overrideLease));
    return result ?? undefined;
  }

  /**
   * The record as this context last saw it (its own changes, and other contexts' once they
   * reported them), without a read: undefined once it is gone.
   */
  peek(seq: number): OutboxRecord | undefined {
    return this.#mirror.get(seq);
  }

  /** Delivered: the record is deleted. */
  async complete(seq: number): Promise<void> {
    this.#version++;
    try {
      await this.#store.remove([seq]);
    } catch {
      // Delivered all the same: sending it again because the disk refused a delete would be
      // a second delivery. It is deleted at a later load.
      this.#delivered.add(seq);
    }
    this.#delete(seq);
  }

  /**
   * Deletes a delivered record and claims the next one of its channel in the same
   * transaction: one transaction per delivery instead of two, which is what a busy drain
   * spends its time on. Resolves with the claimed record, or undefined.
   */
  async completeAndClaim(
    doneSeq: number,
    nextSeq: number,
    leaseUntil: number,
    overrideLease: boolean,
  ): Promise<OutboxRecord | undefined> {
    this.#version++;
    const claim = claimChange(this.#now(), leaseUntil, overrideLease);
    let next: unknown;
    try {
      [, next] = await this.#store.update([doneSeq, nextSeq], (current, seq) => {
        if (seq === doneSeq) return current === undefined ? undefined : null;
        const read = this.#read(current);
        return read.kind === 'ok' ? claim(read.record) : undefined;
      });
    } catch (error) {
      // The delivered record is not sent again (see `complete`); the claim failed with it.
      this.#delivered.add(doneSeq);
      this.#delete(doneSeq);
      throw error;
    }
    this.#delete(doneSeq);
    const claimed = (next as OutboxRecord | undefined) ?? undefined;
    if (claimed) this.#set(claimed);
    return claimed;
  }

  /** Back to pending after a failed attempt, due at `nextAttemptAt`. */
  async reschedule(
    seq: number,
    patch: {
      attempts: number;
      nextAttemptAt: number;
      lastDelayMs?: number;
      lastFailure?: OutboxFailureSummary;
    },
  ): Promise<OutboxRecord | undefined> {
    const [result] = await this.#change([seq], (record) => pendingWith(record, patch));
    return result ?? undefined;
  }

  /** Back to pending as it was: the attempt did not count (offline, paused, closed). */
  async release(seq: number): Promise<void> {
    await this.#change([seq], (record) =>
      record.state === 'in-flight' ? pendingWith(record, {}) : undefined,
    );
  }

  async deadLetter(
    seq: number,
    reason: DeadReason,
    patch: { attempts?: number; lastFailure?: OutboxFailureSummary },
  ): Promise<OutboxRecord | undefined> {
    const [result] = await this.#change([seq], (record) => {
      const dead: OutboxRecord = { ...record, ...patch, state: 'dead', deadReason: reason };
      delete dead.leaseUntil;
      return dead;
    });
    return result ?? undefined;
  }

  /**
   * Dead → pending with attempts reset; pending → due now. Quarantined records stay dead, and
   * so does a delivery under way; one whose lease ran out counts as pending.
   */
  async retry(ids: string[] | 'dead'): Promise<number> {
    const records = await this.load();
    const wanted = ids === 'dead' ? undefined : new Set(ids);
    const now = this.#now();
    const seqs = records
      .filter(
        (r) =>
          (wanted ? wanted.has(r.id) : r.state === 'dead') &&
          effectiveState(r, now) !== 'in-flight' &&
          r.deadReason !== 'invalid',
      )
      .map((r) => r.seq);
    if (seqs.length === 0) return 0;
    const results = await this.#change(seqs, (record) => {
      if (record.state === 'dead' && record.deadReason !== 'invalid') {
        // A fresh lease of life: an expired entry would otherwise expire again at once.
        const revived: OutboxRecord = {
          ...pendingWith(record, { attempts: 0, nextAttemptAt: now }),
          revivedAt: now,
        };
        delete revived.deadReason;
        delete revived.lastDelayMs;
        return revived;
      }
      return effectiveState(record, now) === 'pending'
        ? pendingWith(record, { nextAttemptAt: now })
        : undefined;
    });
    return results.filter(Boolean).length;
  }

  /** Deletes records by id, whatever their state; resolves with the ids actually deleted. */
  async discard(ids: string[]): Promise<string[]> {
    const wanted = new Set(ids);
    const records = await this.load();
    const targets = records.filter((r) => wanted.has(r.id));
    if (targets.length === 0) return [];
    this.#version++;
    const results = await this.#store.update(
      targets.map((r) => r.seq),
      (current) => (current === undefined ? undefined : null),
    );
    const discarded: string[] = [];
    targets.forEach((record, i) => {
      if (results[i] !== null) return;
      this.#delete(record.seq);
      discarded.push(record.id);
    });
    if (discarded.length > 0) this.#hooks.changed(true);
    return discarded;
  }

  /** Entries as they stand now: an in-flight record whose lease ran out is listed as pending. */
  async list(state?: OutboxEntryState): Promise<OutboxEntry[]> {
    const records = await this.load();
    const now = this.#now();
    const entries: OutboxEntry[] = [];
    for (const record of records) {
      const current = effectiveState(record, now);
      if (state !== undefined && current !== state) continue;
      const entry = toEntry(record);
      // Its holder is gone or too slow: the entry is due again (its nextAttemptAt already passed).
      entry.state = current;
      entries.push(entry);
    }
    return entries;
  }

  /** Counts from the mirror; an in-flight record whose lease ran out counts as pending. */
  counts(): QueueCounts {
    const now = this.#now();
    const counts: QueueCounts = { pending: 0, inFlight: 0, dead: 0 };
    for (const record of this.#mirror.values()) {
      const state = effectiveState(record, now);
      if (state === 'dead') {
        counts.dead++;
        continue;
      }
      if (state === 'pending') counts.pending++;
      else {
        counts.inFlight++;
        // Effectively in flight means the lease is still running (see effectiveState).
        const leaseUntil = record.leaseUntil ?? now;
        if (counts.leaseEndsAt === undefined || leaseUntil < counts.leaseEndsAt)
          counts.leaseEndsAt = leaseUntil;
      }
      if (counts.oldestPendingAt === undefined || record.createdAt < counts.oldestPendingAt) {
        counts.oldestPendingAt = record.createdAt;
      }
    }
    return counts;
  }

  /**
   * The key from which a channel is held by a record newer code wrote (as of the last load):
   * this code cannot deliver it, and no later write of the channel may overtake it.
   */
  heldFrom(channel: string): number | undefined {
    return this.#heldFrom.get(channel);
  }

  /** Whether any record of `type` is still to be delivered (from the mirror). */
  hasPending(type: string): boolean {
    for (const record of this.#mirror.values())
      if (record.type === type && record.state !== 'dead') return true;
    return false;
  }

  close(): void {
    this.#store.close();
  }

  /**
   * Applies `change` to each record as it is now in the store, validated. A record that is
   * gone or invalid is left alone (the next load quarantines an invalid one).
   */
  async #change(
    seqs: number[],
    change: (record: OutboxRecord) => OutboxRecord | undefined,
  ): Promise<Array<OutboxRecord | undefined>> {
    this.#version++;
    const results = await this.#store.update(seqs, (current) => {
      const read = this.#read(current);
      return read.kind === 'ok' ? change(read.record) : undefined;
    });
    const changed = results as Array<OutboxRecord | undefined>;
    for (const record of changed) if (record) this.#set(record);
    return changed;
  }

  #set(record: OutboxRecord): void {
    this.#version++;
    this.#mirror.set(record.seq, record);
    this.#hooks.changed(true);
  }

  #delete(seq: number): void {
    this.#version++;
    if (this.#mirror.delete(seq)) this.#hooks.changed(true);
  }
}

/** The channel a record of a newer shape names, as far as this code can tell. */
function futureChannel(raw: unknown): string {
  const channel = (raw as { channel?: unknown }).channel;
  return typeof channel === 'string' ? channel : 'default';
}

function claimChange(
  now: number,
  leaseUntil: number,
  overrideLease: boolean,
): (record: OutboxRecord) => OutboxRecord | undefined {
  return (record) => {
    if (record.state === 'dead' || dueAt(record, now) > now) return undefined;
    if (record.state === 'in-flight' && !overrideLease && (record.leaseUntil ?? 0) > now) return undefined;
    return { ...record, state: 'in-flight', leaseUntil };
  };
}

function pendingWith(
  record: OutboxRecord,
  patch: {
    attempts?: number;
    nextAttemptAt?: number;
    lastDelayMs?: number;
    lastFailure?: OutboxFailureSummary;
  },
): OutboxRecord {
  const next: OutboxRecord = { ...record, ...patch, state: 'pending' };
  delete next.leaseUntil;
  return next;
}

function effectiveState(record: OutboxRecord, now: number): OutboxEntryState {
  if (record.state === 'in-flight' && (record.leaseUntil ?? 0) <= now) return 'pending';
  return record.state;
}
