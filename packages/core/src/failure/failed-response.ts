import { HttpError } from './errors.js';

/**
 * A ready `failureOf` predicate for `retry` and `circuitBreaker`: a `Response` that is not ok
 * (non-2xx) → an `HttpError` with its status, status text, URL and headers (so `Retry-After`
 * is honoured); anything else → undefined. It never reads the body, so it is synchronous and
 * leaves the body to the caller. Any object shaped like a `Response` (`ok`, `status`) counts,
 * so a response from another frame or a fetch polyfill does too.
 */
export function failedResponse(value: unknown): HttpError | undefined {
  const res = value as Partial<Response> | null;
  if (typeof res !== 'object' || res === null || res.ok !== false || typeof res.status !== 'number')
    return undefined;
  const headers = res.headers;
  return new HttpError(res.status, {
    statusText: typeof res.statusText === 'string' ? res.statusText : '',
    url: typeof res.url === 'string' ? res.url : '',
    ...(typeof Headers !== 'undefined' && headers instanceof Headers ? { headers } : {}),
  });
}
