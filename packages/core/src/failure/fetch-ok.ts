import { HttpError } from './errors.js';
import { failedResponse } from './failed-response.js';

/**
 * `fetch` that rejects on a non-2xx response with an `HttpError` carrying status, headers
 * and body, so every failure of a call travels the same path (classify → retry → breaker).
 * Which responses fail is `failedResponse`'s rule; the error adds the body, read within bounds
 * (see `HttpError.from`) and only while the call's signal allows: an abort during it rejects
 * with the signal's reason, as `fetch` does.
 */
export async function fetchOk(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (!failedResponse(res)) return res;
  const signal =
    init?.signal ?? (typeof Request !== 'undefined' && input instanceof Request ? input.signal : undefined);
  const error = signal ? await HttpError.from(res, { signal }) : await HttpError.from(res);
  if (signal?.aborted) throw signal.reason;
  throw error;
}
