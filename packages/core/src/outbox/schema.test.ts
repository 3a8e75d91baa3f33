import { describe, expect, it } from 'vitest';
import { RECORD_VERSION, quarantineRecord, readRecord, toEntry, type OutboxRecord } from './schema.js';

function valid(overrides: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    v: RECORD_VERSION,
    seq: 7,
    id: 'e-1',
    type: 'note',
    payload: { title: 'hello' },
    channel: 'notes',
    idempotencyKey: 'k-1',
    state: 'pending',
    attempts: 0,
    createdAt: 1_000,
    nextAttemptAt: 1_000,
    ...overrides,
  };
}

const httpPayload = {
  url: 'https://x.test/api',
  method: 'POST',
  headers: [['x-a', '1']],
  body: new Uint8Array([1, 2]),
};

describe('readRecord', () => {
  it('accepts a current record as it is, without copying it', () => {
    const raw = valid();
    const read = readRecord(raw);
    expect(read).toEqual({ kind: 'ok', record: raw, migrated: false });
    expect(read.kind === 'ok' && read.record).toBe(raw);
  });

  it('accepts every state with its bookkeeping', () => {
    expect(readRecord(valid({ state: 'in-flight', leaseUntil: 5 })).kind).toBe('ok');
    expect(
      readRecord(
        valid({
          state: 'dead',
          deadReason: 'rejected',
          lastFailure: { category: 'client', message: 'no', status: 422 },
        }),
      ).kind,
    ).toBe('ok');
    expect(readRecord(valid({ type: 'http', payload: httpPayload })).kind).toBe('ok');
    expect(
      readRecord(valid({ type: 'http', payload: { ...httpPayload, body: null, contentType: 'text/plain' } }))
        .kind,
    ).toBe('ok');
  });

  it.each([
    ['a non-object', 'junk', 'not an object'],
    ['an array', [1, 2], 'not an object'],
    ['no version', { ...valid(), v: undefined }, 'shape version'],
    ['a missing id', { ...valid(), id: undefined }, 'id'],
    ['an empty type', valid({ type: '' }), 'type'],
    ['a negative attempt count', valid({ attempts: -1 }), 'attempts'],
    ['a fractional attempt count', valid({ attempts: 1.5 }), 'attempts'],
    ['an unknown state', { ...valid(), state: 'flying' }, 'state'],
    ['a non-finite time', valid({ nextAttemptAt: Number.NaN }), 'nextAttemptAt'],
    ['a dead record without a reason', valid({ state: 'dead' }), 'deadReason'],
    ['a reason on a live record', valid({ deadReason: 'rejected' }), 'deadReason'],
    ['an unknown dead reason', { ...valid({ state: 'dead' }), deadReason: 'bored' }, 'deadReason'],
    ['an in-flight record without a lease', valid({ state: 'in-flight' }), 'leaseUntil'],
    [
      'an http entry with a string body',
      valid({ type: 'http', payload: { ...httpPayload, body: 'text' } }),
      'payload',
    ],
    ['an http entry without a url', valid({ type: 'http', payload: { ...httpPayload, url: '' } }), 'payload'],
    [
      'an http entry with a Blob-like body',
      valid({ type: 'http', payload: { ...httpPayload, body: { size: 3 } } }),
      'payload',
    ],
  ])('rejects %s, saying where', (_, raw, where) => {
    const read = readRecord(raw);
    expect(read.kind).toBe('invalid');
    expect(read.kind === 'invalid' && read.issues.join(' ')).toContain(where);
  });

  it('leaves a record from newer code alone', () => {
    expect(readRecord(valid({ v: RECORD_VERSION + 1 }))).toEqual({ kind: 'future' });
  });

  describe('migrations', () => {
    // A pretend history: v1 called the channel `queue`, v2 counted `tries`, v3 is today's shape.
    const migrations = {
      1: (r: Record<string, unknown>) => {
        const { queue, ...rest } = r;
        return { ...rest, channel: queue };
      },
      2: (r: Record<string, unknown>) => {
        const { tries, ...rest } = r;
        return { ...rest, attempts: tries };
      },
    };
    const today = valid();
    const v1 = (() => {
      const { channel, attempts, ...rest } = today;
      return { ...rest, v: 1, queue: channel, tries: attempts };
    })();

    it('runs each step from the stored version up, then validates', () => {
      const read = readRecord(v1, migrations, 3);
      expect(read.kind).toBe('ok');
      if (read.kind !== 'ok') return;
      expect(read.migrated).toBe(true);
      expect(read.record).toEqual({ ...today, v: 3 });
      expect(read.record).not.toHaveProperty('queue');
    });

    it('starts from the middle of the chain for a middle version', () => {
      const { attempts, ...rest } = today;
      const read = readRecord({ ...rest, v: 2, tries: attempts }, migrations, 3);
      expect(read.kind === 'ok' && read.record).toEqual({ ...today, v: 3 });
    });

    it('keeps the key even if a migration drops it', () => {
      const read = readRecord(v1, { ...migrations, 1: (r) => ({ ...migrations[1](r), seq: undefined }) }, 3);
      expect(read.kind === 'ok' && read.record.seq).toBe(today.seq);
    });

    it('calls a record invalid when a step is missing, throws, or yields a bad shape', () => {
      expect(readRecord(v1, { 2: migrations[2] }, 3)).toEqual({
        kind: 'invalid',
        issues: ['v: no migration from version 1'],
      });
      const throwing = readRecord(
        v1,
        {
          ...migrations,
          2: () => {
            throw new Error('boom');
          },
        },
        3,
      );
      expect(throwing.kind === 'invalid' && throwing.issues[0]).toMatch(
        /migration from version 2 failed: Error: boom/,
      );
      const bad = readRecord(v1, { ...migrations, 2: (r) => r }, 3);
      expect(bad.kind === 'invalid' && bad.issues.join()).toContain('attempts');
    });
  });
});

describe('quarantineRecord', () => {
  it('salvages what it can and keeps the raw value as the payload', () => {
    const raw = { ...valid(), attempts: 'many' };
    const dead = quarantineRecord(raw, 7, 50);
    expect(dead).toMatchObject({
      seq: 7,
      id: 'e-1',
      type: 'note',
      channel: 'notes',
      idempotencyKey: 'k-1',
      state: 'dead',
      deadReason: 'invalid',
      attempts: 0,
      createdAt: 1_000,
    });
    expect(dead.payload).toBe(raw);
    // The stand-in itself passes validation, so it is never quarantined twice.
    expect(readRecord(dead).kind).toBe('ok');
  });

  it('invents an id for garbage, and stays valid even for an invalid http record', () => {
    const dead = quarantineRecord(42, 9, 50);
    expect(dead).toMatchObject({
      id: 'invalid-9',
      type: 'invalid',
      channel: 'default',
      createdAt: 50,
      payload: 42,
    });
    const http = quarantineRecord({ type: 'http', payload: 'nope' }, 10, 50);
    expect(readRecord(http).kind).toBe('ok');
  });
});

describe('toEntry', () => {
  it('leaves the bookkeeping out', () => {
    const entry = toEntry(valid({ state: 'in-flight', leaseUntil: 9, lastDelayMs: 3 }));
    expect(entry).not.toHaveProperty('v');
    expect(entry).not.toHaveProperty('seq');
    expect(entry).not.toHaveProperty('leaseUntil');
    expect(entry).not.toHaveProperty('lastDelayMs');
    expect(entry.state).toBe('in-flight');
  });
});
