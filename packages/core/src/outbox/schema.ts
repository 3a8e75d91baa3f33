import {
  array,
  custom,
  literal,
  nullable,
  number,
  object,
  optional,
  string,
  tuple,
  unknown,
  type Issue,
  type Schema,
} from '../check/schema.js';
import type { FailureCategory } from '../failure/types.js';
import type { HttpPayload, OutboxEntry, OutboxFailureSummary } from './types.js';

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

const finite = number();
const optionalFinite = optional(finite);
/** An integer a store can hold exactly: what the record's counters and keys are. */
const int = (gte = -Number.MAX_SAFE_INTEGER) => number({ int: true, gte, lte: Number.MAX_SAFE_INTEGER });
const nonEmpty = string({ min: 1 });

/** A `Uint8Array` from any realm (IndexedDB may hand back one from another global). */
const bytes = custom<Uint8Array>(
  (v) => Object.prototype.toString.call(v) === '[object Uint8Array]',
  'a Uint8Array',
);

// Stored shapes accept keys they do not know (`loose`): a newer version may add some.
export const httpPayloadSchema = object<HttpPayload>(
  {
    url: nonEmpty,
    method: nonEmpty,
    headers: array(tuple<[string, string]>([string(), string()])),
    body: nullable(bytes),
    contentType: optional(string()),
    credentials: optional(literal('omit', 'same-origin', 'include')),
  },
  true,
);

const recordFields = object<OutboxRecord>(
  {
    v: int(),
    seq: int(1),
    id: nonEmpty,
    type: nonEmpty,
    payload: optional(unknown),
    channel: string(),
    idempotencyKey: nonEmpty,
    state: literal('pending', 'in-flight', 'dead'),
    attempts: int(0),
    createdAt: finite,
    nextAttemptAt: finite,
    leaseUntil: optionalFinite,
    lastDelayMs: optionalFinite,
    revivedAt: optionalFinite,
    lastFailure: optional(
      object<OutboxFailureSummary>(
        {
          // Any text: a category a newer version adds is still shown.
          category: string() as Schema<FailureCategory>,
          message: string(),
          status: optional(int()),
          detail: optional(string()),
        },
        true,
      ),
    ),
    deadReason: optional(literal('rejected', 'expired', 'max-attempts', 'invalid', 'unknown-type')),
  },
  true,
);

/** Rules between fields, checked once every field passed: each one broken is reported. */
const recordRules: ReadonlyArray<
  [test: (r: OutboxRecord) => boolean, message: string, at: keyof OutboxRecord]
> = [
  [
    (r) => (r.state === 'dead') === (r.deadReason !== undefined),
    'deadReason must be set exactly when state is "dead"',
    'deadReason',
  ],
  [
    (r) => r.state !== 'in-flight' || r.leaseUntil !== undefined,
    'an in-flight record must carry leaseUntil',
    'leaseUntil',
  ],
  // A quarantined record keeps whatever it held, so its payload is not checked again.
  [
    (r) => r.type !== 'http' || r.deadReason === 'invalid' || isHttpPayload(r.payload),
    'an http entry needs a payload { url, method, headers, body: Uint8Array | null }',
    'payload',
  ],
];

const recordSchema: Schema<OutboxRecord> = (value, path, issues) => {
  const before = issues.length;
  recordFields(value, path, issues);
  if (issues.length > before) return;
  for (const [test, message, at] of recordRules)
    if (!test(value as OutboxRecord)) issues.push({ path: [...path, at], message });
};

/** Whether a value is a payload the built-in `http` handler can replay. */
export function isHttpPayload(value: unknown): value is HttpPayload {
  const issues: Issue[] = [];
  httpPayloadSchema(value, [], issues);
  return issues.length === 0;
}

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
  const issues: Issue[] = [];
  recordSchema(record, [], issues);
  if (issues.length > 0) {
    return {
      kind: 'invalid',
      issues: issues.map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`),
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
