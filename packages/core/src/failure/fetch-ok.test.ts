import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_BODY_TIME_LIMIT_MS, HttpError, MAX_ERROR_BODY_BYTES } from './errors.js';
import { fetchOk } from './fetch-ok.js';
import { failedResponse } from './failed-response.js';
import { classifyFailure } from './classify.js';

describe('fetchOk', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('resolves a 2xx response untouched', async () => {
    const res = new Response('ok', { status: 200 });
    const fetch = vi.fn(() => Promise.resolve(res));
    vi.stubGlobal('fetch', fetch);
    await expect(fetchOk('/x', { method: 'POST' })).resolves.toBe(res);
    expect(fetch).toHaveBeenCalledWith('/x', { method: 'POST' });
  });

  it('rejects a non-2xx response with an HttpError carrying its body', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        new Response('{"code":"nope"}', { status: 409, headers: { 'content-type': 'application/json' } }),
      ),
    );
    const error = await fetchOk('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 409, body: { code: 'nope' } });
  });

  it('passes network errors through as they are', async () => {
    const failure = new TypeError('Failed to fetch');
    vi.stubGlobal('fetch', () => Promise.reject(failure));
    await expect(fetchOk('/x')).rejects.toBe(failure);
  });
});

describe('error bodies from a hostile server', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  /** A body of `total` bytes made on demand, counting what was pulled. */
  function hugeBody(total: number) {
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    const pulled = { bytes: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.bytes >= total) {
          controller.close();
          return;
        }
        pulled.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        pulled.cancelled = true;
      },
    });
    return { stream, pulled };
  }

  /** A body that sends a little, then nothing, forever. */
  function endlessBody() {
    const cancelled = { value: false };
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('partial'));
      },
      pull: () => new Promise<void>(() => undefined),
      cancel() {
        cancelled.value = true;
      },
    });
    return { stream, cancelled };
  }

  it('reads no more than MAX_ERROR_BODY_BYTES of a huge error page, and cancels the rest', async () => {
    const { stream, pulled } = hugeBody(400 * 1024 * 1024);
    const error = await HttpError.from(new Response(stream, { status: 500 }));
    expect(typeof error.body).toBe('string');
    expect((error.body as string).length).toBe(MAX_ERROR_BODY_BYTES);
    expect(pulled.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(pulled.cancelled).toBe(true);
  });

  it('stops reading a body that never ends when the call is aborted', async () => {
    const { stream, cancelled } = endlessBody();
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(stream, { status: 503 })));
    const controller = new AbortController();
    const call = fetchOk('/x', { signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 0));
    controller.abort(new DOMException('gone', 'AbortError'));
    expect(await call).toMatchObject({ name: 'AbortError' });
    expect(cancelled.value).toBe(true);
  });

  it('gives up on a body that never ends after ERROR_BODY_TIME_LIMIT_MS, keeping what arrived', async () => {
    vi.useFakeTimers();
    const { stream } = endlessBody();
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(stream, { status: 503 })));
    const call = fetchOk('/x').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(ERROR_BODY_TIME_LIMIT_MS);
    const error = await call;
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, body: 'partial' });
  });
});

describe('failedResponse', () => {
  it('turns a response that is not ok into an HttpError with its status and headers, without reading the body', () => {
    const res = new Response('{"detail":"later"}', {
      status: 503,
      statusText: 'Service Unavailable',
      headers: { 'retry-after': '7', 'content-type': 'application/json' },
    });
    const error = failedResponse(res);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, statusText: 'Service Unavailable', body: undefined });
    expect(error?.headers.get('retry-after')).toBe('7');
    expect(res.bodyUsed).toBe(false);
    expect(classifyFailure(error)).toMatchObject({ category: 'rate-limited', retryAfterMs: 7_000 });
  });

  it('is undefined for an ok response and for anything that is not a response', () => {
    for (const value of [new Response('ok'), undefined, null, 'text', { ok: false }, { status: 500 }]) {
      expect(failedResponse(value)).toBeUndefined();
    }
  });

  it('accepts a response-like object (another frame, a polyfill)', () => {
    expect(failedResponse({ ok: false, status: 500, headers: 'odd' })).toMatchObject({ status: 500 });
  });
});
