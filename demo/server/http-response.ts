import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FieldIssue } from './validation.js';

/** A response as data, so the HTTP layer can send it, store it for replay, or drop it. */
export interface ApiResponse {
  readonly status: number;
  /** JSON-serialisable; `undefined` means no body (204). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Machine-readable `error` codes of the JSON error bodies. */
export type ApiErrorCode =
  | 'invalid_json'
  | 'validation_failed'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused'
  | 'injected_failure'
  | 'rejected'
  | 'unavailable'
  | 'internal_error'
  | 'misdirected_request'
  | 'forbidden_origin'
  | 'unsupported_media_type';

export interface ApiErrorBody {
  readonly error: ApiErrorCode;
  readonly message: string;
  readonly fields?: readonly FieldIssue[];
}

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers ? { status, body, headers } : { status, body };
}

export function apiError(
  status: number,
  error: ApiErrorCode,
  message: string,
  extra?: { fields?: readonly FieldIssue[]; headers?: Record<string, string> },
): ApiResponse {
  const body: ApiErrorBody = extra?.fields ? { error, message, fields: extra.fields } : { error, message };
  return json(status, body, extra?.headers);
}

/** Every API response is uncacheable: the demo's data and chaos change from one request to the next. */
export function sendResponse(res: ServerResponse, response: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.status;
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.body === undefined) {
    res.end();
    return;
  }
  const payload = JSON.stringify(response.body);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(payload));
  res.end(payload);
}

export type BodyResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly tooLarge: true };

/** Reads the request body as UTF-8; past `limitBytes` it stops keeping data but drains the rest. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(
        tooLarge ? { ok: false, tooLarge: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') },
      );
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('The client aborted the request.')));
  });
}
