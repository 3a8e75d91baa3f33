import { DEV } from '../dev.js';

/**
 * What a `failureOf` predicate says of a value: the error to treat it as, or undefined/null for
 * a success. A predicate may answer with a boolean too, as `(r) => !r.ok` does: `false` is a
 * success, and `true` makes the value its own error, classified as if thrown (so a `Response`'s
 * status counts). Whatever the predicate throws propagates.
 */
export function failureIn(failureOf: (value: unknown) => unknown, value: unknown): unknown {
  const error = failureOf(value);
  if (DEV && typeof (error as PromiseLike<unknown> | null)?.then === 'function')
    throw new TypeError('failureOf must answer synchronously: it returned a promise');
  return error === true ? (value ?? error) : error === false ? undefined : error;
}
