import type { ExecutionContext, Policy } from '../policy/types.js';

/**
 * The most body bytes the browser lets `keepalive` requests (and so `sendBeacon`, which is
 * one) have in flight together; a larger body is refused.
 */
export const KEEPALIVE_BYTES = 64 * 1024;

/** How `sendTelemetry` sends: through which policy, and with which browser functions. */
export interface SendTelemetryOptions {
  /** Runs the sending: `presets.telemetry().policy`, whose breaker stops sending while the collector fails. */
  policy?: Policy;
  /** Injected for tests; default `globalThis.fetch`. */
  fetch?: (url: string, init: RequestInit) => Promise<{ ok: boolean; status: number }>;
  /** Injected for tests; default `globalThis.navigator`. Without `sendBeacon`, `fetch` sends. */
  navigator?: {
    /** Hands the data to the browser to deliver; false when it refuses (too big, say). */
    sendBeacon?(url: string, data?: BodyInit | null): boolean;
  };
}

/** The body as sent, and its size in bytes when it can be told without reading it (not a `FormData`). */
function bodyOf(data: unknown): [body: BodyInit, bytes: number | undefined] {
  if (typeof FormData !== 'undefined' && data instanceof FormData) return [data, undefined];
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return [data as BodyInit, data.byteLength];
  if (typeof Blob !== 'undefined' && data instanceof Blob) return [data, data.size];
  // Text: sent as `text/plain`, which needs no CORS preflight, to a collector on another origin too.
  const text =
    typeof data === 'string' || data instanceof URLSearchParams ? String(data) : JSON.stringify(data);
  return [text, new TextEncoder().encode(text).length];
}

/**
 * Sends analytics or telemetry without ever bothering the caller: it never throws, and
 * resolves to whether the data left (the browser took the beacon, or the collector answered
 * 2xx). A string, `Blob`, `BufferSource`, `FormData` or `URLSearchParams` is sent as it is,
 * anything else as JSON text (`text/plain`, so no CORS preflight).
 *
 * It uses `navigator.sendBeacon` when there is one and the body fits the browser's 64 KiB
 * allowance: the browser delivers it even as the page unloads. Otherwise (or when the beacon
 * is refused) it POSTs with `fetch`, `keepalive` when the body fits. Through `policy` a failing
 * collector opens the telemetry breaker, and nothing is sent while it is open.
 */
export async function sendTelemetry(url: string, data: unknown, o?: SendTelemetryOptions): Promise<boolean> {
  try {
    const [body, bytes] = bodyOf(data);
    const fits = bytes !== undefined && bytes <= KEEPALIVE_BYTES;
    // Absent in some workers and older runtimes.
    const nav = o?.navigator ?? (globalThis as { navigator?: SendTelemetryOptions['navigator'] }).navigator;
    const beaconed = () => {
      try {
        return nav?.sendBeacon?.(url, body) === true;
      } catch {
        // Refused outright (a body type it will not send cross-origin, say): fetch may still.
        return false;
      }
    };
    const send = async (ctx?: ExecutionContext) => {
      // A body of unknown size goes to the beacon too: the browser refuses it if too big.
      if ((fits || bytes === undefined) && beaconed()) return;
      const response = await (o?.fetch ?? fetch)(url, {
        method: 'POST',
        body,
        keepalive: fits,
        ...(ctx ? { signal: ctx.signal } : {}),
      });
      // Its status is what the breaker reads (`HttpError` would bring its body reading along, unused).
      if (!response.ok)
        throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
    };
    await (o?.policy ? o.policy.execute(send) : send());
    return true;
  } catch {
    return false;
  }
}
