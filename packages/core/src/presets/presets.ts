import { custom, object, optional } from '../check/schema.js';
import { isAmbiguous } from '../failure/ambiguous.js';
import type { Failure } from '../failure/types.js';
import { exponentialBackoff } from '../policy/backoff.js';
import { bulkhead } from '../policy/bulkhead.js';
import { consecutiveFailures, countWindow, type BreakerWindow } from '../policy/breaker/windows.js';
import { parseOptions } from '../validate.js';
import { DEV } from '../dev.js';
import {
  buildPreset,
  countSchema,
  presetShape,
  type Preset,
  type PresetDefaults,
  type PresetOptions,
} from './preset.js';
import { singleFlight } from './single-flight.js';

// The reasoning behind every number is in docs/presets.md; keep the two in step.

/** Half of the last 20 calls failed, once 5 are in: enough traffic to judge by a rate. */
const RATE: BreakerWindow = /* @__PURE__ */ countWindow({ size: 20, failureRate: 0.5, minimumCalls: 5 });
/** Three failures in a row: for calls too rare for a rate to mean anything. */
const THREE: BreakerWindow = /* @__PURE__ */ consecutiveFailures(3);

const READ: PresetDefaults = {
  name: 'read',
  kind: 'read',
  timeoutMs: 10_000,
  maxAttempts: 3,
  maxElapsedMs: 30_000,
  breaker: { window: RATE },
  critical: false,
  silent: false,
};

const WRITE: PresetDefaults = {
  ...READ,
  name: 'write',
  kind: 'write',
  timeoutMs: 15_000,
  maxAttempts: 2,
};

const UPLOAD: PresetDefaults = {
  name: 'upload',
  kind: 'write',
  timeoutMs: 120_000,
  maxAttempts: 2,
  backoff: exponentialBackoff({ initialMs: 1_000 }),
  breaker: { window: THREE },
  critical: false,
  silent: false,
};

const TELEMETRY: PresetDefaults = {
  name: 'telemetry',
  kind: 'write',
  timeoutMs: 5_000,
  maxAttempts: 1,
  breaker: { window: THREE, openForMs: 60_000 },
  critical: false,
  silent: true,
};

const AUTH_REFRESH: PresetDefaults = {
  name: 'authRefresh',
  kind: 'write',
  timeoutMs: 5_000,
  maxAttempts: 2,
  maxElapsedMs: 10_000,
  // A refresh the server may have applied is not sent again: with rotating refresh tokens the
  // repeat would present a token already used, which ends the session.
  retryIf: (f: Failure) => f.retryable && !isAmbiguous(f),
  breaker: { window: THREE, openForMs: 10_000 },
  critical: true,
  silent: true,
};

const THIRD_PARTY: PresetDefaults = {
  name: 'thirdParty',
  kind: 'read',
  timeoutMs: 5_000,
  aggressive: true,
  maxAttempts: 1,
  breaker: { window: THREE, openForMs: 60_000 },
  critical: false,
  silent: true,
};

/** An upload's options: every preset's, and how many uploads run at once. */
export interface UploadPresetOptions extends PresetOptions {
  /** Uploads running at once. Default 2. */
  concurrency?: number;
  /** Uploads waiting for a turn (`Infinity` for no bound); one more is refused with `BulkheadRejectedError`. Default 100. */
  queue?: number;
}

/** The preset with its options checked (in development) and its defaults filled in. */
function preset(d: PresetDefaults) {
  return (o?: PresetOptions): Preset => {
    if (DEV) parseOptions(optional(object(presetShape())), o, `presets.${d.name}()`);
    return buildPreset(d, o, d === AUTH_REFRESH ? singleFlight : undefined);
  };
}

/**
 * Policies for the kinds of call a web app makes, each a named, documented bundle of
 * defaults that any option overrides. Each returns a `Preset`: a dependency for
 * `createProtection({ dependencies: { api: presets.read() } })`, whose `policy` also
 * composes with `pipeline(…)`. docs/presets.md gives every default and the reason for it.
 */
export const presets = {
  /**
   * Reads of an API: 10 s per attempt, 3 attempts (no wait ending past 30 s), a breaker on
   * the failure rate of the last 20 calls. The user is told when one fails.
   */
  read: preset(READ),
  /**
   * Writes: 15 s per attempt, 2 attempts, the read's breaker. Its calls are writes: one is
   * sent again after an ambiguous failure only if it sent `ctx.idempotencyKey`. Pair it with
   * the outbox (`protect(…, { offline })`) so that a write nobody could deliver waits.
   */
  write: preset(WRITE),
  /**
   * Uploads: 2 at a time (100 more wait their turn), 2 minutes per attempt, 2 attempts 1 s
   * apart, a breaker that opens after 3 failures in a row.
   */
  upload(o?: UploadPresetOptions): Preset {
    if (DEV) {
      const queue = custom<number>(
        (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0),
        'an integer ≥ 0 (or Infinity)',
      );
      const shape = { ...presetShape(), concurrency: countSchema(1), queue: optional(queue) };
      parseOptions(optional(object<UploadPresetOptions>(shape)), o, 'presets.upload()');
    }
    return buildPreset(UPLOAD, o, () => bulkhead({ limit: o?.concurrency ?? 2, queue: o?.queue ?? 100 }));
  },
  /**
   * Analytics and telemetry: one 5 s attempt, silent, never critical, a breaker that stops
   * sending for a minute after 3 failures in a row. Send with `sendTelemetry`.
   */
  telemetry: preset(TELEMETRY),
  /**
   * Refreshing the session: calls made while one runs share it (`singleFlight`), 5 s per
   * attempt, a second attempt only after a failure the server cannot have applied. Critical,
   * and silent: the app tells the user to sign in again its own way.
   */
  authRefresh: preset(AUTH_REFRESH),
  /**
   * Third-party scripts and SDKs: one 5 s attempt, let go at the deadline even if it ignores
   * its signal, silent, a breaker that leaves it alone for a minute after 3 failures in a row.
   */
  thirdParty: preset(THIRD_PARTY),
};
