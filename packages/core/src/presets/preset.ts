import { boolean, fn, number, optional, type Schema, type Shape } from '../check/schema.js';
import type { Clock } from '../clock.js';
import type { Failure } from '../failure/types.js';
import { backoffSchema } from '../policy/backoff.js';
import { circuitBreaker } from '../policy/breaker/circuit-breaker.js';
import { breakerOptionsSchema, type BreakerOptions, type CircuitBreaker } from '../policy/breaker/options.js';
import { pipeline } from '../policy/pipeline.js';
import { retry } from '../policy/retry.js';
import { timeout } from '../policy/timeout.js';
import type { Backoff, ExecuteOptions, Operation, Policy } from '../policy/types.js';
import { clockSchema, hasMethods, msSchema, nonEmptyStringSchema, positiveMsSchema } from '../validate.js';

/**
 * A named bundle of a policy and the defaults of the calls made through it. It is a
 * dependency as `createProtection({ dependencies: { api: presets.read() } })` takes it, and
 * its `policy` composes with `pipeline(…)` like any other.
 */
export interface Preset {
  /** The calls' policy: a pipeline, outermost first (see docs/presets.md for each preset's). */
  readonly policy: Policy;
  /** Whether an open breaker of this dependency degrades the app further. */
  readonly critical: boolean;
  /** Whether its calls tell the user nothing (unless a call says otherwise). */
  readonly silent: boolean;
  /** What its calls are, unless a call says: a write is not repeated after an ambiguous failure without its key. */
  readonly kind: 'read' | 'write';
}

/** A preset's breaker settings to change; the rest keep the preset's. */
export type PresetBreakerOptions = Omit<BreakerOptions, 'name' | 'clock'>;

/** What every preset lets you change. Left out, an option keeps the preset's default. */
export interface PresetOptions {
  /** Names the breaker (in events, snapshots, the tab channel, the storage key). Default: the preset's name. */
  name?: string;
  /** How long one attempt may take. */
  timeoutMs?: number;
  /** Attempts in all, the first included; 1 for no retry. */
  maxAttempts?: number;
  /** Wait between attempts. */
  backoff?: Backoff;
  /** No retry wait that would end past this long after the first attempt (see `RetryOptions`). */
  maxElapsedMs?: number;
  /** Which failures to retry (see `RetryOptions`). */
  retryIf?: (f: Failure, attempt: number) => boolean;
  /**
   * Breaker settings laid over the preset's (`window`, `openForMs`, …), a breaker of your own
   * (to share one between the presets of one backend), or `false` for none.
   */
  breaker?: PresetBreakerOptions | CircuitBreaker | false;
  /** Whether its open breaker degrades the app further. */
  critical?: boolean;
  /** Whether its calls tell the user nothing. */
  silent?: boolean;
  clock?: Clock;
}

/** A preset's defaults: the options it fills in, and what the caller cannot change through options. */
export interface PresetDefaults {
  name: string;
  kind: 'read' | 'write';
  timeoutMs: number;
  /** An operation that ignores its signal (a script loading) is let go at the deadline. */
  aggressive?: boolean;
  maxAttempts: number;
  backoff?: Backoff;
  maxElapsedMs?: number;
  retryIf?: (f: Failure, attempt: number) => boolean;
  breaker: PresetBreakerOptions;
  critical: boolean;
  silent: boolean;
}

const isBreaker = (v: unknown): v is CircuitBreaker => hasMethods(v, 'execute', 'isolate', 'reset');

/** Breaker settings are checked as `circuitBreaker` checks them, named under `breaker`. */
const breakerSchema: Schema<NonNullable<PresetOptions['breaker']>> = (value, path, issues) => {
  if (value === false || isBreaker(value)) return;
  if (typeof value !== 'object' || value === null)
    issues.push({ path, message: 'must be false, breaker options or a CircuitBreaker' });
  else breakerOptionsSchema()({ ...value, name: 'preset' }, path, issues);
};

/** A count option: an integer ≥ `gte`. */
export const countSchema = (gte: number) => optional(number({ int: true, gte }));

/** The checks of every preset's options (a preset with options of its own adds theirs). */
export const presetShape = (): Shape<PresetOptions> => ({
  name: optional(nonEmptyStringSchema),
  timeoutMs: optional(positiveMsSchema),
  maxAttempts: countSchema(1),
  backoff: optional(backoffSchema),
  maxElapsedMs: optional(msSchema),
  retryIf: optional(fn<(f: Failure, attempt: number) => boolean>()),
  breaker: optional(breakerSchema),
  critical: optional(boolean),
  silent: optional(boolean),
  clock: optional(clockSchema),
});

/**
 * A write preset's policy, for use on its own (`presets.write().policy.execute(fn)`): its calls
 * are writes, as through `createProtection` — not idempotent unless the call says so or its
 * operation reads `ctx.idempotencyKey` — so a write whose answer was lost is not sent again blind.
 */
function forWrites(policy: Policy): Policy {
  const writes: Policy & { readonly policies: readonly Policy[] } = {
    // Where `createProtection` finds the preset's breaker, as in a pipeline.
    policies: [policy],
    events$: policy.events$,
    execute: <T>(fn: Operation<T>, opts?: ExecuteOptions) =>
      policy.execute(fn, { ...opts, idempotent: opts?.idempotent ?? false }),
  };
  return writes;
}

/**
 * Builds a preset from its defaults and the caller's options (checked already): `outer` (a bulkhead, a single flight), then the breaker, the retry (only with more
 * than one attempt) and the timeout of each attempt.
 */
export function buildPreset(
  d: PresetDefaults,
  o: PresetOptions | undefined,
  outer?: (clock: Clock | undefined) => Policy,
): Preset {
  const clock = o?.clock;
  const policies: Policy[] = outer ? [outer(clock)] : [];
  const breaker = o?.breaker ?? d.breaker;
  if (isBreaker(breaker)) policies.push(breaker);
  else if (breaker)
    policies.push(circuitBreaker({ ...d.breaker, ...breaker, name: o?.name ?? d.name, clock }));
  const maxAttempts = o?.maxAttempts ?? d.maxAttempts;
  if (maxAttempts > 1) {
    policies.push(
      retry({
        maxAttempts,
        backoff: o?.backoff ?? d.backoff,
        maxElapsedMs: o?.maxElapsedMs ?? d.maxElapsedMs,
        retryIf: o?.retryIf ?? d.retryIf,
        clock,
      }),
    );
  }
  policies.push(
    timeout(o?.timeoutMs ?? d.timeoutMs, { mode: d.aggressive ? 'aggressive' : 'cooperative', clock }),
  );
  const policy = pipeline(...policies);
  return {
    policy: d.kind === 'write' ? forWrites(policy) : policy,
    critical: o?.critical ?? d.critical,
    silent: o?.silent ?? d.silent,
    kind: d.kind,
  };
}
