import { HttpError } from './errors.js';

/**
 * `fetch` that rejects on a non-2xx response with an `HttpError` carrying status, headers
 * and body, so every failure of a call travels the same path (classify → retry → breaker).
 * The error body is read within bounds (see `HttpError.from`) and only while the call's
 * signal allows: an abort during it rejects with the signal's reason, as `fetch` does.
 */
export async function fetchOk(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.ok) return res;
  const signal =
    init?.signal ?? (typeof Request !== 'undefined' && input instanceof Request ? input.signal : undefined);
  const error = signal ? await HttpError.from(res, { signal }) : await HttpError.from(res);
  if (signal?.aborted) throw signal.reason;
  throw error;
}
