import { DEV } from '../dev.js';
import type { HttpPayload, OutboxEntry } from './types.js';

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

/**
 * A field's test. Written out rather than built from the option-checking schemas, so the record
 * check — which runs in every build — does not carry them into production bundles.
 */
type Test = (value: unknown) => boolean;

const isText = (v: unknown): v is string => typeof v === 'string';
const text: Test = (v) => isText(v) && v !== '';
const finite: Test = Number.isFinite;
/** An integer a store can hold exactly: what the record's counters and keys are. */
const int =
  (min = -Infinity): Test =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= min;
const optional =
  (test: Test): Test =>
  (v) =>
    v === undefined || test(v);
const oneOf =
  (...values: unknown[]): Test =>
  (v) =>
    values.includes(v);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields of `value` that fail their test: the key, and in the development build what the
 * field must be (`expected`, wording a production bundle does not carry). The value must be an
 * object. Keys not listed are accepted (stored shapes are loose: a newer version may add some).
 */
function checkFields<K extends string>(
  value: unknown,
  fields: Record<K, Test>,
  expected: () => Record<K, string>,
): string[] {
  if (!isPlainObject(value)) return [DEV ? '(record): must be an object' : '(record)'];
  const issues: string[] = [];
  for (const key in fields)
    if (!fields[key](value[key])) issues.push(DEV ? `${key}: must be ${expected()[key]}` : key);
  return issues;
}

const passes = <K extends string>(value: unknown, fields: Record<K, Test>): boolean =>
  isPlainObject(value) && Object.entries<Test>(fields).every(([key, test]) => test(value[key]));

/** A `Uint8Array` from any realm (IndexedDB may hand back one from another global). */
const isBytes = (v: unknown): boolean => Object.prototype.toString.call(v) === '[object Uint8Array]';

const httpPayloadFields: Record<keyof HttpPayload, Test> = {
  url: text,
  method: text,
  headers: (v) =>
    Array.isArray(v) && v.every((h) => Array.isArray(h) && h.length === 2 && isText(h[0]) && isText(h[1])),
  body: (v) => v === null || isBytes(v),
  contentType: optional(isText),
  credentials: optional(oneOf('omit', 'same-origin', 'include')),
};

const recordFields: Record<keyof OutboxRecord, Test> = {
  v: int(),
  seq: int(1),
  id: text,
  type: text,
  payload: () => true,
  channel: isText,
  idempotencyKey: text,
  state: oneOf('pending', 'in-flight', 'dead'),
  attempts: int(0),
  createdAt: finite,
  nextAttemptAt: finite,
  leaseUntil: optional(finite),
  lastDelayMs: optional(finite),
  revivedAt: optional(finite),
  lastFailure: optional((v) =>
    // Any category text: one a newer version adds is still shown.
    passes(v, { category: isText, message: isText, status: optional(int()), detail: optional(isText) }),
  ),
  deadReason: optional(oneOf('rejected', 'expired', 'max-attempts', 'invalid', 'unknown-type')),
};

/** What each record field must be, for the development build's issues. */
const recordExpected = (): Record<keyof OutboxRecord, string> => {
  const finiteNumber = 'a finite number';
  return {
    v: 'an integer',
    seq: 'an integer ≥ 1',
    id: 'a non-empty string',
    type: 'a non-empty string',
    payload: '',
    channel: 'a string',
    idempotencyKey: 'a non-empty string',
    state: 'one of pending, in-flight, dead',
    attempts: 'an integer ≥ 0',
    createdAt: finiteNumber,
    nextAttemptAt: finiteNumber,
    leaseUntil: finiteNumber,
    lastDelayMs: finiteNumber,
    revivedAt: finiteNumber,
    lastFailure: 'a failure summary { category, message, status?, detail? }',
    deadReason: 'one of rejected, expired, max-attempts, invalid, unknown-type',
  };
};

/** Rules between fields, checked once every field passed: each one broken is reported. */
const recordRules: ReadonlyArray<[test: (r: OutboxRecord) => boolean, issue: string]> = [
  [
    (r) => (r.state === 'dead') === (r.deadReason !== undefined),
    DEV ? 'deadReason: must be set exactly when state is "dead"' : 'deadReason',
  ],
  [
    (r) => r.state !== 'in-flight' || r.leaseUntil !== undefined,
    DEV ? 'leaseUntil: an in-flight record must carry leaseUntil' : 'leaseUntil',
  ],
  // A quarantined record keeps whatever it held, so its payload is not checked again.
  [
    (r) => r.type !== 'http' || r.deadReason === 'invalid' || isHttpPayload(r.payload),
    DEV
      ? 'payload: an http entry needs a payload { url, method, headers, body: Uint8Array | null }'
      : 'payload',
  ],
];

/** Whether a value is a payload `outboxHttp`'s handler can replay. */
export function isHttpPayload(value: unknown): value is HttpPayload {
  return passes(value, httpPayloadFields);
}

export type RecordReadResult =
  | { kind: 'ok'; record: OutboxRecord; migrated: boolean }
  /** Written by newer code: left untouched for that code to deliver. */
  | { kind: 'future' }
  | { kind: 'invalid'; issues: string[] };

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
  if (!isPlainObject(raw))
    return { kind: 'invalid', issues: [DEV ? 'the record is not an object' : '(record)'] };
  const v = raw.v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return { kind: 'invalid', issues: [DEV ? 'v: the record carries no shape version' : 'v'] };
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
  const issues = checkFields(record, recordFields, recordExpected);
  if (issues.length === 0)
    for (const [test, issue] of recordRules) if (!test(record as unknown as OutboxRecord)) issues.push(issue);
  if (issues.length > 0) return { kind: 'invalid', issues };
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
