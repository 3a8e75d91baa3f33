import type { Clock } from '../clock.js';
import { classifyFailure } from '../failure/classify.js';
import type { Failure } from '../failure/types.js';
import { PolicyBase, runNext, type Call, type ChainLink } from './base.js';
import type { Operation, Policy } from './types.js';

/** A fallback value, or a function computing one from the failure. */
export type Alternative<T> = T | ((f: Failure) => T | Promise<T>);

class FallbackPolicy extends PolicyBase {
  readonly #alternatives: ReadonlyArray<Alternative<unknown>>;

  constructor(alternatives: ReadonlyArray<Alternative<unknown>>, clock?: Clock) {
    super(clock);
    this.#alternatives = alternatives;
  }

  async run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    try {
      return await runNext(fn, signal, attempt, chain, index + 1, call);
    } catch (error) {
      let lastError = error;
      for (let i = 0; i < this.#alternatives.length; i++) {
        // A caller who aborted wants no answer at all, not a substitute.
        if (signal.aborted) throw lastError;
        const failure = classifyFailure(lastError);
        if (failure.category === 'aborted') throw lastError;
        if (this.events.observed) this.events.next({ type: 'fallback', index: i, failure });
        const alternative = this.#alternatives[i];
        try {
          return (
            typeof alternative === 'function'
              ? await (alternative as (f: Failure) => unknown)(failure)
              : alternative
          ) as T;
        } catch (next) {
          lastError = next;
        }
      }
      throw lastError;
    }
  }
}

/**
 * When the operation fails, answers with the first alternative that works: values are used
 * as they are, functions are called with the failure (a function that throws passes on to
 * the next alternative, with its own failure). Emits a 'fallback' event per alternative
 * tried; rejects with the last error when all fail. A caller's abort is never replaced.
 */
export function fallback<T>(...alternatives: Array<Alternative<T>>): Policy {
  return new FallbackPolicy(alternatives);
}
