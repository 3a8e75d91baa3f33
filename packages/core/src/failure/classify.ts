import { FAILURE_MEANINGS } from './meaning.js';
import { parseRetryAfter } from './retry-after.js';
import type { Failure, FailureCategory } from './types.js';

/** What the caller knows about the failed call that the error itself cannot tell `classifyFailure`. */
export interface ClassifyHints {
  /** The device's connectivity as known to the caller: `false` turns network failures into `offline`. */
  online?: boolean;
  /** The signal the operation ran with: when it is aborted, the failure is `aborted` (or `timeout`). */
  signal?: AbortSignal;
  /** Clock time used to turn a `Retry-After` HTTP date into a delay; defaults to `Date.now()`. */
  now?: number;
  /**
   * The request carried an `Idempotency-Key`. A `409 Conflict` to such a request says the
   * same write is still being processed (the IETF Idempotency-Key draft; express-idempotency
   * and `@node-idempotency` answer so): it is worth another try, not a refusal.
   */
  keyed?: boolean;
}

/**
 * Messages fetch implementations use for a request that never got a response: Chromium,
 * Firefox, Safari, Node (undici) and common polyfills. Other `TypeError`s are programming
 * errors, and retrying a bug only hides it.
 */
const FETCH_FAILURE =
  /failed to fetch|fetch failed|network( ?error| request failed| connection was lost)|load failed|internet connection|err_|econn|enotfound|etimedout|eai_again/i;

/** DOMException names raised by IndexedDB and storage quotas. */
const STORAGE_ERROR =
  /^(QuotaExceeded|TransactionInactive|ReadOnly|Version|Constraint|Data|DataClone|InvalidState|NotFound|Unknown)Error$/;

/** Loosely typed view of a thrown value, for reading the fields the error shapes below carry. */
interface Thrown {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  headers?: unknown;
  detail?: unknown;
  retryAfterMs?: unknown;
  response?: { status?: unknown; headers?: unknown } | null;
}

/** The thrown value as an object whose fields may be read, or undefined for a primitive. */
const fields = (error: unknown): Thrown | undefined =>
  typeof error === 'object' && error !== null ? error : undefined;

function nameOf(error: unknown): string | undefined {
  const name = fields(error)?.name;
  return typeof name === 'string' ? name : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  const message = fields(error)?.message;
  if (typeof message === 'string') return message;
  try {
    return String(error);
  } catch {
    return 'Unknown error';
  }
}

function isFailure(value: unknown): value is Failure {
  const v = fields(value) as Partial<Failure> | undefined;
  return (
    typeof v?.category === 'string' &&
    Object.hasOwn(FAILURE_MEANINGS, v.category) &&
    typeof v.retryable === 'boolean' &&
    typeof v.impact === 'string' &&
    'cause' in v
  );
}

const headersOf = (value: unknown): Headers | undefined =>
  typeof Headers !== 'undefined' && value instanceof Headers ? value : undefined;

/** Reads `status` from error shapes other libraries use (`err.status`, `err.response.status`). */
function statusOf(error: Thrown): number | undefined {
  const status = typeof error.status === 'number' ? error.status : error.response?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

/** What a response status says, given its `Retry-After` delay (if any). */
function statusCategory(status: number, retryAfterMs: number | undefined, keyed: boolean): FailureCategory {
  return status === 429 ||
    (status === 503 && retryAfterMs !== undefined) ||
    // A conflict that says when to ask again, or an earlier request with the same key still running.
    (status === 409 && (retryAfterMs !== undefined || keyed))
    ? 'rate-limited'
    : // 501 says the server will never support this request: asking again cannot help.
      status === 501
      ? 'client'
      : status >= 500
        ? 'server'
        : status === 401 || status === 403
          ? 'auth'
          : // 408 is the server giving up waiting for the request: a timeout, and worth another try.
            status === 408
            ? 'timeout'
            : status >= 400
              ? 'client'
              : 'unknown';
}

/**
 * Turns anything thrown into a `Failure`: what kind of problem it is, whether trying again
 * can help and how much it matters to the user. Never throws.
 *
 * The package's own errors are told by `name`, not `instanceof`: classifying does not pull
 * their code into a bundle, and an error made by another copy of the package is still known.
 */
export function classifyFailure(error: unknown, hints?: ClassifyHints): Failure {
  if (isFailure(error)) return error;
  const name = nameOf(error);
  const thrown = fields(error);
  let category: FailureCategory = 'unknown';
  let status: number | undefined;
  let headers: unknown;
  let retryAfterMs: unknown;
  if (name === 'CircuitOpenError') {
    category = 'circuit-open';
    retryAfterMs = thrown?.retryAfterMs;
  } else if (name === 'BulkheadRejectedError') {
    category = 'bulkhead-full';
  } else if (name === 'HttpError') {
    // A response that arrived says more than anything that happened to the signal afterwards.
    status = thrown?.status as number;
    headers = thrown?.headers;
  } else if (hints?.signal?.aborted) {
    // An aborted signal explains whatever the operation threw: a deadline (a TimeoutError
    // reason) is a timeout, anything else the caller giving up.
    category = nameOf(hints.signal.reason) === 'TimeoutError' ? 'timeout' : 'aborted';
  } else if (name === 'TimeoutError') {
    category = 'timeout';
  } else if (name === 'AbortError') {
    category = 'aborted';
  } else if (
    name !== undefined &&
    STORAGE_ERROR.test(name) &&
    (typeof DOMException === 'undefined' || error instanceof DOMException || name === 'QuotaExceededError')
  ) {
    category = 'storage';
  } else if (name === 'NetworkError' || (error instanceof TypeError && FETCH_FAILURE.test(error.message))) {
    category = hints?.online === false ? 'offline' : 'network';
  } else if (thrown) {
    status = statusOf(thrown);
    headers = thrown.response?.headers;
  }
  if (name === 'HttpError' || status !== undefined) {
    const delay = parseRetryAfter(headersOf(headers)?.get('retry-after'), hints?.now);
    category = statusCategory(status as number, delay, hints?.keyed === true);
    retryAfterMs = delay;
  }
  const { retryable, impact } = FAILURE_MEANINGS[category];
  const failure: Failure = { category, retryable, impact, message: messageOf(error), cause: error };
  if (status !== undefined) failure.status = status;
  if (Number.isFinite(retryAfterMs)) failure.retryAfterMs = retryAfterMs as number;
  if (name === 'HttpError' && typeof thrown?.detail === 'string') failure.detail = thrown.detail;
  return failure;
}
