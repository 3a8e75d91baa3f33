import { DEV } from '../dev.js';
import { HttpError } from '../failure/errors.js';
import type { HttpPayload, OutboxHandler, OutboxRequestInit } from './types.js';

/**
 * HTTP entries: a request is turned into plain data once, at enqueue, and back into a
 * request before every send.
 *
 * What Workbox's background sync gets wrong, and this does not: the body is stored as bytes
 * (Safari cannot store Blobs in IndexedDB), credentials are not frozen into the queue (they
 * are applied fresh by `prepare` at each send), and only a 2xx response counts as delivered.
 */

/** Headers never persisted by default: credentials must not sit on disk, and go stale anyway. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Header and query parameter names that look like they carry a credential (`X-API-Key`,
 * `X-Auth-Token`, `X-CSRF-Token`, `access_token`, `sig`, …). Deny by default: such a value is
 * not stored unless the app names it in `keepCredentials` (or lists the header in
 * `persistHeaders`), since a secret on disk outlives the session it belongs to. `author` is
 * not `auth`: dropping a parameter that is no credential would replay another request.
 */
const CREDENTIAL_LIKE =
  /auth(?!or)|token|secret|passw|pwd|cookie|session|csrf|xsrf|api[-_]?key|credential|signature|bearer|jwt|^(key|sig)$/i;

/**
 * A header with `key` anywhere in its name carries one too (`Ocp-Apim-Subscription-Key`,
 * `X-Functions-Key`, `X-Master-Key`) — but an idempotency key of another name
 * (`X-Idempotency-Key`) must be replayed as it was. Query parameters are not judged by `key`
 * alone: `sort_key` or `page_key` in a URL are not secrets, and dropping one changes the request.
 */
const CREDENTIAL_HEADER_LIKE = /key/i;
const IDEMPOTENCY_LIKE = /idempotency/i;

/** Whether a header or query parameter name looks like it carries a credential. */
export function isCredentialLike(name: string): boolean {
  return CREDENTIAL_HEADERS.includes(name.toLowerCase()) || CREDENTIAL_LIKE.test(name);
}

/** Whether a header name looks like it carries a credential (a broader rule than for query parameters). */
export function isCredentialLikeHeader(name: string): boolean {
  return isCredentialLike(name) || (CREDENTIAL_HEADER_LIKE.test(name) && !IDEMPOTENCY_LIKE.test(name));
}

const IDEMPOTENCY_HEADER = 'idempotency-key';

export interface SerializedRequest {
  payload: HttpPayload;
  /** An `Idempotency-Key` the request already carried: it becomes the entry's key. */
  idempotencyKey?: string;
}

/** Resolves relative URLs against the page (or worker) so a service worker can replay them. */
function absoluteUrl(url: string | URL, base: string | undefined): string {
  return new URL(url, base).href;
}

/**
 * Reads a request (or request-like object) into storable data: absolute URL, method, the
 * headers `keep` admits, and the body as bytes with its content type — for JSON and text,
 * `URLSearchParams`, `FormData` (multipart, encoded here with its boundary), Blobs and
 * binary bodies alike.
 */
export async function serializeRequest(
  input: OutboxRequestInit,
  keep: (header: string) => boolean,
  base: string | undefined,
  keepParam: (name: string) => boolean = paramFilter(undefined),
): Promise<SerializedRequest> {
  let url: string;
  let method: string;
  let headers: Headers;
  let bytes: ArrayBuffer | null;
  let credentials: RequestCredentials | undefined;
  if (typeof Request !== 'undefined' && input instanceof Request) {
    url = absoluteUrl(input.url, base);
    method = input.method;
    headers = input.headers;
    // A clone leaves the caller's request readable.
    bytes = input.body === null ? null : await input.clone().arrayBuffer();
    credentials = input.credentials;
  } else {
    // Checked at run time too: this is where a plain-JavaScript caller's mistake shows up.
    const unchecked = input as { url?: unknown } | null;
    if (
      typeof unchecked !== 'object' ||
      unchecked === null ||
      !(typeof unchecked.url === 'string' || unchecked.url instanceof URL)
    ) {
      throw new TypeError(
        DEV
          ? 'enqueueRequest(): expected a Request or { url, method?, headers?, body? }'
          : 'enqueueRequest(): bad request',
      );
    }
    const init = input as Exclude<OutboxRequestInit, Request>;
    url = absoluteUrl(init.url, base);
    method = (init.method ?? 'GET').toUpperCase();
    headers = new Headers(init.headers);
    bytes = null;
    if (init.body !== undefined && init.body !== null) {
      if (method === 'GET' || method === 'HEAD')
        throw new TypeError(`enqueueRequest(): a ${method} request cannot have a body`);
      // A Response encodes any BodyInit exactly as fetch would, multipart boundary included.
      const encoded = new Response(init.body);
      bytes = await encoded.arrayBuffer();
      const derived = encoded.headers.get('content-type');
      if (derived && !headers.has('content-type')) headers.set('content-type', derived);
    }
  }
  const persisted: Array<[string, string]> = [];
  let contentType: string | undefined;
  let idempotencyKey: string | undefined;
  headers.forEach((value, name) => {
    if (name === 'content-type') contentType = value;
    else if (name === IDEMPOTENCY_HEADER) idempotencyKey = value;
    else if (keep(name)) persisted.push([name, value]);
  });
  const payload: HttpPayload = {
    url: withoutCredentialParams(url, keepParam),
    method,
    headers: persisted,
    body:
      bytes === null || (bytes.byteLength === 0 && (method === 'GET' || method === 'HEAD'))
        ? null
        : new Uint8Array(bytes),
  };
  if (contentType !== undefined) payload.contentType = contentType;
  if (credentials !== undefined && credentials !== 'same-origin') payload.credentials = credentials;
  return idempotencyKey ? { payload, idempotencyKey } : { payload };
}

/**
 * Which headers to persist: an allow-list when given, otherwise everything but what looks
 * like a credential (unless named in `keepCredentials`).
 */
export function headerFilter(
  persistHeaders: string[] | undefined,
  keepCredentials: readonly string[] = [],
): (header: string) => boolean {
  if (persistHeaders) {
    const allowed = new Set(persistHeaders.map((h) => h.toLowerCase()));
    return (header) => allowed.has(header);
  }
  const kept = new Set(keepCredentials.map((h) => h.toLowerCase()));
  return (header) => kept.has(header) || !isCredentialLikeHeader(header);
}

/** Which query parameters to persist: all but what looks like a credential (unless named in `keepCredentials`). */
export function paramFilter(keepCredentials: readonly string[] | undefined): (name: string) => boolean {
  const kept = new Set((keepCredentials ?? []).map((h) => h.toLowerCase()));
  return (name) => kept.has(name.toLowerCase()) || !isCredentialLike(name);
}

/**
 * The URL without what may carry a credential: the query parameters `keep` refuses, a user
 * name and password (`https://user:pass@host`, which `fetch` refuses to send anyway, so the
 * entry could never be delivered) and the fragment (never sent to a server; where an OAuth
 * implicit flow puts its `access_token`). Unchanged, byte for byte, when there is none of these.
 */
function withoutCredentialParams(url: string, keep: (name: string) => boolean): string {
  const parsed = new URL(url);
  if (parsed.search === '' && parsed.username === '' && parsed.password === '' && parsed.hash === '')
    return url;
  const names = [...new Set(parsed.searchParams.keys())];
  const refused = names.filter((name) => !keep(name));
  if (refused.length === 0 && parsed.username === '' && parsed.password === '' && parsed.hash === '')
    return url;
  for (const name of refused) parsed.searchParams.delete(name);
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  return parsed.href;
}

/** The request a stored payload stands for, with the entry's idempotency key. */
export function toRequest(payload: HttpPayload, idempotencyKey: string, signal: AbortSignal): Request {
  const headers = new Headers(payload.headers);
  if (payload.contentType !== undefined) headers.set('content-type', payload.contentType);
  headers.set('Idempotency-Key', idempotencyKey);
  const init: RequestInit = { method: payload.method, headers, signal };
  if (payload.body !== null) init.body = payload.body as Uint8Array<ArrayBuffer>;
  if (payload.credentials !== undefined) init.credentials = payload.credentials;
  return new Request(payload.url, init);
}

/**
 * `outboxHttp`'s `http` handler: rebuilds the request, lets `prepare` refresh it (auth), sends
 * it, and treats anything but a 2xx response as a failure (`HttpError`, classified by status).
 */
export function createHttpHandler(
  fetchFn: () => typeof fetch,
  prepare: ((req: Request) => Request | Promise<Request>) | undefined,
): OutboxHandler<HttpPayload> {
  return async (payload, ctx) => {
    let request = toRequest(payload, ctx.idempotencyKey, ctx.signal);
    if (prepare) {
      request = await prepare(request);
      // Anything else (a missing `return`, a RequestInit) would be sent as a URL: in a browser,
      // fetch(undefined) asks for "/undefined", which an app's catch-all route answers 200, and
      // the write would count as delivered with nothing of it sent.
      if (typeof (request as Partial<Request> | undefined)?.url !== 'string')
        throw new TypeError('outboxHttp(): prepare must return a Request');
    }
    const response = await fetchFn()(request, { signal: ctx.signal });
    if (!response.ok) throw await HttpError.from(response, { signal: ctx.signal });
    // The body is not needed; cancelling frees the connection at once.
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  };
}
