import { clampDelay } from '../../clock.js';
import type { BreakerState } from '../types.js';
import type { BreakerWindowRecord } from './windows.js';

/** The part of a breaker's state that other tabs mirror (see `BreakerSavedState` for all of it). */
export interface BreakerRecord {
  state: BreakerState;
  openedAt?: number;
  openUntil?: number;
  /** Openings since the breaker last closed (drives a growing `openForMs` backoff). */
  opens: number;
  lastOpenMs?: number;
  /** Clock time of the transition: the latest one wins when tabs disagree. */
  at: number;
}

/**
 * Everything a breaker knows, as `breaker.toJSON()` gives it and `initialState` (or `persist:
 * 'local'` after a reload) restores it: plain data, fit for `JSON.stringify` and storage.
 */
export interface BreakerSavedState extends BreakerRecord {
  /** The format's version: state saved in another one is ignored. */
  v: number;
  /** The window's counts, so a breaker one failure short of opening still is after a reload. */
  window: BreakerWindowRecord;
}

/** The version of the record format, sent with every message and saved with every record. */
export const PROTOCOL = 1;

const STATES: readonly unknown[] = ['closed', 'open', 'half-open', 'isolated'];

/** The record's optional fields, all times or durations in ms. */
const OPTIONAL_TIMES = ['openedAt', 'openUntil', 'lastOpenMs'] as const;

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a record that came from another tab or from storage; anything foreign is rejected, never trusted. */
export function parseRecord(value: unknown): BreakerRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  // A count of openings is a whole number: a fraction or one beyond exact integers was not written by a breaker.
  if (!STATES.includes(v.state) || !finite(v.at) || !Number.isSafeInteger(v.opens) || (v.opens as number) < 0)
    return undefined;
  const record: BreakerRecord = { state: v.state as BreakerState, opens: v.opens as number, at: v.at };
  for (const key of OPTIONAL_TIMES) {
    const time = v[key];
    if (finite(time)) record[key] = time;
  }
  if ((record.state === 'open' || record.state === 'half-open') && record.openUntil === undefined)
    return undefined;
  return record;
}

/**
 * A record this breaker did not compute — saved before a reload, or sent by another tab —
 * brought within what the breaker could have written at `now`: no transition after now (a
 * device clock that ran ahead would otherwise make every later change look older and be
 * ignored), and no opening that outlasts `longestOpenMs`, the longest its `openForMs` gives
 * (a year-long `openUntil` would refuse every call for a year).
 */
export function boundRecord(record: BreakerRecord, now: number, longestOpenMs: number): BreakerRecord {
  const longest = clampDelay(longestOpenMs);
  const next: BreakerRecord = { ...record, at: Math.min(record.at, now) };
  if (next.openedAt !== undefined) next.openedAt = Math.min(next.openedAt, now);
  if (next.openUntil !== undefined) next.openUntil = Math.min(next.openUntil, now + longest);
  if (next.lastOpenMs !== undefined) next.lastOpenMs = Math.min(Math.max(next.lastOpenMs, 0), longest);
  return next;
}
