import { CircuitOpenError, HttpError, TimeoutError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import type { Failure, FailureCategory, Impact } from './types.js';

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

const RETRYABLE: Record<FailureCategory, boolean> = {
  offline: true,
  network: true,
  timeout: true,
  server: true,
  'rate-limited': true,
  auth: false,
  client: false,
  'circuit-open': true,
  aborted: false,
  storage: false,
  unknown: false,
};

const IMPACT: Record<FailureCategory, Impact> = {
  offline: 'high',
  network: 'high',
  timeout: 'medium',
  server: 'high',
  'rate-limited': 'medium',
  auth: 'high',
  client: 'medium',
  'circuit-open': 'medium',
  aborted: 'negligible',
  // Storage failures put the user's unsent writes at risk.
  storage: 'critical',
  unknown: 'medium',
};

/**
 * Messages fetch implementations use for a request that never got a response: Chromium,
 * Firefox, Safari, Node (undici) and common polyfills. Other `TypeError`s are programming
 * errors, and retrying a bug only hides it.
 */
const FETCH_FAILURE =
  /failed to fetch|fetch failed|networkerror|network ?error|network request failed|load failed|internet connection|network connection was lost|err_|econn|enotfound|etimedout|eai_again/i;

/** DOMException names raised by IndexedDB and storage quotas. */
const STORAGE_ERRORS = new Set([
  'QuotaExceededError',
  'TransactionInactiveError',
  'ReadOnlyError',
  'VersionError',
  'ConstraintError',
  'DataError',
  'DataCloneError',
  'InvalidStateError',
  'NotFoundError',
  'UnknownError',
]);

function make(
  category: FailureCategory,
  message: string,
  cause: unknown,
  extra?: { status?: number; retryAfterMs?: number | undefined },
): Failure {
  const failure: Failure = {
    category,
    retryable: RETRYABLE[category],
    impact: IMPACT[category],
    message,
    cause,
  };
  if (extra?.status !== undefined) failure.status = extra.status;
  if (extra?.retryAfterMs !== undefined && Number.isFinite(extra.retryAfterMs))
    failure.retryAfterMs = extra.retryAfterMs;
  return failure;
}

function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  try {
    return String(error);
  } catch {
    return 'Unknown error';
  }
}

function isFailure(value: unknown): value is Failure {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Failure>;
  return (
    typeof v.category === 'string' &&
    v.category in RETRYABLE &&
    typeof v.retryable === 'boolean' &&
    typeof v.impact === 'string' &&
    'cause' in v
  );
}

/** Reads `status` and `headers` from error shapes other libraries use (`err.status`, `err.response.status`). */
function httpShape(error: unknown): { status: number; headers?: Headers } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const holder = error as { status?: unknown; response?: unknown };
  const response = holder.response as { status?: unknown; headers?: unknown } | undefined;
  const status =
    typeof holder.status === 'number'
      ? holder.status
      : typeof response?.status === 'number'
        ? response.status
        : undefined;
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers = response?.headers instanceof Headers ? response.headers : undefined;
  return headers ? { status, headers } : { status };
}

function classifyStatus(
  status: number,
  headers: Headers | undefined,
  error: unknown,
  hints: ClassifyHints | undefined,
): Failure {
  const retryAfterMs = parseRetryAfter(headers?.get('retry-after'), hints?.now);
  const message = messageOf(error);
  const extra = { status, retryAfterMs };
  if (status === 429) return make('rate-limited', message, error, extra);
  if (status === 503 && retryAfterMs !== undefined) return make('rate-limited', message, error, extra);
  // A conflict that says when to ask again, or an earlier request with the same key still running.
  if (status === 409 && (retryAfterMs !== undefined || hints?.keyed === true)) {
    return make('rate-limited', message, error, extra);
  }
  // 501 says the server will never support this request: asking again cannot help.
  if (status === 501) return make('client', message, error, extra);
  if (status >= 500) return make('server', message, error, extra);
  if (status === 401 || status === 403) return make('auth', message, error, extra);
  // 408 is the server giving up waiting for the request: a timeout, and worth another try.
  if (status === 408) return make('timeout', message, error, extra);
  if (status >= 400) return make('client', message, error, extra);
  return make('unknown', message, error, extra);
}

/**
 * Turns anything thrown into a `Failure`: what kind of problem it is, whether trying again
 * can help and how much it matters to the user. Never throws.
 */
export function classifyFailure(error: unknown, hints?: ClassifyHints): Failure {
  if (isFailure(error)) return error;
  const name = nameOf(error);

  if (error instanceof CircuitOpenError) {
    return make('circuit-open', error.message, error, { retryAfterMs: error.retryAfterMs });
  }
  // A response that arrived says more than anything that happened to the signal afterwards.
  if (error instanceof HttpError) {
    const failure = classifyStatus(error.status, error.headers, error, hints);
    return error.detail === undefined ? failure : { ...failure, detail: error.detail };
  }
  // An aborted signal explains whatever the operation threw: a deadline (a TimeoutError
  // reason) is a timeout, anything else the caller giving up.
  if (hints?.signal?.aborted) {
    const reason: unknown = hints.signal.reason;
    const timedOut = reason instanceof TimeoutError || nameOf(reason) === 'TimeoutError';
    return make(timedOut ? 'timeout' : 'aborted', messageOf(error), error);
  }
  if (error instanceof TimeoutError || name === 'TimeoutError')
    return make('timeout', messageOf(error), error);
  if (name === 'AbortError') return make('aborted', messageOf(error), error);
  if (
    name !== undefined &&
    STORAGE_ERRORS.has(name) &&
    (typeof DOMException === 'undefined' || error instanceof DOMException || name === 'QuotaExceededError')
  ) {
    return make('storage', messageOf(error), error);
  }
  if (name === 'NetworkError' || (error instanceof TypeError && FETCH_FAILURE.test(error.message))) {
    return make(hints?.online === false ? 'offline' : 'network', messageOf(error), error);
  }
  const shaped = httpShape(error);
  if (shaped) return classifyStatus(shaped.status, shaped.headers, error, hints);
  return make('unknown', messageOf(error), error);
}
