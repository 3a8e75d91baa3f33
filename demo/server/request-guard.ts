import type { IncomingMessage } from 'node:http';
import { apiError, type ApiResponse } from './http-response.js';

/**
 * Who may talk to the demo API. It runs on the developer's machine, so a web page from
 * anywhere else must not be able to write to it: a cross-origin `text/plain` POST needs no
 * preflight, and a rebound DNS name (a foreign `Host` resolving to 127.0.0.1) reaches it as if
 * it were local.
 *
 * - `Host` must be a loopback name (`localhost`, `*.localhost`, `127.0.0.1`, `[::1]`) or one
 *   of `allowedHosts`: anything else is a rebound name (421).
 * - A write that says where it comes from (`Origin`, as browsers do on every cross-origin
 *   request) must come from this very host (403). Clients that send no `Origin` (curl, Node)
 *   are not browsers obeying a foreign page, and are let through.
 * - A write with a body must declare JSON (`content-type: application/json`, 415): the only
 *   content types a foreign page can send without a preflight are not JSON.
 */
export interface RequestGuardOptions {
  /** Host names (without port) accepted besides loopback ones. */
  allowedHosts?: readonly string[];
}

const LOOPBACK = /^(localhost|[\w-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The host name without its port, lower-cased; `[::1]` keeps its brackets. */
function hostName(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  return trimmed.split(':', 1)[0] ?? '';
}

function hasBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return (Number.isFinite(length) && length > 0) || req.headers['transfer-encoding'] !== undefined;
}

/** The refusal for a request the demo API must not answer, or undefined when it may. */
export function guardRequest(
  req: IncomingMessage,
  method: string,
  write: boolean,
  o: RequestGuardOptions = {},
): ApiResponse | undefined {
  const host = req.headers.host;
  const name = host === undefined ? '' : hostName(host);
  if (!LOOPBACK.test(name) && !(o.allowedHosts ?? []).some((allowed) => allowed.toLowerCase() === name)) {
    return apiError(421, 'misdirected_request', `This API answers only on localhost, not on "${name}".`);
  }
  if (!write) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (originHost !== host?.trim().toLowerCase()) {
      return apiError(
        403,
        'forbidden_origin',
        `A ${method} from another origin (${origin}) is not accepted.`,
      );
    }
  }
  if (hasBody(req)) {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!/^application\/([\w.+-]*\+)?json\b/.test(type)) {
      return apiError(415, 'unsupported_media_type', 'A write must send its body as application/json.');
    }
  }
  return undefined;
}
