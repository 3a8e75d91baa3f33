import { describe, expect, it } from 'vitest';
import { CircuitOpenError, HttpError, TimeoutError } from './errors.js';

describe('HttpError', () => {
  it('carries status, headers and a message naming the status', () => {
    const error = new HttpError(503, {
      headers: { 'retry-after': '5' },
      statusText: 'Service Unavailable',
      url: '/api',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HttpError');
    expect(error.status).toBe(503);
    expect(error.headers.get('retry-after')).toBe('5');
    expect(error.message).toBe('HTTP 503 Service Unavailable from /api');
    expect(error.body).toBeUndefined();
  });

  it('from() parses a JSON body', async () => {
    const res = new Response(JSON.stringify({ error: 'bad' }), {
      status: 422,
      headers: { 'content-type': 'application/problem+json' },
    });
    const error = await HttpError.from(res);
    expect(error.status).toBe(422);
    expect(error.body).toEqual({ error: 'bad' });
    expect(error.headers.get('content-type')).toBe('application/problem+json');
  });

  it('from() keeps malformed JSON as text instead of throwing', async () => {
    const res = new Response('{not json', { status: 500, headers: { 'content-type': 'application/json' } });
    const error = await HttpError.from(res);
    expect(error.body).toBe('{not json');
  });

  it('from() reads a text body', async () => {
    const error = await HttpError.from(new Response('upstream down', { status: 502 }));
    expect(error.body).toBe('upstream down');
  });

  it('from() leaves out an empty, missing or already-consumed body', async () => {
    expect((await HttpError.from(new Response(null, { status: 404 }))).body).toBeUndefined();
    expect((await HttpError.from(new Response('', { status: 404 }))).body).toBeUndefined();
    const used = new Response('once', { status: 400 });
    await used.text();
    const error = await HttpError.from(used);
    expect(error.status).toBe(400);
    expect(error.body).toBeUndefined();
  });

  it('from() never throws when the body stream fails', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const error = await HttpError.from(new Response(stream, { status: 500 }));
    expect(error.status).toBe(500);
    expect(error.body).toBeUndefined();
  });

  it('from() never throws for a response-like object whose accessors throw', async () => {
    const hostile = {
      status: 500,
      statusText: '',
      url: '',
      get bodyUsed(): boolean {
        throw new Error('boom');
      },
      get headers(): Headers {
        throw new Error('boom');
      },
    } as unknown as Response;
    const error = await HttpError.from(hostile);
    expect(error.status).toBe(500);
    expect([...error.headers.keys()]).toEqual([]);
  });

  it('from() caps a huge body', async () => {
    const error = await HttpError.from(new Response('x'.repeat(200_000), { status: 500 }));
    expect(typeof error.body).toBe('string');
    expect((error.body as string).length).toBe(64 * 1024);
  });
});

describe('TimeoutError and CircuitOpenError', () => {
  it('TimeoutError names its limit', () => {
    const error = new TimeoutError(undefined, 250);
    expect(error.name).toBe('TimeoutError');
    expect(error.afterMs).toBe(250);
    expect(error.message).toContain('250 ms');
    expect(new TimeoutError().message).toBe('Operation timed out');
  });

  it('CircuitOpenError names its breaker and when to come back', () => {
    const error = new CircuitOpenError('payments', 1_500);
    expect(error.name).toBe('CircuitOpenError');
    expect(error.breaker).toBe('payments');
    expect(error.retryAfterMs).toBe(1_500);
    expect(error.message).toContain('payments');
  });
});
