import { fn, literal, number, object, optional } from '../check/schema.js';
import type { Backoff } from './types.js';
import { methodsSchema, msSchema, parseOptions } from '../validate.js';
import { DEV } from '../dev.js';

/** How `exponentialBackoff` spreads its delays so that clients failing together do not retry together. */
export type Jitter = 'decorrelated' | 'full' | 'equal' | 'none';

/** Options of `linearBackoff`: the first delay and the step added per attempt, in ms. */
export interface LinearBackoffOptions {
  initialMs: number;
  stepMs: number;
  /** Upper bound of any delay; default unbounded. */
  maxMs?: number;
}

/** Options of `exponentialBackoff`; delays in ms. */
export interface ExponentialBackoffOptions {
  /** The first delay (with `decorrelated` jitter: the median first delay). Default 200. */
  initialMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Upper bound of any delay. Default 30 000. */
  maxMs?: number;
  /** Default 'decorrelated'. */
  jitter?: Jitter;
  /** Source of randomness in [0, 1); default `Math.random`. Inject for deterministic tests. */
  random?: () => number;
}

/** Any object with a `delay(attempt, previousDelayMs?)` method. */
export const backoffSchema = /* @__PURE__ */ methodsSchema<Backoff>(
  ['delay'],
  'a Backoff ({ delay(attempt) })',
);

const linearSchema = () =>
  object<LinearBackoffOptions>({
    initialMs: msSchema,
    stepMs: msSchema,
    maxMs: optional(msSchema),
  });

const exponentialSchema = () =>
  optional(
    object<ExponentialBackoffOptions>({
      initialMs: optional(msSchema),
      factor: optional(number({ gte: 1 })),
      maxMs: optional(msSchema),
      jitter: optional(literal('decorrelated', 'full', 'equal', 'none')),
      random: optional(fn<() => number>()),
    }),
  );

/** Attempt numbers count from 1; anything odd (0, NaN, 2.5) is read as the nearest sensible attempt. */
function exponentOf(attempt: number): number {
  return Number.isFinite(attempt) && attempt >= 1
    ? Math.floor(attempt) - 1
    : attempt === Infinity
      ? Infinity
      : 0;
}

/** Clamps a computed delay into [0, maxMs]; overflow (Infinity) and NaN become `maxMs`, never NaN. */
function bounded(value: number, maxMs: number): number {
  if (Number.isNaN(value) || value === Infinity) return maxMs;
  return value <= 0 ? 0 : value >= maxMs ? maxMs : value;
}

// Polly's "decorrelated jitter V2" (Polly.Contrib.WaitAndRetry, George Polevoy's formula,
// the default of Polly v8): the delay before retry n is the growth of
// f(t) = factor^t · tanh(√(4t)) between a random point of the previous interval and a
// random point of this one, scaled so that the median first delay is `initialMs`.
const P_FACTOR = 4;
const RP_SCALING_FACTOR = 1 / 1.4;

function polly(t: number, factor: number): number {
  return Math.pow(factor, t) * Math.tanh(Math.sqrt(P_FACTOR * t));
}

/** The same delay every time, e.g. for `circuitBreaker`'s `openForMs` or a fixed retry pause. */
export function constantBackoff(ms: number): Backoff {
  if (DEV) parseOptions(msSchema, ms, 'constantBackoff()', 'ms');
  return { delay: () => ms, maxMs: ms };
}

/** `initialMs + (attempt − 1) · stepMs`, capped at `maxMs`. */
export function linearBackoff(o: LinearBackoffOptions): Backoff {
  if (DEV) parseOptions(linearSchema(), o, 'linearBackoff()');
  const { initialMs, stepMs, maxMs = Infinity } = o;
  return { delay: (attempt) => bounded(initialMs + exponentOf(attempt) * stepMs, maxMs), maxMs };
}

/**
 * `initialMs · factor^(attempt − 1)` capped at `maxMs`, spread by jitter so that clients
 * failing together do not retry together (`retry`'s default):
 * - `decorrelated` (default): Polly's V2 formula — smooth exponential growth, no clustering.
 *   Each delay draws its own start point in the previous interval, so the backoff keeps no
 *   state and one instance is safe to share between concurrent retries.
 * - `full`: uniform in [0, d]; `equal`: uniform in [d/2, d]; `none`: exactly d.
 * Any attempt, even 10 000, yields a finite delay within `maxMs`.
 */
export function exponentialBackoff(o?: ExponentialBackoffOptions): Backoff {
  if (DEV) parseOptions(exponentialSchema(), o, 'exponentialBackoff()');
  const {
    initialMs = 200,
    factor = 2,
    maxMs = 30_000,
    jitter = 'decorrelated',
    random = Math.random,
  } = o ?? {};
  const delay = (attempt: number): number => {
    const n = exponentOf(attempt);
    if (initialMs === 0) return 0;
    if (jitter === 'decorrelated') {
      const next = polly(n + random(), factor);
      // Past t ≈ 1024 the formula overflows; Infinity − Infinity would be NaN.
      if (!Number.isFinite(next)) return maxMs;
      const previous = n === 0 ? 0 : polly(n - 1 + random(), factor);
      return bounded((next - previous) * RP_SCALING_FACTOR * initialMs, maxMs);
    }
    const d = bounded(initialMs * Math.pow(factor, n), maxMs);
    if (jitter === 'none') return d;
    return bounded(jitter === 'full' ? random() * d : d / 2 + (random() * d) / 2, maxMs);
  };
  return { delay, maxMs };
}
