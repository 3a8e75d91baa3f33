import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify.js';
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

describe("HttpError.from() message: the server's own reason", () => {
  const URL_ = 'http://localhost/api/notes/x';
  /** A response as fetch returns it: `new Response()` cannot set `url`, so it is defined on the instance. */
  const respond = (body: string, status: number, statusText: string, contentType?: string): Response => {
    // A Blob without a type, so that no content type is implied (a string body would be text/plain).
    const res = new Response(new Blob([body]), {
      status,
      statusText,
      ...(contentType ? { headers: { 'content-type': contentType } } : {}),
    });
    Object.defineProperty(res, 'url', { value: URL_ });
    return res;
  };
  const json = (body: unknown, status = 422, type = 'application/json') =>
    respond(JSON.stringify(body), status, status === 422 ? 'Unprocessable Entity' : 'Bad Request', type);

  it.each([
    ['{ message }', { message: 'Title must not be empty' }],
    ['{ error }', { error: 'Title must not be empty' }],
    ['{ error: { message } }', { error: { code: 'invalid', message: 'Title must not be empty' } }],
    [
      'problem+json detail',
      { type: 'about:blank', title: 'Invalid note', detail: 'Title must not be empty' },
    ],
    ['problem+json title alone', { type: 'about:blank', title: 'Title must not be empty' }],
    ['JSON:API errors[0].detail', { errors: [{ status: '422', detail: 'Title must not be empty' }, {}] }],
    ['GraphQL errors[0].message', { data: null, errors: [{ message: 'Title must not be empty' }] }],
  ])("appends a JSON body's %s", async (_shape, body) => {
    const error = await HttpError.from(json(body));
    expect(error.message).toBe(`HTTP 422 Unprocessable Entity from ${URL_}: Title must not be empty`);
    expect(error.body).toEqual(body);
  });

  it("prefers the prose field to an error code next to it (the demo API's shape)", async () => {
    const error = await HttpError.from(json({ error: 'rejected', message: 'Sightings need a photo.' }));
    expect(error.message).toBe(`HTTP 422 Unprocessable Entity from ${URL_}: Sightings need a photo.`);
  });

  it('reads application/problem+json', async () => {
    const error = await HttpError.from(
      json(
        { title: 'Out of credit', detail: 'Your balance is 30, but that costs 50.' },
        403,
        'application/problem+json',
      ),
    );
    expect(error.message).toMatch(/: Your balance is 30, but that costs 50\.$/);
  });

  it('puts whitespace on one line and cuts a long reason to 200 characters', async () => {
    const spaced = await HttpError.from(json({ message: '  Title\n\tmust not\r\nbe empty  ' }));
    expect(spaced.message).toBe(`HTTP 422 Unprocessable Entity from ${URL_}: Title must not be empty`);

    const long = 'word '.repeat(100);
    const cut = await HttpError.from(json({ message: long }));
    const reason = cut.message.slice(`HTTP 422 Unprocessable Entity from ${URL_}: `.length);
    expect(reason.length).toBeLessThanOrEqual(200);
    expect(reason.endsWith('…')).toBe(true);
    expect(long.startsWith(reason.slice(0, -1))).toBe(true);
    expect((cut.body as { message: string }).message).toBe(long); // the body itself is kept whole
  });

  it('never cuts between the halves of a surrogate pair', async () => {
    const error = await HttpError.from(json({ message: `${'a'.repeat(198)}😀😀` }));
    const reason = error.message.split(': ')[1]!;
    expect(reason).toBe(`${'a'.repeat(198)}…`);
    expect(reason.length).toBeLessThanOrEqual(200);
  });

  it('uses a short, single-line text/plain body', async () => {
    const error = await HttpError.from(respond('Quota exceeded\n', 429, 'Too Many Requests', 'text/plain'));
    expect(error.message).toBe(`HTTP 429 Too Many Requests from ${URL_}: Quota exceeded`);
    expect(error.body).toBe('Quota exceeded\n');
  });

  it.each([
    ['an HTML page', '<!doctype html><html><body><h1>Bad Gateway</h1></body></html>', 'text/html'],
    ['markup sent as text/plain', '<h1>Bad Gateway</h1>', 'text/plain'],
    ['a multi-line text body', 'Error\n    at handler (server.js:10)', 'text/plain'],
    ['a long text body', 'x'.repeat(201), 'text/plain'],
    ['a text body of no stated type', 'upstream down', undefined],
    ['malformed JSON', '{"message": "Title', 'application/json'],
  ])('leaves the message alone for %s', async (_what, body, type) => {
    const error = await HttpError.from(respond(body, 502, 'Bad Gateway', type));
    expect(error.message).toBe(`HTTP 502 Bad Gateway from ${URL_}`);
  });

  it.each([
    ['no prose field', { code: 'E_TITLE', field: 'title' }],
    ['a non-string message', { message: 42, error: { message: null } }],
    ['an empty message', { message: '   ' }],
    ['an array', ['Title must not be empty']],
    ['a title that only repeats the status', { title: 'Unprocessable Entity' }],
  ])('leaves the message alone for a JSON body with %s', async (_what, body) => {
    const error = await HttpError.from(json(body));
    expect(error.message).toBe(`HTTP 422 Unprocessable Entity from ${URL_}`);
    expect(error.body).toEqual(body);
  });

  it('also works without a URL or status text', async () => {
    const res = new Response(JSON.stringify({ error: 'bad' }), {
      status: 400,
      headers: { 'content-type': 'application/json' },
    });
    expect((await HttpError.from(res)).message).toBe('HTTP 400: bad');
  });

  it('is what an outbox entry given up on shows as its reason', async () => {
    const error = await HttpError.from(
      json({ error: 'rejected', message: 'Counts need a second observer.' }),
    );
    expect(classifyFailure(error).message).toBe(
      `HTTP 422 Unprocessable Entity from ${URL_}: Counts need a second observer.`,
    );
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
