/* eslint-disable @typescript-eslint/require-await -- handlers and fakes return promises by contract; most settle at once */
import { describe, expect, it, vi } from 'vitest';
import { HttpError } from '../failure/errors.js';
import { createHttpHandler, headerFilter, serializeRequest, toRequest } from './http.js';
import type { HttpPayload, OutboxEntry } from './types.js';

const BASE = 'https://app.test/notes/';
const keepDefault = headerFilter(undefined);
const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

describe('serializeRequest', () => {
  it('stores a JSON body as bytes with its content type, and resolves the URL', async () => {
    const { payload } = await serializeRequest(
      {
        url: '../api/notes',
        method: 'post',
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
      },
      keepDefault,
      BASE,
    );
    expect(payload.url).toBe('https://app.test/api/notes');
    expect(payload.method).toBe('POST');
    expect(payload.body).toBeInstanceOf(Uint8Array);
    expect(text(payload.body)).toBe('{"a":1}');
    expect(payload.contentType).toBe('application/json');
    // The content type travels apart from the other headers, so no header list can lose it.
    expect(payload.headers).toEqual([]);
  });

  it('gives text and URLSearchParams bodies the content type fetch would', async () => {
    const plain = await serializeRequest({ url: '/t', method: 'PUT', body: 'hi' }, keepDefault, BASE);
    expect(plain.payload.contentType).toBe('text/plain;charset=UTF-8');
    const form = await serializeRequest(
      { url: '/f', method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) },
      keepDefault,
      BASE,
    );
    expect(form.payload.contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(text(form.payload.body)).toBe('a=1&b=x+y');
  });

  it('encodes FormData as multipart bytes whose boundary matches the content type', async () => {
    const data = new FormData();
    data.set('title', 'Groceries');
    data.set('file', new Blob([new Uint8Array([0, 255, 7])], { type: 'application/octet-stream' }), 'a.bin');
    const { payload } = await serializeRequest(
      { url: '/upload', method: 'POST', body: data },
      keepDefault,
      BASE,
    );
    expect(payload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    // Decoding the stored bytes with the stored type gives the form back.
    const back = await new Response(payload.body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': payload.contentType as string },
    }).formData();
    expect(back.get('title')).toBe('Groceries');
    const file = back.get('file') as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([0, 255, 7]));
  });

  it('keeps binary bodies byte for byte (ArrayBuffer, typed array, Blob)', async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    for (const body of [bytes.buffer.slice(0), bytes.slice(), new Blob([bytes], { type: 'image/png' })]) {
      const { payload } = await serializeRequest({ url: '/b', method: 'POST', body }, keepDefault, BASE);
      expect(payload.body).toEqual(bytes);
    }
    const blob = await serializeRequest(
      { url: '/b', method: 'POST', body: new Blob([bytes], { type: 'image/png' }) },
      keepDefault,
      BASE,
    );
    expect(blob.payload.contentType).toBe('image/png');
  });

  it('reads a Request without consuming it', async () => {
    const request = new Request('https://api.test/x', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-tenant': 't1' },
      body: '{"b":2}',
      credentials: 'include',
    });
    const { payload } = await serializeRequest(request, keepDefault, undefined);
    expect(payload).toMatchObject({
      url: 'https://api.test/x',
      method: 'PATCH',
      headers: [['x-tenant', 't1']],
      credentials: 'include',
    });
    expect(text(payload.body)).toBe('{"b":2}');
    expect(request.bodyUsed).toBe(false);
  });

  it('never persists credentials by default, and only the listed headers with persistHeaders', async () => {
    const headers = {
      authorization: 'Bearer secret',
      cookie: 'sid=1',
      'proxy-authorization': 'p',
      'x-tenant': 't1',
      'x-trace': 'z',
    };
    const byDefault = await serializeRequest({ url: '/h', method: 'POST', headers }, keepDefault, BASE);
    expect(byDefault.payload.headers).toEqual([
      ['x-tenant', 't1'],
      ['x-trace', 'z'],
    ]);
    const listed = await serializeRequest(
      { url: '/h', method: 'POST', headers: { ...headers, 'content-type': 'application/json' } },
      headerFilter(['X-Tenant']),
      BASE,
    );
    expect(listed.payload.headers).toEqual([['x-tenant', 't1']]);
    expect(listed.payload.contentType).toBe('application/json');
  });

  it("takes the request's own Idempotency-Key as the entry's key, not as a header", async () => {
    const out = await serializeRequest(
      { url: '/k', method: 'POST', headers: { 'Idempotency-Key': 'abc' } },
      keepDefault,
      BASE,
    );
    expect(out.idempotencyKey).toBe('abc');
    expect(out.payload.headers).toEqual([]);
  });

  it('refuses what fetch would refuse', async () => {
    await expect(
      serializeRequest({ url: '/g', method: 'GET', body: 'x' }, keepDefault, BASE),
    ).rejects.toThrow(TypeError);
    await expect(serializeRequest({ url: '/relative' }, keepDefault, undefined)).rejects.toThrow(TypeError);
    await expect(serializeRequest({} as never, keepDefault, BASE)).rejects.toThrow(/expected a Request/);
  });
});

describe('toRequest', () => {
  it('rebuilds the request with the idempotency key and the content type', async () => {
    const payload: HttpPayload = {
      url: 'https://api.test/n',
      method: 'POST',
      headers: [['x-tenant', 't1']],
      body: new TextEncoder().encode('{"a":1}'),
      contentType: 'application/json',
    };
    const request = toRequest(payload, 'key-1', new AbortController().signal);
    expect(request.method).toBe('POST');
    expect(request.headers.get('idempotency-key')).toBe('key-1');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.headers.get('x-tenant')).toBe('t1');
    expect(await request.text()).toBe('{"a":1}');
  });
});

describe('the http handler', () => {
  const payload: HttpPayload = {
    url: 'https://api.test/n',
    method: 'PUT',
    headers: [],
    body: new TextEncoder().encode('x'),
  };
  const ctx = (signal = new AbortController().signal) => ({
    signal,
    idempotencyKey: 'key-9',
    attempt: 1,
    entry: {} as OutboxEntry<never>,
  });

  it('resolves on 2xx and runs prepare before every send', async () => {
    const seen: Request[] = [];
    const fetchFn = vi.fn(async (input: RequestInfo | URL) => {
      seen.push(input as Request);
      return new Response('ok', { status: 201 });
    });
    let token = 0;
    const prepare = vi.fn((req: Request) => {
      const headers = new Headers(req.headers);
      headers.set('authorization', `Bearer t${++token}`);
      return new Request(req, { headers });
    });
    const handler = createHttpHandler(() => fetchFn, prepare);
    await expect(handler(payload, ctx())).resolves.toBe(201);
    await handler(payload, ctx());
    expect(prepare).toHaveBeenCalledTimes(2);
    expect(seen.map((r) => r.headers.get('authorization'))).toEqual(['Bearer t1', 'Bearer t2']);
    expect(seen[0]?.headers.get('idempotency-key')).toBe('key-9');
  });

  it.each([400, 401, 404, 409, 500, 503])(
    'treats %i as a failure (HttpError), never as delivered',
    async (status) => {
      const handler = createHttpHandler(
        () => async () => new Response('{"error":"x"}', { status }),
        undefined,
      );
      const error = await handler(payload, ctx()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(status);
    },
  );

  it('passes the attempt signal to fetch', async () => {
    const controller = new AbortController();
    let received: AbortSignal | undefined;
    const handler = createHttpHandler(
      () => async (_: RequestInfo | URL, init?: RequestInit) => {
        received = init?.signal ?? undefined;
        return new Response(null, { status: 204 });
      },
      undefined,
    );
    await handler(payload, ctx(controller.signal));
    controller.abort();
    expect(received?.aborted).toBe(true);
  });
});
