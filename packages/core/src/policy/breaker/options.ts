import {
  boolean,
  custom,
  fn,
  literal,
  number,
  object,
  optional,
  refine,
  union,
  unknown,
  type Schema,
} from '../../check/schema.js';
import type { Clock } from '../../clock.js';
import type { Failure } from '../../failure/types.js';
import { clockSchema, methodsSchema, msSchema, nonEmptyStringSchema, rateSchema } from '../../validate.js';
import { backoffSchema } from '../backoff.js';
import type { Backoff, BreakerSnapshot, BreakerState, BreakerWindow, Policy } from '../types.js';
import type { Observable } from '../../observable.js';
import type { StorageLike } from './persist.js';
import type { BreakerSavedState } from './record.js';
import type { BroadcastChannelConstructor } from './tab-share.js';

/** Options of `circuitBreaker`: when it opens, for how long, how it recovers and whether its state is shared or kept. */
export interface BreakerOptions {
  /** Names the dependency in events, errors, snapshots, and the tab channel / storage key. */
  name: string;
  /**
   * How recent outcomes decide to open. Default `{ kind: 'consecutive', failures: 5 }`.
   * `count`: the last `size` calls; `time`: the calls of the last `durationMs`. Both open when
   * at least `minimumCalls` calls (default: `size`, resp. 10) have a failure rate ≥ `failureRate`.
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
  /** `'tabs'`: mirror state to same-named breakers in same-origin tabs (BroadcastChannel). */
  share?: false | 'tabs';
  /**
   * `'local'`: keep the state, window counts included, in localStorage and restore it after a
   * reload (`initialState`, when given, is restored instead).
   */
  persist?: false | 'local';
  /**
   * State to start from, as an earlier `toJSON()` gave it (say, kept by the app). It is checked
   * as data from outside: anything malformed, of another format, from another kind or size of
   * window, or beyond what this breaker could have written (an opening longer than its
   * `openForMs`) is ignored. An isolation is never restored.
   */
  initialState?: BreakerSavedState;
  clock?: Clock;
  /** Injected for tests; default `globalThis.BroadcastChannel`. */
  BroadcastChannel?: BroadcastChannelConstructor;
  /** Injected for tests; default `globalThis.localStorage`. */
  localStorage?: StorageLike;
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

type WindowOf<K extends BreakerWindow['kind']> = Extract<BreakerWindow, { kind: K }>;

const count = () => number({ int: true, gte: 1 });
const optionalCount = () => optional(count());

/** One schema per window kind; the `kind` picks which one checks the rest. */
const windowSchemas = (): { readonly [K in BreakerWindow['kind']]: Schema<WindowOf<K>> } => ({
  consecutive: object<WindowOf<'consecutive'>>({ kind: literal('consecutive'), failures: count() }),
  count: refine(
    object<WindowOf<'count'>>({
      kind: literal('count'),
      size: count(),
      failureRate: rateSchema,
      minimumCalls: optionalCount(),
    }),
    (w) => w.minimumCalls === undefined || w.minimumCalls <= w.size,
    'must not exceed window.size (the window never holds more calls)',
    ['minimumCalls'],
  ),
  time: object<WindowOf<'time'>>({
    kind: literal('time'),
    durationMs: number({ gte: 1 }),
    failureRate: rateSchema,
    minimumCalls: optionalCount(),
  }),
});

/** A window of an unknown kind is reported at its `kind`, listing the kinds there are. */
const unknownKind = () =>
  object<{ kind: string }>(
    { kind: literal(...(Object.keys(windowSchemas()) as BreakerWindow['kind'][])) },
    true,
  );

const windowSchema: Schema<BreakerWindow> = (value, path, issues) => {
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  const schema =
    typeof kind === 'string' && Object.hasOwn(windowSchemas(), kind)
      ? windowSchemas()[kind as BreakerWindow['kind']]
      : unknownKind();
  schema(value, path, issues);
};

export const breakerOptionsSchema = () =>
  object<BreakerOptions>({
    name: nonEmptyStringSchema,
    window: optional(windowSchema),
    slowCall: optional(object({ thresholdMs: msSchema, rate: rateSchema })),
    openForMs: optional(union(msSchema, backoffSchema)),
    halfOpen: optional(
      object({ probes: optionalCount(), successesToClose: optionalCount(), waitForProbe: optional(boolean) }),
    ),
    countIf: optional(fn<(f: Failure) => boolean>()),
    failureOf: optional(fn<(value: unknown) => unknown>()),
    share: optional(literal(false, 'tabs')),
    persist: optional(literal(false, 'local')),
    // Foreign data: checked when restored, in every build, and ignored when bad.
    initialState: optional(unknown as Schema<BreakerSavedState>),
    clock: optional(clockSchema),
    BroadcastChannel: optional(
      custom<BroadcastChannelConstructor>((v) => typeof v === 'function', 'a constructor'),
    ),
    localStorage: optional(methodsSchema<StorageLike>(['getItem'], 'a Storage')),
  });
