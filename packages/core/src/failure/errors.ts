/** How much of an error body `HttpError.from` keeps; a huge error page is not worth holding in memory. */
const MAX_BODY_CHARS = 64 * 1024;

export interface HttpErrorInit {
  headers?: HeadersInit;
  body?: unknown;
  statusText?: string;
  url?: string;
  message?: string;
}

/** A response that arrived but was not a success (non-2xx). */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body?: unknown;
  readonly url: string;

  constructor(status: number, init: HttpErrorInit = {}) {
    const statusText = init.statusText ?? '';
    const url = init.url ?? '';
    super(init.message ?? `HTTP ${status}${statusText ? ` ${statusText}` : ''}${url ? ` from ${url}` : ''}`);
    this.status = status;
    this.statusText = statusText;
    this.url = url;
    this.headers = new Headers(init.headers);
    if (init.body !== undefined) this.body = init.body;
  }

  /**
   * Builds the error from a response, reading its body as JSON (when it says so and parses)
   * or text. Never throws: an unreadable or already-consumed body is simply left out, because
   * failing to describe a failure must not replace it with a different one.
   */
  static async from(res: Response): Promise<HttpError> {
    let body: unknown;
    try {
      if (!res.bodyUsed && res.body !== null) {
        const text = await res.text();
        body = text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text;
        const type = res.headers.get('content-type') ?? '';
        if (/[/+]json\b/i.test(type) && text.length <= MAX_BODY_CHARS) {
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
    return new HttpError(res.status, { headers, body, statusText: res.statusText, url: res.url });
  }
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
