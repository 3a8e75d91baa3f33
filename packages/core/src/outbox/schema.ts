import * as z from 'zod/mini';
import type { DeadReason, HttpPayload, OutboxEntry } from './types.js';

/**
 * The shape of a stored outbox record and how older shapes are brought up to date.
 *
 * Records outlive the code that wrote them: a tab left open across a deploy, a service
 * worker one version behind, or a database from last month. Every record therefore carries
 * the version of its shape (`v`), every read is validated, and a record that cannot be
 * understood is quarantined (dead, `invalid`, raw value kept) instead of crashing a drain.
 */

/** The version of the record shape this code writes. Bump it with a migration when the shape changes. */
export const RECORD_VERSION = 1;

/** Turns a record of version `n` into one of version `n + 1`; throws when it cannot. */
export type RecordMigration = (record: Record<string, unknown>) => Record<string, unknown>;

/**
 * `MIGRATIONS[n]` upgrades a version-`n` record. Empty while there has been a single shape;
 * a change of shape adds an entry here and bumps `RECORD_VERSION`.
 */
export const MIGRATIONS: Readonly<Record<number, RecordMigration>> = {};

/** An entry as stored: the public entry plus the bookkeeping only the outbox reads. */
export interface OutboxRecord<P = unknown> extends OutboxEntry<P> {
  /** Shape version. */
  v: number;
  /** The store's key, in enqueue order across every tab (IndexedDB auto-increment). */
  seq: number;
  /** While in flight: the time after which another drainer may take the entry back. */
  leaseUntil?: number;
  /** The backoff delay last used, fed back to decorrelated jitter. */
  lastDelayMs?: number;
  /** When `retry()` last revived it from dead: its age counts from here instead of `createdAt`. */
  revivedAt?: number;
}

/** The time an entry's age (against `maxAgeMs`) counts from. */
export function ageFrom(record: OutboxRecord): number {
  return record.revivedAt ?? record.createdAt;
}

/**
 * When the record is due, as seen at `now`. A record scheduled "in the future" (its
 * `nextAttemptAt` less the delay it was given, none for a new entry) saw the wall clock set
 * back since (NTP, the user): it is due now, or the write would wait out the jump.
 */
export function dueAt(record: OutboxRecord, now: number): number {
  return record.nextAttemptAt - (record.lastDelayMs ?? 0) > now ? now : record.nextAttemptAt;
}

/** A record not yet stored: the store assigns `seq`. */
export type NewOutboxRecord<P = unknown> = Omit<OutboxRecord<P>, 'seq'>;

const finite = z.number();
const count = z.int().check(z.gte(0));

/** A `Uint8Array` from any realm (IndexedDB may hand back one from another global). */
const bytes = z.custom<Uint8Array>((v) => Object.prototype.toString.call(v) === '[object Uint8Array]', {
  message: 'must be a Uint8Array',
});

export const httpPayloadSchema = z.object({
  url: z.string().check(z.minLength(1)),
  method: z.string().check(z.minLength(1)),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.nullable(bytes),
  contentType: z.optional(z.string()),
  credentials: z.optional(z.enum(['omit', 'same-origin', 'include'])),
});

const deadReasons = [
  'rejected',
  'expired',
  'max-attempts',
  'invalid',
  'unknown-type',
] as const satisfies readonly DeadReason[];

const recordSchema = z
  .object({
    v: z.int(),
    seq: z.int().check(z.gte(1)),
    id: z.string().check(z.minLength(1)),
    type: z.string().check(z.minLength(1)),
    payload: z.unknown(),
    channel: z.string(),
    idempotencyKey: z.string().check(z.minLength(1)),
    state: z.enum(['pending', 'in-flight', 'dead']),
    attempts: count,
    createdAt: finite,
    nextAttemptAt: finite,
    leaseUntil: z.optional(finite),
    lastDelayMs: z.optional(finite),
    revivedAt: z.optional(finite),
    lastFailure: z.optional(
      z.object({
        category: z.string(),
        message: z.string(),
        status: z.optional(z.int()),
        detail: z.optional(z.string()),
      }),
    ),
    deadReason: z.optional(z.enum(deadReasons)),
  })
  .check(
    z.refine((r) => (r.state === 'dead') === (r.deadReason !== undefined), {
      message: 'deadReason must be set exactly when state is "dead"',
      path: ['deadReason'],
    }),
    z.refine((r) => r.state !== 'in-flight' || r.leaseUntil !== undefined, {
      message: 'an in-flight record must carry leaseUntil',
      path: ['leaseUntil'],
    }),
    // A quarantined record keeps whatever it held, so its payload is not checked again.
    z.refine(
      (r) =>
        r.type !== 'http' || r.deadReason === 'invalid' || httpPayloadSchema.safeParse(r.payload).success,
      {
        message: 'an http entry needs a payload { url, method, headers, body: Uint8Array | null }',
        path: ['payload'],
      },
    ),
  );

export type RecordReadResult =
  | { kind: 'ok'; record: OutboxRecord; migrated: boolean }
  /** Written by newer code: left untouched for that code to deliver. */
  | { kind: 'future' }
  | { kind: 'invalid'; issues: string[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads one stored value: migrates an older shape, validates the result, and reports what
 * it is. Never throws.
 */
export function readRecord(
  raw: unknown,
  // Injectable so the migration path is tested before the first real migration exists.
  migrations: Readonly<Record<number, RecordMigration>> = MIGRATIONS,
  version: number = RECORD_VERSION,
): RecordReadResult {
  if (!isPlainObject(raw)) return { kind: 'invalid', issues: ['the record is not an object'] };
  const v = raw.v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return { kind: 'invalid', issues: ['v: the record carries no shape version'] };
  }
  if (v > version) return { kind: 'future' };
  let record: Record<string, unknown> = raw;
  for (let at = v; at < version; at++) {
    const migrate = migrations[at];
    if (!migrate) return { kind: 'invalid', issues: [`v: no migration from version ${at}`] };
    try {
      // A migration may reshape freely, but the key and the version are the reader's business.
      record = { ...migrate(record), seq: raw.seq, v: at + 1 };
    } catch (error) {
      return { kind: 'invalid', issues: [`v: migration from version ${at} failed: ${String(error)}`] };
    }
  }
  const result = recordSchema.safeParse(record);
  if (!result.success) {
    return {
      kind: 'invalid',
      issues: result.error.issues.map(
        (issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`,
      ),
    };
  }
  // The validated input is returned as it is: it is already a fresh copy from the store,
  // and keeping it avoids rebuilding every object on every read.
  return { kind: 'ok', record: record as unknown as OutboxRecord, migrated: record !== raw };
}

/**
 * The dead record that stands in for one that failed validation. Whatever could be salvaged
 * (id, type, channel, key, creation time) is kept for display; the raw value is the payload,
 * so nothing of what was stored is lost.
 */
export function quarantineRecord(raw: unknown, seq: number, now: number): OutboxRecord {
  const source = isPlainObject(raw) ? raw : {};
  const text = (key: string): string | undefined => {
    const value = source[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const id = text('id') ?? `invalid-${seq}`;
  const createdAt = source.createdAt;
  return {
    v: RECORD_VERSION,
    seq,
    id,
    type: text('type') ?? 'invalid',
    payload: raw,
    channel: typeof source.channel === 'string' ? source.channel : 'default',
    idempotencyKey: text('idempotencyKey') ?? id,
    state: 'dead',
    deadReason: 'invalid',
    attempts: 0,
    createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : now,
    nextAttemptAt: now,
  };
}

/**
 * A record this code already quarantined, as stored under `seq`; undefined for anything else.
 * It is taken as it is, even where it does not pass validation (its key may be what made the
 * original invalid): quarantine happens once, never again over its own result.
 */
export function asQuarantined(raw: unknown, seq: number): OutboxRecord | undefined {
  if (!isPlainObject(raw) || raw.state !== 'dead' || raw.deadReason !== 'invalid') return undefined;
  if (raw.v !== RECORD_VERSION || typeof raw.id !== 'string' || raw.id === '') return undefined;
  if (typeof raw.type !== 'string' || typeof raw.channel !== 'string') return undefined;
  if (typeof raw.idempotencyKey !== 'string') return undefined;
  if (typeof raw.createdAt !== 'number' || typeof raw.nextAttemptAt !== 'number') return undefined;
  return {
    ...(raw as unknown as OutboxRecord),
    seq,
    attempts: typeof raw.attempts === 'number' ? raw.attempts : 0,
  };
}

/** The public view of a record: bookkeeping fields left out. */
export function toEntry<P>(record: OutboxRecord<P>): OutboxEntry<P> {
  const entry: OutboxEntry<P> = {
    id: record.id,
    type: record.type,
    payload: record.payload,
    channel: record.channel,
    idempotencyKey: record.idempotencyKey,
    state: record.state,
    attempts: record.attempts,
    createdAt: record.createdAt,
    nextAttemptAt: record.nextAttemptAt,
  };
  if (record.lastFailure) entry.lastFailure = record.lastFailure;
  if (record.deadReason) entry.deadReason = record.deadReason;
  return entry;
}

export type { HttpPayload };
