import type { Clock } from '@bulletproof/core';
import { DEFAULT_CHAOS_ERROR_STATUS, type ChaosSettings } from './chaos-settings.js';
import { mulberry32 } from './prng.js';

/**
 * What chaos does to one request. Decided up front, before the request is
 * handled, so the HTTP layer only carries the decision out.
 */
export type ChaosDecision =
  | { readonly action: 'pass'; readonly delayMs: number }
  | {
      readonly action: 'error';
      readonly delayMs: number;
      readonly status: number;
      readonly retryAfterSeconds: number | undefined;
      readonly cause: 'error-rate' | 'flapping' | 'ramp';
    }
  | { readonly action: 'hang'; readonly cause: 'hang' | 'flapping' | 'ramp' }
  | { readonly action: 'drop'; readonly delayMs: number; readonly cause: 'drop' | 'flapping' }
  | { readonly action: 'reject'; readonly delayMs: number; readonly status: number; readonly message: string }
  | { readonly action: 'lose-response'; readonly delayMs: number };

export interface ChaosRequest {
  readonly method: string;
  readonly path: string;
}

/** Everything besides the settings a decision depends on; no hidden state. */
export interface ChaosRuntime {
  readonly now: number;
  /** Uniform in [0, 1); drawn only when a decision needs chance, in a fixed order. */
  readonly random: () => number;
  readonly flappingSince: number;
  readonly rampSince: number;
  readonly rejectsLeft: number;
}

const PASS: ChaosDecision = { action: 'pass', delayMs: 0 };
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The control endpoints (`/api/_chaos`, `/api/_stats`, `/api/_reset`): chaos must never lock the operator out. */
export function isControlPath(path: string): boolean {
  return path.startsWith('/api/_');
}

export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

/**
 * Decides what chaos does to a request: a pure function of the settings, the
 * request, the time and the random source. Precedence, first match wins:
 * flapping (while down) → ramp (once past its duration) → hang → drop →
 * error rate → reject (writes) → lose-response (writes) → pass. Latency
 * (fixed + jitter + the ramp's current latency) delays every outcome but hang.
 */
export function decideChaos(
  settings: ChaosSettings,
  request: ChaosRequest,
  runtime: ChaosRuntime,
): ChaosDecision {
  if (isControlPath(request.path) || !inScope(settings, request)) return PASS;
  const { random } = runtime;
  const write = isWriteMethod(request.method);

  let delayMs = settings.latency?.fixedMs ?? 0;
  const jitterMs = settings.latency?.jitterMs ?? 0;
  if (jitterMs > 0) delayMs += Math.round(random() * jitterMs);

  const failure = (cause: 'error-rate' | 'flapping' | 'ramp', status: number | undefined): ChaosDecision => ({
    action: 'error',
    delayMs,
    status: status ?? settings.errorStatus ?? DEFAULT_CHAOS_ERROR_STATUS,
    retryAfterSeconds: settings.retryAfterSeconds,
    cause,
  });

  const { flapping } = settings;
  if (flapping && flappingPhase(flapping, runtime.now - runtime.flappingSince) === 'down') {
    const mode = flapping.mode ?? 'error';
    if (mode === 'hang') return { action: 'hang', cause: 'flapping' };
    if (mode === 'drop') return { action: 'drop', delayMs, cause: 'flapping' };
    return failure('flapping', flapping.status);
  }

  const { ramp } = settings;
  if (ramp) {
    const elapsed = Math.max(0, runtime.now - runtime.rampSince);
    if (elapsed >= ramp.durationMs) {
      if (ramp.then === 'hang') return { action: 'hang', cause: 'ramp' };
      return failure('ramp', ramp.status);
    }
    delayMs += rampLatencyMs(ramp, elapsed);
  }

  if (happens(settings.hang, random)) return { action: 'hang', cause: 'hang' };
  if (happens(settings.drop, random)) return { action: 'drop', delayMs, cause: 'drop' };
  if (happens(settings.errorRate, random)) return failure('error-rate', undefined);

  const { reject } = settings;
  if (write && reject && runtime.rejectsLeft > 0 && request.path.startsWith(reject.match ?? '/api/')) {
    const status = reject.status ?? 422;
    return {
      action: 'reject',
      delayMs,
      status,
      message: reject.message ?? 'The server rejected this write.',
    };
  }
  if (write && happens(settings.loseResponse, random)) return { action: 'lose-response', delayMs };
  return delayMs > 0 ? { action: 'pass', delayMs } : PASS;
}

/** Flapping starts down, so turning it on shows an effect at once. */
export function flappingPhase(flapping: { downMs: number; upMs: number }, elapsedMs: number): 'down' | 'up' {
  const position = Math.max(0, elapsedMs) % (flapping.downMs + flapping.upMs);
  return position < flapping.downMs ? 'down' : 'up';
}

/** Linear from `startLatencyMs` at 0 to `peakLatencyMs` at `durationMs`. */
export function rampLatencyMs(
  ramp: { durationMs: number; startLatencyMs?: number | undefined; peakLatencyMs: number },
  elapsedMs: number,
): number {
  const start = ramp.startLatencyMs ?? 0;
  const progress = Math.min(1, Math.max(0, elapsedMs) / ramp.durationMs);
  return Math.round(start + (ramp.peakLatencyMs - start) * progress);
}

function inScope(settings: ChaosSettings, request: ChaosRequest): boolean {
  const method = request.method.toUpperCase();
  if (settings.methods && !settings.methods.some((allowed) => allowed === method)) return false;
  if (settings.paths && !settings.paths.some((prefix) => request.path.startsWith(prefix))) return false;
  return true;
}

/** Certain outcomes (`true`, 1, `false`, 0) draw nothing, so they do not shift the seeded sequence. */
function happens(chance: boolean | number | undefined, random: () => number): boolean {
  if (chance === undefined || chance === false || chance === 0) return false;
  if (chance === true || chance === 1) return true;
  return random() < chance;
}

export interface ChaosStatus {
  readonly flapping?: { readonly phase: 'down' | 'up'; readonly since: number };
  readonly ramp?: { readonly since: number; readonly latencyMs: number; readonly failing: boolean };
  /** Writes still to be rejected; `null` when `reject` is unset, `-1` for "all while set". */
  readonly rejectsLeft: number | null;
}

/**
 * Holds the live chaos settings and the little state decisions depend on
 * (schedule start times, the seeded random source, the reject budget), and
 * feeds them to `decideChaos`.
 */
export class ChaosController {
  #settings: ChaosSettings = {};
  #random: () => number;
  #flappingSince = 0;
  #rampSince = 0;
  #rejectsLeft = 0;
  readonly #clock: Clock;
  readonly #defaultSeed: number;

  constructor(clock: Clock, defaultSeed: number) {
    this.#clock = clock;
    this.#defaultSeed = defaultSeed;
    this.#random = mulberry32(defaultSeed);
  }

  get settings(): ChaosSettings {
    return this.#settings;
  }

  /**
   * Replaces the settings. A schedule (flapping, ramp) and the reject budget
   * restart only when their own settings change, so re-sending the whole
   * object to change one control does not restart a running ramp. A seed
   * restarts the random sequence every time it is sent.
   */
  apply(next: ChaosSettings): void {
    const previous = this.#settings;
    const now = this.#clock.now();
    if (!sameJson(previous.flapping, next.flapping)) this.#flappingSince = now;
    if (!sameJson(previous.ramp, next.ramp)) this.#rampSince = now;
    if (!sameJson(previous.reject, next.reject)) this.#rejectsLeft = next.reject?.count ?? Infinity;
    if (next.seed !== undefined) this.#random = mulberry32(next.seed);
    this.#settings = next;
  }

  reset(): void {
    this.#settings = {};
    this.#random = mulberry32(this.#defaultSeed);
    this.#rejectsLeft = 0;
  }

  decide(request: ChaosRequest): ChaosDecision {
    const decision = decideChaos(this.#settings, request, {
      now: this.#clock.now(),
      random: this.#random,
      flappingSince: this.#flappingSince,
      rampSince: this.#rampSince,
      rejectsLeft: this.#rejectsLeft,
    });
    if (decision.action === 'reject') this.#rejectsLeft -= 1;
    return decision;
  }

  status(): ChaosStatus {
    const { flapping, ramp, reject } = this.#settings;
    const now = this.#clock.now();
    const rampElapsed = now - this.#rampSince;
    return {
      ...(flapping && {
        flapping: { phase: flappingPhase(flapping, now - this.#flappingSince), since: this.#flappingSince },
      }),
      ...(ramp && {
        ramp: {
          since: this.#rampSince,
          latencyMs: rampLatencyMs(ramp, rampElapsed),
          failing: rampElapsed >= ramp.durationMs,
        },
      }),
      rejectsLeft: reject ? (Number.isFinite(this.#rejectsLeft) ? this.#rejectsLeft : -1) : null,
    };
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
