import { HttpError } from './errors.js';

/**
 * `fetch` that rejects on a non-2xx response with an `HttpError` carrying status, headers
 * and body, so every failure of a call travels the same path (classify → retry → breaker).
 */
export async function fetchOk(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (!res.ok) throw await HttpError.from(res);
  return res;
}
