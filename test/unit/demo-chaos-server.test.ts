import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../demo/server/http-response.js';
import { decideChaos } from '../../demo/server/chaos.js';
import { mulberry32 } from '../../demo/server/prng.js';
import { controlledClock, socketFailure, startTestServer, type TestServer } from './demo-server-support.js';

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()));
});

async function timed(request: Promise<Response>): Promise<{ response: Response; ms: number }> {
  const startedAt = performance.now();
  const response = await request;
  await response.arrayBuffer();
  return { response, ms: performance.now() - startedAt };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('chaos controls over HTTP', () => {
  it('reads back what was set, refuses bad settings with 400/422 naming the field, and keeps the old ones', async () => {
    const t = await start();
    const set = await t.setChaos({ latency: { fixedMs: 10 }, errorRate: 0.25, errorStatus: 502 });
    expect(set.status).toBe(200);
    expect(set.headers.get('cache-control')).toBe('no-store');
    const current = { latency: { fixedMs: 10 }, errorRate: 0.25, errorStatus: 502 };
    expect(await set.json()).toEqual(current);
    expect(await (await t.fetch('/api/_chaos')).json()).toEqual(current);

    const bad = await t.setChaos({
      errorRate: 2,
      errorStatus: 404,
      flapping: { downMs: 0, upMs: 1 },
      latncy: {},
    });
    expect(bad.status).toBe(422);
    const error = (await bad.json()) as ApiErrorBody;
    expect(error.error).toBe('validation_failed');
    expect((error.fields ?? []).map((f) => f.field).sort()).toEqual([
      'errorRate',
      'errorStatus',
      'flapping.downMs',
      'latncy',
    ]);
    expect((await t.setChaos('{nope')).status).toBe(400);
    expect(await (await t.fetch('/api/_chaos')).json()).toEqual(current);

    expect(() => (t.server.api.chaos = { hang: 3 } as never)).toThrow(TypeError);
    expect(() => (t.server.api.chaos = { hang: 3 } as never)).toThrow(/hang/);
    t.server.api.chaos = {};
    expect(await (await t.fetch('/api/_chaos')).json()).toEqual({});
  });

  it('adds latency to API requests but never to the control endpoints', async () => {
    const t = await start();
    const before = await timed(t.fetch('/api/health'));
    await t.setChaos({ latency: { fixedMs: 150 } });
    const slow = await timed(t.fetch('/api/health'));
    expect(slow.response.status).toBe(204);
    expect(slow.ms).toBeGreaterThanOrEqual(145);
    expect(before.ms).toBeLessThan(140);
    const control = await timed(t.fetch('/api/_stats'));
    expect(control.ms).toBeLessThan(140);
    expect((await t.stats()).faults).toMatchObject({ delayed: 1 });
  });

  it('asks for exactly the latency the seeded decisions give (fixed + jitter)', async () => {
    const timers = controlledClock('immediate');
    const t = await start({ clock: timers.clock });
    const settings = { latency: { fixedMs: 100, jitterMs: 50 }, seed: 11 };
    await t.setChaos(settings);
    for (let i = 0; i < 5; i++) expect((await t.fetch('/api/health')).status).toBe(204);
    const random = mulberry32(11);
    const expected = Array.from({ length: 5 }, () => {
      const runtime = { now: 0, random, flappingSince: 0, rampSince: 0, rejectsLeft: 0 };
      const decision = decideChaos(settings, { method: 'GET', path: '/api/health' }, runtime);
      return decision.action === 'pass' ? decision.delayMs : undefined;
    });
    expect(timers.delays).toEqual(expected);
    expect(new Set(timers.delays).size).toBeGreaterThan(1);
    for (const delay of timers.delays) expect(delay).toBeGreaterThanOrEqual(100);
    for (const delay of timers.delays) expect(delay).toBeLessThanOrEqual(150);
  });

  it('injects errors with the chosen status and Retry-After, without applying writes', async () => {
    const t = await start();
    await t.setChaos({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 3 });
    const failed = await t.send('POST', '/api/notes', { title: 'Lost?' });
    expect(failed.status).toBe(429);
    expect(failed.headers.get('retry-after')).toBe('3');
    expect(failed.headers.get('x-demo-chaos')).toBe('error-rate');
    expect(failed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await failed.json()).toMatchObject({ error: 'injected_failure' });

    await t.setChaos({ errorRate: 1, errorStatus: 500 });
    const plain = await t.fetch('/api/notes');
    expect(plain.status).toBe(500);
    expect(plain.headers.get('retry-after')).toBeNull();

    await t.setChaos({});
    expect(await (await t.fetch('/api/notes')).json()).toEqual({ notes: [] });
    expect(await t.stats()).toMatchObject({ writesApplied: 0, faults: { error: 2 } });
  });

  it('repeats the same fault sequence for the same seed', async () => {
    const t = await start();
    const statuses = async () => {
      const result: number[] = [];
      for (let i = 0; i < 20; i++) result.push((await t.fetch('/api/health')).status);
      return result;
    };
    await t.setChaos({ errorRate: 0.5, seed: 42 });
    const first = await statuses();
    await t.setChaos({ errorRate: 0.5, seed: 42 });
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([204, 503]));
    await t.setChaos({ errorRate: 0.5, seed: 43 });
    expect(await statuses()).not.toEqual(first);
  });

  it('scopes faults to methods and paths', async () => {
    const t = await start();
    await t.setChaos({ errorRate: 1, methods: ['PUT'], paths: ['/api/notes/'] });
    expect((await t.fetch('/api/notes')).status).toBe(200);
    expect((await t.send('POST', '/api/notes', { title: 'fine' })).status).toBe(201);
    expect((await t.send('PUT', '/api/notes/a', { title: 'fails' })).status).toBe(503);
  });

  it('hangs: the request never gets an answer, and the server still closes promptly', async () => {
    const t = await start();
    await t.setChaos({ hang: true });
    const error: unknown = await t
      .fetch('/api/notes', { signal: AbortSignal.timeout(150) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');

    // Observed at once: the failure arrives while the test is busy closing the server.
    const failure = socketFailure(t.send('POST', '/api/notes', { title: 'hangs' }));
    await expect.poll(async () => (await t.stats()).hanging).toBe(1); // the aborted one has gone
    expect((await t.stats()).faults).toMatchObject({ hang: 2 });
    const closedAt = performance.now();
    await t.stop();
    expect(performance.now() - closedAt).toBeLessThan(1_000);
    expect(await failure).toBe('UND_ERR_SOCKET');
  });

  it('releases hanging requests on reset', async () => {
    const t = await start();
    await t.setChaos({ hang: true });
    const failure = socketFailure(t.fetch('/api/health'));
    await expect.poll(async () => (await t.stats()).hanging).toBe(1);
    expect((await t.send('POST', '/api/_reset')).status).toBe(204); // control endpoints stay reachable
    expect(await failure).toBe('UND_ERR_SOCKET');
    expect((await t.fetch('/api/health')).status).toBe(204);
  });

  it('drops: the socket is destroyed without an answer and the write is not applied', async () => {
    const t = await start();
    await t.setChaos({ drop: true });
    expect(await socketFailure(t.fetch('/api/health'))).toBe('UND_ERR_SOCKET');
    expect(await socketFailure(t.send('PUT', '/api/notes/a', { title: 'dropped' }))).toBe('UND_ERR_SOCKET');
    await t.setChaos({});
    expect((await t.fetch('/api/notes/a')).status).toBe(404);
    expect(await t.stats()).toMatchObject({ writesApplied: 0, faults: { drop: 2 } });
  });

  it('loses the response: the write is applied, the client sees a failure, a keyed retry is replayed', async () => {
    const t = await start();
    await t.setChaos({ loseResponse: true });
    const note = { id: 'offline-7', title: 'Written once' };
    expect(await socketFailure(t.send('POST', '/api/notes', note, 'write-7'))).toBe('UND_ERR_SOCKET');

    // Reads are untouched by lose-response: the write is there.
    expect(await (await t.fetch('/api/notes/offline-7')).json()).toMatchObject(note);
    expect(await t.stats()).toMatchObject({ writesApplied: 1, faults: { loseResponse: 1 } });

    await t.setChaos({});
    const retry = await t.send('POST', '/api/notes', note, 'write-7');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // Without the key the same retry is a conflict: the hard case idempotency keys solve.
    expect((await t.send('POST', '/api/notes', note)).status).toBe(409);
    expect(await t.stats()).toMatchObject({ writesApplied: 1, duplicatesSuppressed: 1, notes: 1 });
  });

  it('rejects the next writes with a permanent status, then lets writes through', async () => {
    const t = await start();
    await t.setChaos({ reject: { count: 2, match: '/api/notes', message: 'Title not allowed' } });
    const rejected = await t.send('POST', '/api/notes', { title: 'A' }, 'r1');
    expect(rejected.status).toBe(422);
    expect(await rejected.json()).toEqual({ error: 'rejected', message: 'Title not allowed' });
    expect((await t.fetch('/api/notes')).status).toBe(200); // reads are never rejected
    expect((await t.send('PUT', '/api/notes/b', { title: 'B' })).status).toBe(422);
    expect((await t.stats()).chaos).toMatchObject({ rejectsLeft: 0 });
    expect((await t.send('POST', '/api/notes', { title: 'A' }, 'r1')).status).toBe(201);
    expect(await t.stats()).toMatchObject({ writesApplied: 1, faults: { reject: 2 } });
  });

  it('flaps on the injected clock: down, up, down again', async () => {
    const timers = controlledClock('immediate');
    const t = await start({ clock: timers.clock });
    await t.setChaos({ flapping: { downMs: 1_000, upMs: 2_000 }, retryAfterSeconds: 1 });
    const status = async () => (await t.fetch('/api/health')).status;
    const down = await t.fetch('/api/health');
    expect(down.status).toBe(503);
    expect(down.headers.get('x-demo-chaos')).toBe('flapping');
    expect(down.headers.get('retry-after')).toBe('1');
    timers.advance(999);
    expect(await status()).toBe(503);
    timers.advance(1);
    expect(await status()).toBe(204);
    expect((await t.stats()).chaos).toMatchObject({ flapping: { phase: 'up' } });
    timers.advance(1_999);
    expect(await status()).toBe(204);
    timers.advance(1);
    expect(await status()).toBe(503);

    await t.setChaos({ flapping: { downMs: 1_000, upMs: 2_000, mode: 'drop' } });
    expect(await socketFailure(t.fetch('/api/health'))).toBe('UND_ERR_SOCKET');
  });

  it('flaps in real time', async () => {
    const t = await start();
    await t.setChaos({ flapping: { downMs: 120, upMs: 60_000 } });
    expect((await t.fetch('/api/health')).status).toBe(503);
    await sleep(150);
    expect((await t.fetch('/api/health')).status).toBe(204);
  });

  it('ramps latency up on the injected clock, then fails or hangs', async () => {
    const timers = controlledClock('immediate');
    const t = await start({ clock: timers.clock });
    await t.setChaos({ ramp: { durationMs: 10_000, startLatencyMs: 100, peakLatencyMs: 1_100 } });
    expect((await t.fetch('/api/health')).status).toBe(204);
    timers.advance(5_000);
    expect((await t.fetch('/api/health')).status).toBe(204);
    timers.advance(4_999);
    expect((await t.fetch('/api/health')).status).toBe(204);
    expect(timers.delays).toEqual([100, 600, 1_100]);
    timers.advance(1);
    const failed = await t.fetch('/api/health');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('x-demo-chaos')).toBe('ramp');

    await t.setChaos({ ramp: { durationMs: 1, peakLatencyMs: 0, then: 'hang' } });
    timers.advance(1);
    await expect(t.fetch('/api/health', { signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout/i);
  });

  it('ramps in real time: slower, then failing', async () => {
    const t = await start();
    await t.setChaos({ ramp: { durationMs: 200, startLatencyMs: 60, peakLatencyMs: 100, then: 'error' } });
    const early = await timed(t.fetch('/api/health'));
    expect(early.response.status).toBe(204);
    expect(early.ms).toBeGreaterThanOrEqual(55);
    await sleep(200 - early.ms + 20);
    expect((await t.fetch('/api/health')).status).toBe(503);
  });

  it('keeps the control endpoints reachable under every fault', async () => {
    const t = await start();
    for (const settings of [
      { hang: true },
      { drop: true },
      { errorRate: 1 },
      { flapping: { downMs: 500_000, upMs: 1 } },
    ]) {
      expect((await t.setChaos(settings)).status).toBe(200);
      expect((await t.fetch('/api/_chaos')).status).toBe(200);
      expect((await t.fetch('/api/_stats')).status).toBe(200);
    }
    expect((await t.send('POST', '/api/_reset')).status).toBe(204);
  });
});
