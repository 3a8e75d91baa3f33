import { setTimer, type Clock } from '../clock.js';
import { TimeoutError } from '../failure/errors.js';

/**
 * The limit on one delivery attempt when no `policy` is given, without the policy
 * machinery: at `ms` the handler's signal aborts with a `TimeoutError` and the attempt
 * rejects with one at once, so a handler that ignores its signal cannot hold its channel
 * (and the drain) forever. An abort of `outer` (the drain's) wins over the deadline. This
 * is what `timeout(ms, { mode: 'aggressive' })` does around a single operation.
 */
export function withDeadline<T>(
  run: (signal: AbortSignal) => Promise<T>,
  outer: AbortSignal,
  ms: number,
  clock: Clock,
): Promise<T> {
  if (outer.aborted) return Promise.reject(outer.reason as Error);
  return new Promise<T>((resolve, reject) => {
    // Rejected with whatever the abort or the handler gave, which need not be an Error.
    const fail: (reason: unknown) => void = reject;
    const controller = new AbortController();
    /** Set once the attempt has started: an abort the handler itself causes while starting does not cut it short. */
    let started = false;
    // Every way out goes through here: the timer and the listener never outlive the attempt.
    const cleanup = () => {
      clock.clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    };
    const stop = (reason: unknown) => {
      cleanup();
      controller.abort(reason);
      if (started) fail(reason);
    };
    const onAbort = () => stop(outer.reason);
    const timer = setTimer(clock, () => stop(new TimeoutError(undefined, ms)), ms);
    outer.addEventListener('abort', onAbort, { once: true });
    new Promise<T>((begin) => begin(run(controller.signal))).finally(cleanup).then(resolve, fail);
    started = true;
  });
}
