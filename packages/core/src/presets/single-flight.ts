import { NEVER_ABORTED, PolicyBase, rejected, runNext, type Call, type ChainLink } from '../policy/base.js';
import type { Operation, Policy } from '../policy/types.js';

/** The one execution in progress, and how many callers still wait for it. */
interface Flight {
  promise: Promise<unknown>;
  waiting: number;
  controller: AbortController;
}

class SingleFlightPolicy extends PolicyBase {
  #flight: Flight | undefined;

  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    if (signal.aborted) return rejected(signal.reason);
    let flight = this.#flight;
    if (flight?.controller.signal.aborted) {
      // Every caller gave up on it, and it is still winding down: joining would hand this call
      // their abort, and starting beside it would run the operation twice at once. It starts
      // afresh once that execution has landed.
      const landed = flight.promise;
      const restart = () => this.run(fn, signal, attempt, chain, index, call);
      if (signal === NEVER_ABORTED) return landed.then(restart, restart);
      // Joined to nothing yet, it hears its own abort at once rather than when that execution
      // lands (never, if the operation ignores its signal); `restart` then refuses to start it.
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason as Error);
        const start = () => {
          signal.removeEventListener('abort', onAbort);
          restart().then(resolve, reject);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        landed.then(start, start);
      });
    }
    if (!flight) {
      // Its own signal: one caller giving up must not cancel it for the others.
      const controller = new AbortController();
      let promise: Promise<unknown>;
      try {
        promise = Promise.resolve(runNext(fn, controller.signal, attempt, chain, index + 1, call));
      } catch (error) {
        promise = rejected(error);
      }
      const started: Flight = { promise, waiting: 0, controller };
      // Registered first, so it runs before any caller hears the outcome: a call made then starts afresh.
      const land = () => {
        if (this.#flight === started) this.#flight = undefined;
      };
      promise.then(land, land);
      this.#flight = flight = started;
    }
    const shared = flight;
    shared.waiting++;
    if (signal === NEVER_ABORTED) return shared.promise as Promise<T>;
    return new Promise<T>((resolve, reject) => {
      // A caller that gives up stops waiting; the execution is aborted once nobody waits.
      const onAbort = () => {
        if (--shared.waiting === 0) shared.controller.abort(signal.reason);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      (shared.promise as Promise<T>)
        .finally(() => {
          signal.removeEventListener('abort', onAbort);
        })
        .then(resolve, reject);
    });
  }
}

/**
 * Calls made while one is in progress share it: the operation runs once, and every caller
 * gets its outcome. Meant for a call that must not run twice at once, such as refreshing a
 * session (with rotating refresh tokens, a second concurrent refresh presents a token the
 * first already used, which a server may take for theft and end the session). A caller that
 * aborts its signal is rejected at once with its reason; the shared execution ends early only
 * when every caller waiting for it has aborted.
 */
export function singleFlight(): Policy {
  return new SingleFlightPolicy(undefined);
}
