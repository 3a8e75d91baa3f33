import { array, fn, object, optional, string, type Shape } from '../check/schema.js';
import { DEV } from '../dev.js';
import { parseOptions } from '../validate.js';
import { createHttpHandler, headerFilter, paramFilter, serializeRequest } from './http.js';
import type { HttpPayload, OutboxHandler, OutboxRequestInit } from './types.js';

/** Options of `outboxHttp`: what a queued request keeps on disk, and how it is sent again. */
export interface OutboxHttpOptions {
  /**
   * Runs before every send of an HTTP entry (apply fresh auth here) and returns the `Request` to
   * send; anything else fails the attempt with a `TypeError`.
   */
  prepare?: (req: Request) => Request | Promise<Request>;
  /** What HTTP entries are sent with. Default: `globalThis.fetch`, looked up at each send. */
  fetch?: typeof fetch;
  /**
   * HTTP headers kept with a queued request (an allow-list). Default: every header but those
   * that look like credentials — `Authorization`, `Cookie`, `Proxy-Authorization` and any name
   * with `auth`, `token`, `key`, `secret`, `session`, `csrf`, … in it (`X-API-Key`, `X-Auth-Token`).
   */
  persistHeaders?: string[];
  /**
   * Credential-like header or query parameter names to store anyway (deny by default). Query
   * parameters such as `access_token`, `api_key` or `sig` are otherwise removed from a queued
   * request's URL: `prepare` adds fresh ones at each send.
   */
  keepCredentials?: string[];
}

/**
 * An outbox's HTTP support, made by `outboxHttp` and handed to `createOutbox({ http })`:
 * the outbox uses it for `enqueueRequest` and to deliver `'http'` entries.
 */
export interface OutboxHttp {
  /** Delivers one `'http'` entry: rebuilds the request, runs `prepare`, sends it; anything but a 2xx throws. */
  readonly handler: OutboxHandler<HttpPayload>;
  /**
   * Reads a request into the payload stored for it (credentials left out, relative URLs
   * resolved against `base`), with the `Idempotency-Key` it already carried, if any.
   */
  serialize(
    req: OutboxRequestInit,
    base: string | undefined,
  ): Promise<{ payload: HttpPayload; idempotencyKey?: string }>;
}

/** What `outboxHttp` checks, in the development build; the service worker entry checks its own against it too. */
export const outboxHttpShape = (): Shape<OutboxHttpOptions> => ({
  prepare: optional(fn<(req: Request) => Request | Promise<Request>>()),
  fetch: optional(fn<typeof fetch>()),
  persistHeaders: optional(array(string())),
  keepCredentials: optional(array(string())),
});

/**
 * HTTP for an outbox: `createOutbox({ http: outboxHttp() })` lets it queue requests
 * (`enqueueRequest`) and deliver them as `'http'` entries. Kept apart so that an outbox
 * delivering through its own handlers carries none of it.
 *
 * Requests are stored as bytes without their credentials (headers and query parameters that
 * look like one, unless `keepCredentials` names them); `prepare` applies fresh ones at each send.
 */
export function outboxHttp(o?: OutboxHttpOptions): OutboxHttp {
  if (DEV) parseOptions(optional(object<OutboxHttpOptions>(outboxHttpShape())), o, 'outboxHttp()');
  const injectedFetch = o?.fetch;
  const keepHeader = headerFilter(o?.persistHeaders, o?.keepCredentials);
  const keepParam = paramFilter(o?.keepCredentials);
  return {
    // Looked up at each send, so a fetch patched after creation (tests, polyfills) is used.
    handler: createHttpHandler(injectedFetch ? () => injectedFetch : () => globalThis.fetch, o?.prepare),
    serialize: (req, base) => serializeRequest(req, keepHeader, base, keepParam),
  };
}
