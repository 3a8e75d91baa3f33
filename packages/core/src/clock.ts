/**
 * The single source of time for every Bulletproof module. Injecting it keeps
 * tests deterministic (fake timers, virtual clocks) and lets state machines
 * compare timestamps instead of trusting throttled background-tab timers.
 */
export interface Clock {
  /** The current time, in milliseconds since the Unix epoch (as `Date.now()`). */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer armed by this clock's `setTimeout`, given its handle. */
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now` and the global timers, looked up at call time so fake timers apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};

/**
 * The longest delay a timer holds: 2³¹−1 ms, about 24.8 days. Browsers and Node fire a
 * longer timeout at once (or after it wraps), which turned a server's `Retry-After` of a
 * month into a drain loop; every delay option is bounded by it too.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * What every timer is armed with: `ms` brought within what timers hold — at most
 * `MAX_TIMER_MS`, and 0 for a negative or NaN delay. A wait clamped short just wakes its
 * owner early; every owner decides by comparing timestamps, so an early wake changes nothing
 * but timing.
 */
export function clampDelay(ms: number): number {
  // `!(ms > 0)` also catches NaN.
  if (!(ms > 0)) return 0;
  return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
}

/** Arms `fn` on `clock` after `ms`, clamped by `clampDelay`: the one way the SDK starts a timer. */
export function setTimer(clock: Clock, fn: () => void, ms: number): unknown {
  return clock.setTimeout(fn, clampDelay(ms));
}
