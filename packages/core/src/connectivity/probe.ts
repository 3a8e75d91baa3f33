import { type Clock, setTimer } from '../clock.js';

/** What one probe found. */
export type ProbeOutcome =
  | { kind: 'ok'; rttMs: number }
  /** Something other than the backend answered: a redirect, or an answer `expect` rejected. */
  | { kind: 'portal'; rttMs: number; detail: string }
  | { kind: 'failed'; reason: 'network' | 'timeout' | 'http'; detail: string };

export interface ProbeRequest {
  url: string;
  timeoutMs: number;
  expect?: ((res: Response) => boolean | Promise<boolean>) | undefined;
  fetch: typeof fetch;
  clock: Clock;
  /** Aborts the probe early (the monitor is disposed, or another probe already answered). */
  signal?: AbortSignal;
}

/**
 * One same-origin reachability probe. It bypasses the HTTP cache (`no-store`), refuses to
 * follow redirects (a captive portal's favourite move), and gives up after `timeoutMs`.
 * It never throws: every way it can end is an outcome.
 */
export async function probeOnce(req: ProbeRequest): Promise<ProbeOutcome> {
  const controller = new AbortController();
  const timeoutReason = new Error(`no answer within ${req.timeoutMs} ms`);
  const timer = setTimer(req.clock, () => controller.abort(timeoutReason), req.timeoutMs);
  const timedOut = () => controller.signal.reason === timeoutReason;
  const onAbort = () => controller.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const started = req.clock.now();
  try {
    const res = await req.fetch(req.url, {
      method: 'GET',
      cache: 'no-store',
      redirect: 'manual',
      credentials: 'same-origin',
      signal: controller.signal,
    });
    const rttMs = req.clock.now() - started;
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      await discard(res);
      return { kind: 'portal', rttMs, detail: `redirected (${res.status || 'opaque'})` };
    }
    if (!res.ok) {
      await discard(res);
      return { kind: 'failed', reason: 'http', detail: `HTTP ${res.status}` };
    }
    if (req.expect) {
      let accepted: boolean;
      try {
        accepted = await req.expect(res);
      } catch {
        // Reading the answer failed: either the timeout cut it short, or it was not what
        // `expect` can parse (an HTML login page where JSON was expected).
        if (timedOut()) return { kind: 'failed', reason: 'timeout', detail: timeoutReason.message };
        accepted = false;
      }
      await discard(res);
      if (!accepted) return { kind: 'portal', rttMs, detail: 'unexpected answer' };
    } else {
      await discard(res);
    }
    return { kind: 'ok', rttMs };
  } catch (error) {
    if (timedOut()) return { kind: 'failed', reason: 'timeout', detail: timeoutReason.message };
    return {
      kind: 'failed',
      reason: 'network',
      detail: error instanceof Error ? error.message : String(error),
    };
  } finally {
    req.clock.clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/** Frees the connection: an unread body would otherwise hold it open. */
async function discard(res: Response): Promise<void> {
  if (res.bodyUsed || !res.body) return;
  try {
    await res.body.cancel();
  } catch {
    // Already closed or errored: nothing left to free.
  }
}
