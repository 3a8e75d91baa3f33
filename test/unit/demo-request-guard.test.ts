import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './demo-server-support.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.dispose()));
});

async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/** A raw request, so `Host` and `Origin` can be anything (fetch would set them itself). */
function raw(
  server: TestServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(server.server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('demo API request guard', () => {
  it('refuses a cross-origin text/plain POST: no note is created', async () => {
    const server = await start();
    const host = new URL(server.server.url).host;
    const answer = await raw(
      server,
      'POST',
      '/api/notes',
      { host, origin: 'https://evil.example', 'content-type': 'text/plain' },
      JSON.stringify({ id: 'n1', title: 'pwned', body: '' }),
    );
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'forbidden_origin' });
    expect(await (await server.fetch('/api/notes')).json()).toEqual({ notes: [] });
  });

  it('refuses a cross-origin reset: the data stays', async () => {
    const server = await start();
    const host = new URL(server.server.url).host;
    expect((await server.send('PUT', '/api/notes/a', { title: 'kept', body: '' })).status).toBe(201);
    const answer = await raw(server, 'POST', '/api/_reset', { host, origin: 'http://attacker.test' });
    expect(answer.status).toBe(403);
    expect(((await (await server.fetch('/api/notes')).json()) as { notes: unknown[] }).notes).toHaveLength(1);
  });

  it('refuses a foreign Host (DNS rebinding), reads included', async () => {
    const server = await start();
    const port = new URL(server.server.url).port;
    const answer = await raw(server, 'GET', '/api/notes', { host: `rebound.example:${port}` });
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'misdirected_request' });
    expect((await raw(server, 'GET', '/api/notes', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('answers a host it was told to allow', async () => {
    const server = await start({ allowedHosts: ['notes.test'] });
    expect((await raw(server, 'GET', '/api/notes', { host: 'notes.test' })).status).toBe(200);
  });

  it('refuses a write whose body is not JSON, and accepts a same-origin JSON write', async () => {
    const server = await start();
    const host = new URL(server.server.url).host;
    const note = JSON.stringify({ title: 't', body: '' });
    const plain = await raw(server, 'PUT', '/api/notes/x', { host, 'content-type': 'text/plain' }, note);
    expect(plain.status).toBe(415);
    const same = await raw(
      server,
      'PUT',
      '/api/notes/x',
      { host, origin: `http://${host}`, 'content-type': 'application/json' },
      note,
    );
    expect(same.status).toBe(201);
  });
});
