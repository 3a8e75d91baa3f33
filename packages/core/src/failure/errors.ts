import { setTimer, systemClock, type Clock } from '../clock.js';

/**
 * How much of an error body `HttpError.from` reads: a huge error page is not worth holding in
 * memory, so the rest is never downloaded.
 */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * How long `HttpError.from` waits for an error body: a body that never ends (a hostile or
 * broken server) must not hold the failure back. What arrived by then is kept.
 */
export const ERROR_BODY_TIME_LIMIT_MS = 10_000;

export interface HttpErrorFromOptions {
  /** Stops reading the body when aborted (the call's own signal): what arrived is kept. */
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * How much of the server's own explanation `HttpError.from` puts in the message: enough for a
 * sentence such as "Title must not be empty", short enough for a toast or an outbox row.
 */
const MAX_DETAIL_CHARS = 200;

/** What `new HttpError(status, init)` is built from besides the status; every field is optional. */
export interface HttpErrorInit {
  headers?: HeadersInit;
  body?: unknown;
  statusText?: string;
  url?: string;
  message?: string;
  /** The server's own explanation, fit to show a person (see `HttpError.from`). */
  detail?: string;
}

/** A response that arrived but was not a success (non-2xx). */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body?: unknown;
  readonly url: string;
  /**
   * The server's own explanation of the refusal ("Title must not be empty"), when its body
   * carried one: the part of the message fit to show the person using the app.
   */
  readonly detail?: string;

  constructor(status: number, init: HttpErrorInit = {}) {
    const statusText = init.statusText ?? '';
    const url = init.url ?? '';
    super(init.message ?? statusLine(status, statusText, url));
    this.status = status;
    this.statusText = statusText;
    this.url = url;
    this.headers = new Headers(init.headers);
    if (init.body !== undefined) this.body = init.body;
    if (init.detail !== undefined) this.detail = init.detail;
  }

  /**
   * Builds the error from a response, reading its body as JSON (when it says so and parses)
   * or text. Never throws: an unreadable or already-consumed body is simply left out, because
   * failing to describe a failure must not replace it with a different one.
   *
   * When the body carries a human explanation, the message ends with it (at most 200
   * characters): `HTTP 422 Unprocessable Entity from /api/notes/x: Title must not be empty`.
   * It is taken from a JSON body's `detail` (RFC 9457), `message`, `error.message`, `error`,
   * the first of `errors` (JSON:API, GraphQL) or `title`, or from a short, single-line
   * `text/plain` body; never from an HTML page.
   *
   * At most `MAX_ERROR_BODY_BYTES` of the body are read, for at most `ERROR_BODY_TIME_LIMIT_MS`
   * or until `o.signal` aborts; the rest of the body is cancelled, never downloaded.
   */
  static async from(res: Response, o: HttpErrorFromOptions = {}): Promise<HttpError> {
    let body: unknown;
    let type = '';
    try {
      if (!res.bodyUsed && res.body !== null) {
        const [text, complete] = await readBounded(res, o);
        body = text;
        type = res.headers.get('content-type') ?? '';
        if (/[/+]json\b/i.test(type) && complete) {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            // Malformed JSON: the text is still the best description we have.
          }
        }
        if (body === '') body = undefined;
      }
    } catch {
      body = undefined;
    }
    let headers: Headers;
    try {
      headers = res.headers;
    } catch {
      headers = new Headers();
    }
    const { status, statusText, url } = res;
    const init: HttpErrorInit = { headers, body, statusText, url };
    try {
      const detail = bodyDetail(body, type, statusText);
      if (detail !== undefined) {
        init.message = `${statusLine(status, statusText, url)}: ${detail}`;
        init.detail = detail;
      }
    } catch {
      // A response-like object with odd fields (no statusText): the plain status message will do.
    }
    return new HttpError(status, init);
  }
}

/**
 * Reads a response body as text, up to `MAX_ERROR_BODY_BYTES`, the time limit or the signal,
 * whichever comes first: the text, and whether it is the whole body.
 */
async function readBounded(
  res: Response,
  o: HttpErrorFromOptions,
): Promise<[text: string, complete: boolean]> {
  const stream = res.body as ReadableStream<Uint8Array> | null;
  if (!stream || typeof stream.getReader !== 'function') {
    // A response-like object without a stream: its text is all there is.
    const text = await res.text();
    return [text.slice(0, MAX_ERROR_BODY_BYTES), text.length <= MAX_ERROR_BODY_BYTES];
  }
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const clock = o.clock ?? systemClock;
  const signal = o.signal;
  let text = '';
  let bytes = 0;
  let complete = false;
  let stop: (() => void) | undefined;
  const stopped = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
  const timer = setTimer(clock, () => stop?.(), ERROR_BODY_TIME_LIMIT_MS);
  const onAbort = () => stop?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (!signal?.aborted) {
      const chunk = await Promise.race([reader.read(), stopped]);
      if (chunk === undefined) break; // time limit or signal
      if (chunk.done) {
        complete = true;
        break;
      }
      const room = MAX_ERROR_BODY_BYTES - bytes;
      const value = chunk.value.byteLength > room ? chunk.value.subarray(0, room) : chunk.value;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (bytes >= MAX_ERROR_BODY_BYTES) break;
    }
    text += decoder.decode();
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // Whatever is left is not wanted: the connection is freed at once.
    if (!complete) reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
  return [text, complete];
}

/** `HTTP 422 Unprocessable Entity from /api/notes/x`: the message when the body says nothing more. */
function statusLine(status: number, statusText: string, url: string): string {
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}${url ? ` from ${url}` : ''}`;
}

/**
 * The human explanation a response body carries, made fit for a one-line message; undefined
 * when there is none. Only fields that conventionally hold prose are read: a body of any other
 * shape is left in `body`, because guessing at it could put an id or a stack trace on screen.
 */
function bodyDetail(body: unknown, contentType: string, statusText: string): string | undefined {
  let found: unknown;
  if (typeof body === 'string') {
    // A short plain-text reason ("Quota exceeded") reads well; a page or a dump does not.
    if (!/^text\/plain\b/i.test(contentType)) return undefined;
    const text = body.trim();
    if (text.length > MAX_DETAIL_CHARS || /[\r\n]/.test(text) || text.startsWith('<')) return undefined;
    found = text;
  } else if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const nested = record['error'];
    const nestedMessage =
      typeof nested === 'object' && nested !== null
        ? (nested as Record<string, unknown>)['message']
        : undefined;
    // A list of errors (JSON:API, GraphQL): the first one speaks for the response.
    const list = record['errors'];
    const first: unknown = Array.isArray(list) ? list[0] : undefined;
    const listed =
      typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
    // Most specific first: a problem's `detail` describes this occurrence, its `title` only the kind.
    found = [
      record['detail'],
      record['message'],
      nestedMessage,
      nested,
      listed?.['detail'],
      listed?.['message'],
      record['title'],
      listed?.['title'],
    ].find((candidate) => typeof candidate === 'string' && candidate.trim() !== '');
  }
  if (typeof found !== 'string') return undefined;
  const detail = found.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  // A title that repeats the status text ("Not Found") adds nothing to the message.
  if (detail === '' || detail.toLowerCase() === statusText.toLowerCase()) return undefined;
  return truncate(detail, MAX_DETAIL_CHARS);
}

/** Cuts `text` to at most `max` characters, marking the cut with `…` and never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** An operation took longer than its time limit. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  /** The limit that was exceeded, when known. */
  readonly afterMs?: number;

  constructor(message?: string, afterMs?: number) {
    super(
      message ?? (afterMs === undefined ? 'Operation timed out' : `Operation timed out after ${afterMs} ms`),
    );
    if (afterMs !== undefined) this.afterMs = afterMs;
  }
}

/** A circuit breaker refused the call without running it. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
  /** The breaker's name. */
  readonly breaker: string;
  /**
   * How long until the breaker admits a call again: 0 while half-open probes are in flight,
   * `Infinity` while isolated (only a release reopens it).
   */
  readonly retryAfterMs: number;

  constructor(breaker: string, retryAfterMs: number, message?: string) {
    super(message ?? `Circuit "${breaker}" is open`);
    this.breaker = breaker;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A bulkhead refused the call without running it: `limit` calls were running and its queue was full. */
export class BulkheadRejectedError extends Error {
  override name = 'BulkheadRejectedError';
  /** How many calls the bulkhead runs at once. */
  readonly limit: number;
  /** How many calls may wait for a slot. */
  readonly queue: number;

  constructor(limit: number, queue: number) {
    super(`Bulkhead full (${limit} running, ${queue} queued)`);
    this.limit = limit;
    this.queue = queue;
  }
}
