import {
  boolean,
  custom,
  fn,
  number,
  object,
  optional,
  union,
  unknown,
  type Schema,
} from '../../check/schema.js';
import type { Clock } from '../../clock.js';
import type { Failure } from '../../failure/types.js';
import { clockSchema, hasMethods, msSchema, nonEmptyStringSchema, rateSchema } from '../../validate.js';
import { backoffSchema } from '../backoff.js';
import type { Backoff, BreakerSnapshot, BreakerState, Policy } from '../types.js';
import type { BreakerWindow } from './windows.js';
import type { Observable } from '../../observable.js';
import type { BreakerPersistence } from './persist.js';
import type { BreakerSavedState } from './record.js';
import type { BreakerSharing } from './tab-share.js';

/** Options of `circuitBreaker`: when it opens, for how long, how it recovers and whether its state is shared or kept. */
export interface BreakerOptions {
  /** Names the dependency in events, errors, snapshots, and the tab channel / storage key. */
  name: string;
  /**
   * How recent outcomes decide to open. Default `consecutiveFailures(5)`. `countWindow({…})`
   * judges the last `size` calls, `timeWindow({…})` the calls of the last `durationMs`; both
   * open when at least `minimumCalls` calls have a failure rate ≥ `failureRate`.
   */
  window?: BreakerWindow;
  /**
   * Calls slower than `thresholdMs` (successful or not) count towards opening: the breaker
   * opens when their share reaches `rate`. In a consecutive window a slow call counts as a failure.
   */
  slowCall?: { thresholdMs: number; rate: number };
  /** How long an opening lasts. Default 30 000; a `Backoff` lengthens repeated openings. */
  openForMs?: number | Backoff;
  /**
   * `probes` calls at a time try the dependency when half-open; `successesToClose` successes
   * close it. `waitForProbe: true`: a call that finds every probe in flight waits for an outcome
   * instead of failing at once with `CircuitOpenError` — it runs once the probe succeeds, and
   * rejects with `CircuitOpenError` when the probe fails. Aborting a waiting call rejects it
   * alone. A waiting call waits as long as the probe takes: bound the probe with a `timeout`
   * inside the breaker (a probe that never settles counts as failed once an opening's length
   * has passed, and the waiting calls are refused then). Default false.
   */
  halfOpen?: { probes?: number; successesToClose?: number; waitForProbe?: boolean };
  /**
   * Which failures count. Default: network, timeout, server, rate-limited. Others leave the
   * breaker as it is; an abort (the caller giving up) never counts.
   */
  countIf?: (f: Failure) => boolean;
  /**
   * Says which returned values are failures: given what a call resolved with, it returns an
   * error describing the failure (e.g. `failedResponse`: a `Response` that is not ok → an
   * `HttpError`), or `undefined`/`null` for a success; `true`/`false` are accepted too (`true`:
   * the value is its own error). The breaker counts such a value as that
   * error (subject to `countIf`) and passes the value on unchanged. If it throws, the call
   * rejects with what it threw, counted like a thrown error.
   */
  failureOf?: (value: unknown) => unknown;
  /** `shareAcrossTabs()`: mirror state to same-named breakers in same-origin tabs (BroadcastChannel). */
  share?: false | BreakerSharing;
  /**
   * `persistInLocalStorage()`: keep the state, window counts included, and restore it after a
   * reload (`initialState`, when given, is restored instead).
   */
  persist?: false | BreakerPersistence;
  /**
   * State to start from, as an earlier `toJSON()` gave it (say, kept by the app). It is checked
   * as data from outside: anything malformed, of another format, from another kind or size of
   * window, or beyond what this breaker could have written (an opening longer than its
   * `openForMs`) is ignored. An isolation is never restored.
   */
  initialState?: BreakerSavedState;
  clock?: Clock;
}

export interface CircuitBreaker extends Policy {
  readonly name: string;
  readonly state: BreakerState;
  readonly snapshot: BreakerSnapshot;
  /** The current snapshot on subscribe, then one per state change. */
  readonly state$: Observable<BreakerSnapshot>;
  /** Holds the breaker open until every returned release has been called (each counts once). */
  isolate(): () => void;
  /** Back to closed with an empty window, dropping any isolation. */
  reset(): void;
  /** Stops mirroring to other tabs (closes the BroadcastChannel). */
  dispose(): void;
  /**
   * Everything the breaker knows, as plain data: its state and times, and its window's counts.
   * `circuitBreaker({ …, initialState })` starts from it; `JSON.stringify(breaker)` calls it.
   */
  toJSON(): BreakerSavedState;
}

const optionalCount = () => optional(number({ int: true, gte: 1 }));

/** What replaces each removed `{ kind: … }` window: the dev build's error says it. */
const WINDOW_FACTORIES: Record<string, string> = {
  consecutive: 'consecutiveFailures(failures)',
  count: 'countWindow({ size, failureRate, minimumCalls })',
  time: 'timeWindow({ durationMs, failureRate, minimumCalls })',
};

const windowSchema: Schema<BreakerWindow> = (value, path, issues) => {
  if (hasMethods(value, 'create')) return;
  const kind = (value as { kind?: unknown } | null | undefined)?.kind;
  const replacement =
    typeof kind === 'string' && Object.hasOwn(WINDOW_FACTORIES, kind) ? WINDOW_FACTORIES[kind] : undefined;
  issues.push({
    path,
    message: replacement
      ? `must be made by ${replacement}: the { kind: '${String(kind)}' } form was removed`
      : 'must be a window made by consecutiveFailures(), countWindow() or timeWindow()',
  });
};

/**
 * `false`, or an object with `methods` made by `factory`; the string the option took before
 * (`share: 'tabs'`, `persist: 'local'`) is refused with the factory to call instead.
 */
const removedString =
  <T>(old: string, factory: string, methods: readonly string[]): Schema<false | T> =>
  (value, path, issues) => {
    if (value === false || hasMethods(value, ...methods)) return;
    issues.push({
      path,
      message:
        value === old
          ? `must be made by ${factory}: the '${old}' string was removed`
          : `must be false or made by ${factory}`,
    });
  };

/** Options a breaker took before they moved to `shareAcrossTabs` and `persistInLocalStorage`. */
interface MovedOptions {
  BroadcastChannel?: never;
  localStorage?: never;
}

export const breakerOptionsSchema = () =>
  object<BreakerOptions & MovedOptions>({
    name: nonEmptyStringSchema,
    window: optional(windowSchema),
    slowCall: optional(object({ thresholdMs: msSchema, rate: rateSchema })),
    openForMs: optional(union(msSchema, backoffSchema)),
    halfOpen: optional(
      object({ probes: optionalCount(), successesToClose: optionalCount(), waitForProbe: optional(boolean) }),
    ),
    countIf: optional(fn<(f: Failure) => boolean>()),
    failureOf: optional(fn<(value: unknown) => unknown>()),
    share: optional(removedString<BreakerSharing>('tabs', 'shareAcrossTabs()', ['connect'])),
    persist: optional(
      removedString<BreakerPersistence>('local', 'persistInLocalStorage()', ['load', 'save']),
    ),
    // Foreign data: checked when restored, in every build, and ignored when bad.
    initialState: optional(unknown as Schema<BreakerSavedState>),
    clock: optional(clockSchema),
    // Moved to the objects that use them: the dev build says where.
    BroadcastChannel: optional(custom<never>(() => false, 'given to shareAcrossTabs({ BroadcastChannel })')),
    localStorage: optional(custom<never>(() => false, 'given to persistInLocalStorage({ storage })')),
  });
