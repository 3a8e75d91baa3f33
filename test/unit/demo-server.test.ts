import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../demo/server/http-response.js';
import { createDemoApi } from '../../demo/server/api.js';
import { writeFileAtomic } from '../../demo/server/atomic-write.js';
import { readPersisted } from '../../demo/server/persisted-state.js';
import { startDemoServer } from '../../demo/server/start.js';
import {
  controlledClock,
  makeDataDir,
  noteIds,
  startTestServer,
  type TestServer,
} from './demo-server-support.js';

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function expectJsonNoStore(response: Response): void {
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
}

describe('demo API endpoints', () => {
  it('answers the health probe with 204 and no-store, for GET and HEAD', async () => {
    const t = await start();
    for (const method of ['GET', 'HEAD']) {
      const response = await t.fetch('/api/health', { method });
      expect(response.status).toBe(204);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toBe('');
    }
  });

  it('creates, reads, lists, updates and deletes notes', async () => {
    const { clock, advance } = controlledClock('immediate', 5_000);
    const t = await start({ clock });

    const empty = await t.fetch('/api/notes');
    expect(empty.status).toBe(200);
    expectJsonNoStore(empty);
    expect(await empty.json()).toEqual({ notes: [] });

    const created = await t.send('POST', '/api/notes', { title: 'First', body: 'hello' });
    expect(created.status).toBe(201);
    expectJsonNoStore(created);
    const note = await created.json();
    expect(note).toEqual({
      id: expect.any(String),
      title: 'First',
      body: 'hello',
      createdAt: 5_000,
      updatedAt: 5_000,
    });
    expect(note.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.get('location')).toBe(`/api/notes/${note.id}`);

    advance(10);
    const second = await (await t.send('POST', '/api/notes', { id: 'offline-1', title: 'Second' })).json();
    expect(second).toEqual({
      id: 'offline-1',
      title: 'Second',
      body: '',
      createdAt: 5_010,
      updatedAt: 5_010,
    });

    const one = await t.fetch(`/api/notes/${note.id}`);
    expect(one.status).toBe(200);
    expectJsonNoStore(one);
    expect(await one.json()).toEqual(note);

    expect(await noteIds(await t.fetch('/api/notes'))).toEqual(['offline-1', note.id]);

    advance(10);
    const updated = await t.send('PUT', `/api/notes/${note.id}`, { title: 'First, edited', body: 'changed' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({
      ...note,
      title: 'First, edited',
      body: 'changed',
      updatedAt: 5_020,
    });

    const deleted = await t.send('DELETE', '/api/notes/offline-1');
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('cache-control')).toBe('no-store');
    expect((await t.fetch('/api/notes/offline-1')).status).toBe(404);
    expect((await t.send('DELETE', '/api/notes/offline-1')).status).toBe(404);
  });

  it('upserts with PUT: 201 and a location when the note is new, createdAt kept on update', async () => {
    const { clock, advance } = controlledClock('immediate', 1_000);
    const t = await start({ clock });
    const created = await t.send('PUT', '/api/notes/made-offline', {
      title: 'Draft',
      createdAt: 1,
      extra: true,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/notes/made-offline');
    expect(await created.json()).toEqual({
      id: 'made-offline',
      title: 'Draft',
      body: '',
      createdAt: 1_000,
      updatedAt: 1_000,
    });
    advance(500);
    const updated = await t.send('PUT', '/api/notes/made-offline', { id: 'made-offline', title: 'Final' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ title: 'Final', createdAt: 1_000, updatedAt: 1_500 });
  });

  it('refuses a POST whose id is taken with 409, leaving the note unchanged', async () => {
    const t = await start();
    await t.send('POST', '/api/notes', { id: 'n1', title: 'Original' });
    const again = await t.send('POST', '/api/notes', { id: 'n1', title: 'Other' });
    expect(again.status).toBe(409);
    expectJsonNoStore(again);
    expect(await again.json()).toMatchObject({ error: 'conflict' });
    expect(await (await t.fetch('/api/notes/n1')).json()).toMatchObject({ title: 'Original' });
  });

  it('answers unknown routes with 404 and wrong methods with 405 and Allow, as JSON', async () => {
    const t = await start();
    const missing = await t.fetch('/api/nothing-here');
    expect(missing.status).toBe(404);
    expectJsonNoStore(missing);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });

    const wrong = await t.send('DELETE', '/api/notes');
    expect(wrong.status).toBe(405);
    expectJsonNoStore(wrong);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect(await wrong.json()).toMatchObject({ error: 'method_not_allowed' });

    expect((await t.send('POST', '/api/_stats')).status).toBe(405);
    expect((await t.fetch('/api/_nope')).status).toBe(404);
  });

  it('treats a trailing slash and a query string like the bare path', async () => {
    const t = await start();
    expect((await t.fetch('/api/health/?probe=1')).status).toBe(204);
    expect(await (await t.fetch('/api/notes/?x=1')).json()).toEqual({ notes: [] });
  });

  it('leaves every path outside /api to the next handler', async () => {
    const t = await start();
    const response = await t.fetch('/apinotes');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });
});

describe('demo API validation', () => {
  it('answers a body that is not JSON with a 400 JSON error, and an empty body too', async () => {
    const t = await start();
    const broken = await t.send('POST', '/api/notes', '{"title": ');
    expect(broken.status).toBe(400);
    expectJsonNoStore(broken);
    expect(await broken.json()).toMatchObject({
      error: 'invalid_json',
      message: expect.stringContaining('JSON'),
    });

    const empty = await t.fetch('/api/notes/x', { method: 'PUT' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: 'invalid_json' });
  });

  it('answers a body of the wrong shape with a 422 naming each field', async () => {
    const t = await start();
    const response = await t.send('POST', '/api/notes', { title: 'x'.repeat(201), body: 42, id: 'bad id/' });
    expect(response.status).toBe(422);
    expectJsonNoStore(response);
    const error = (await response.json()) as ApiErrorBody;
    expect(error.error).toBe('validation_failed');
    expect((error.fields ?? []).map((f) => f.field).sort()).toEqual(['body', 'id', 'title']);
    expect(error.message).toContain('title');

    const missing = await (await t.send('POST', '/api/notes', {})).json();
    expect(missing.fields).toEqual([{ field: 'title', message: expect.stringContaining('expected string') }]);

    const notObject = await (await t.send('POST', '/api/notes', [1, 2])).json();
    expect(notObject.fields).toEqual([
      { field: '(body)', message: expect.stringContaining('expected object') },
    ]);
    expect((await t.stats()).writesApplied).toBe(0);
  });

  it('refuses a PUT whose body id differs from the path, or whose path id is malformed', async () => {
    const t = await start();
    const mismatch = await t.send('PUT', '/api/notes/a', { id: 'b', title: 'T' });
    expect(mismatch.status).toBe(422);
    expect((await mismatch.json()).fields).toEqual([
      { field: 'id', message: expect.stringContaining('"a"') },
    ]);
    const malformed = await t.send('PUT', `/api/notes/${encodeURIComponent('-starts with dash')}`, {
      title: 'T',
    });
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).fields[0].field).toBe('id');
    expect(await (await t.fetch('/api/notes')).json()).toEqual({ notes: [] });
  });

  it('refuses an oversized body with 413 and a malformed Idempotency-Key with 400', async () => {
    const t = await start({ maxBodyBytes: 64 });
    const big = await t.send('POST', '/api/notes', { title: 'x'.repeat(100) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });

    const longKey = await t.send('POST', '/api/notes', { title: 'ok' }, 'k'.repeat(256));
    expect(longKey.status).toBe(400);
    expect(await longKey.json()).toMatchObject({ error: 'invalid_idempotency_key' });
    expect((await t.stats()).writesApplied).toBe(0);
  });

  it('rejects bad options at creation with a TypeError naming the option', () => {
    expect(() => createDemoApi({ seed: -1 })).toThrow(TypeError);
    expect(() => createDemoApi({ seed: -1 })).toThrow(/seed/);
    expect(() => createDemoApi({ clock: {} as never })).toThrow(/clock: expected a Clock/);
    expect(() => createDemoApi({ dataDir: '' })).toThrow(/dataDir/);
    expect(() => createDemoApi({ idempotencyTtlMs: 0 })).toThrow(/idempotencyTtlMs/);
    return expect(startDemoServer({ port: 70_000 })).rejects.toThrow(/port/);
  });
});

describe('demo API persistence', () => {
  it('keeps notes and idempotency records across a restart', async () => {
    const first = await start();
    const created = await (await first.send('POST', '/api/notes', { title: 'Survives' }, 'create-1')).json();
    await first.send('PUT', '/api/notes/kept', { title: 'Also' });
    await first.send('POST', '/api/notes', { id: 'gone', title: 'Deleted' });
    expect((await first.send('DELETE', '/api/notes/gone', undefined, 'delete-1')).status).toBe(204);
    await first.stop();

    const second = await start({ dataDir: first.dataDir });
    expect((await noteIds(await second.fetch('/api/notes'))).sort()).toEqual([created.id, 'kept'].sort());

    // The retried POST is answered from its record, not applied again, even after the restart.
    const replayed = await second.send('POST', '/api/notes', { title: 'Survives' }, 'create-1');
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await replayed.json()).toEqual(created);
    const replayedDelete = await second.send('DELETE', '/api/notes/gone', undefined, 'delete-1');
    expect(replayedDelete.status).toBe(204);
    expect(await second.stats()).toMatchObject({ writesApplied: 0, duplicatesSuppressed: 2, notes: 2 });
    expect(second.logs).toEqual([]);
  });

  it('has every acknowledged write on disk before it answers, and leaves one data file when stopped', async () => {
    const t = await start();
    const file = join(t.dataDir, 'notes.json');
    const bigBody = 'x'.repeat(10_000);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.send('PUT', `/api/notes/n${i}`, { title: `Note ${i}`, body: bigBody }),
      ),
    );
    // Read from disk while the server runs, as a restart after a crash would.
    expect((await readPersisted(file)).notes.size).toBe(40);
    expect((await readdir(t.dataDir)).sort()).toEqual(['notes.json', 'notes.json.journal']);
    await t.server.close();
    expect(await readdir(t.dataDir)).toEqual(['notes.json']);
    expect(JSON.parse(await readFile(file, 'utf8')).notes).toHaveLength(40);
  });

  it('ignores and removes a temporary file a crash left behind', async () => {
    const dataDir = await tempDir();
    await writeFile(
      join(dataDir, 'notes.json'),
      JSON.stringify({
        version: 1,
        notes: [{ id: 'a', title: 'A', body: '', createdAt: 1, updatedAt: 1 }],
        idempotency: [],
      }),
    );
    await writeFile(join(dataDir, 'notes.json.999.1.tmp'), '{"version":1,"notes":[{"id":"half');
    const t = await start({ dataDir });
    expect(await noteIds(await t.fetch('/api/notes'))).toEqual(['a']);
    expect((await readdir(dataDir)).sort()).toEqual(['notes.json', 'notes.json.journal']);
  });

  it('moves a corrupt data file aside, says so, and starts empty instead of crashing', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'notes.json'), '{"version":1,"notes":[{"id":');
    const t = await start({ dataDir });
    expect(await (await t.fetch('/api/notes')).json()).toEqual({ notes: [] });
    const files = await readdir(dataDir);
    expect(files.some((name) => name.startsWith('notes.json.corrupt-'))).toBe(true);
    expect(t.logs.join('\n')).toContain('unreadable');
    expect((await t.send('POST', '/api/notes', { title: 'Fresh start' })).status).toBe(201);
  });

  it('leaves no temporary file behind when an atomic write fails', async () => {
    const dir = await tempDir();
    const target = join(dir, 'target');
    await mkdir(target); // renaming a file over a directory fails
    await expect(writeFileAtomic(target, '{}')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['target']);
  });

  it('fails to start when the data directory cannot be used, and answers 500 JSON rather than crash', async () => {
    const parent = await tempDir();
    const notADirectory = join(parent, 'file');
    await writeFile(notADirectory, '');
    await expect(startDemoServer({ dataDir: notADirectory })).rejects.toThrow(/ENOTDIR|EEXIST/);

    const logs: string[] = [];
    const api = createDemoApi({ dataDir: notADirectory, log: (message) => logs.push(message) });
    const server = createServer((req, res) => {
      api.middleware(req, res, () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/api/notes`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: 'internal_error' });
      expect(logs).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    }
  });

  it('creates a missing data directory', async () => {
    const parent = await tempDir();
    const t = await start({ dataDir: join(parent, 'nested', 'data') });
    expect((await t.send('PUT', '/api/notes/a', { title: 'A' })).status).toBe(201);
    expect((await readPersisted(join(parent, 'nested', 'data', 'notes.json'))).notes.size).toBe(1);
  });
});

describe('demo API idempotency', () => {
  it('replays the stored response for a repeated key and does not apply the write again', async () => {
    const t = await start();
    const first = await t.send('POST', '/api/notes', { title: 'Once' }, 'key-1');
    const body = await first.json();
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (let i = 0; i < 3; i++) {
      const again = await t.send('POST', '/api/notes', { title: 'Once' }, 'key-1');
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('location')).toBe(`/api/notes/${body.id}`);
      expectJsonNoStore(again);
      expect(await again.json()).toEqual(body);
    }
    expect((await (await t.fetch('/api/notes')).json()).notes).toHaveLength(1);
    expect(await t.stats()).toMatchObject({
      writesApplied: 1,
      duplicatesSuppressed: 3,
      idempotencyRecords: 1,
    });
  });

  it('replays a PUT even after the note changed, so a late retry cannot undo a newer edit', async () => {
    const t = await start();
    await t.send('PUT', '/api/notes/a', { title: 'v1' }, 'edit-1');
    await t.send('PUT', '/api/notes/a', { title: 'v2' }, 'edit-2');
    const lateRetry = await t.send('PUT', '/api/notes/a', { title: 'v1' }, 'edit-1');
    expect(lateRetry.status).toBe(201);
    expect(await lateRetry.json()).toMatchObject({ title: 'v1' });
    expect(await (await t.fetch('/api/notes/a')).json()).toMatchObject({ title: 'v2' });
  });

  it('refuses to reuse a key for a different request with 422, without applying it', async () => {
    const t = await start();
    await t.send('POST', '/api/notes', { title: 'A' }, 'shared');
    const other = await t.send('POST', '/api/notes', { title: 'B' }, 'shared');
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: 'idempotency_key_reused' });
    const otherRoute = await t.send('PUT', '/api/notes/x', { title: 'A' }, 'shared');
    expect(otherRoute.status).toBe(422);
    expect(await t.stats()).toMatchObject({ writesApplied: 1, duplicatesSuppressed: 0, notes: 1 });
  });

  it('does not store failed writes: a corrected retry with the same key is applied', async () => {
    const t = await start();
    expect((await t.send('PUT', '/api/notes/a', { title: '' }, 'k')).status).toBe(422);
    expect((await t.send('DELETE', '/api/notes/missing', undefined, 'd')).status).toBe(404);
    expect((await t.send('PUT', '/api/notes/a', { title: 'Now valid' }, 'k')).status).toBe(201);
    expect(await t.stats()).toMatchObject({
      writesApplied: 1,
      duplicatesSuppressed: 0,
      idempotencyRecords: 1,
    });
  });

  it('applies many simultaneous requests with one key exactly once and answers them all alike', async () => {
    const t = await start();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.send('POST', '/api/notes', { title: 'Burst' }, 'burst-key')),
    );
    const bodies = await Promise.all(
      responses.map(async (response) => (await response.json()) as { id: string }),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(await t.stats()).toMatchObject({ writesApplied: 1, duplicatesSuppressed: 9, notes: 1 });
  });

  it('makes a duplicate that arrives while the first is in progress wait, then replays the first answer', async () => {
    const timers = controlledClock('manual');
    const t = await start({ clock: timers.clock });
    t.server.api.chaos = { latency: { fixedMs: 1_000 } };

    const first = t.send('POST', '/api/notes', { title: 'Slow' }, 'slow-key');
    await expect.poll(() => timers.pendingTimers).toBe(1); // the first holds the key, inside its latency
    const duplicates = [1, 2].map(() => t.send('POST', '/api/notes', { title: 'Slow' }, 'slow-key'));
    await expect.poll(async () => (await t.stats()).requests).toBe(3);
    // Give the duplicates' bodies time to arrive so they are waiting on the key, not yet looking at it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timers.pendingTimers).toBe(1);

    timers.runTimers();
    const firstResponse = await first;
    expect(firstResponse.status).toBe(201);
    const created = await firstResponse.json();
    await expect.poll(() => timers.pendingTimers).toBe(2); // the duplicates' own latency, after waiting
    timers.runTimers();
    for (const response of await Promise.all(duplicates)) {
      expect(response.headers.get('idempotent-replayed')).toBe('true');
      expect(await response.json()).toEqual(created);
    }
    expect(await t.stats()).toMatchObject({
      writesApplied: 1,
      duplicatesSuppressed: 2,
      duplicatesWaited: 2,
      notes: 1,
    });
  });

  it('forgets a record after its time to live, so a much later retry is applied afresh', async () => {
    const timers = controlledClock('immediate');
    const t = await start({ clock: timers.clock, idempotencyTtlMs: 60_000 });
    await t.send('PUT', '/api/notes/a', { title: 'A' }, 'old');
    timers.advance(60_001);
    const late = await t.send('PUT', '/api/notes/a', { title: 'A' }, 'old');
    expect(late.headers.get('idempotent-replayed')).toBeNull();
    expect(await t.stats()).toMatchObject({ writesApplied: 2, duplicatesSuppressed: 0 });
  });

  it('ignores Idempotency-Key on reads', async () => {
    const t = await start();
    const read = await t.fetch('/api/notes', { headers: { 'idempotency-key': 'k'.repeat(300) } });
    expect(read.status).toBe(200);
  });
});

describe('demo API stats and reset', () => {
  it('counts requests by route, applied writes and suppressed duplicates, but not control requests', async () => {
    const t = await start();
    await t.fetch('/api/health');
    await t.fetch('/api/notes');
    await t.send('PUT', '/api/notes/a', { title: 'A' }, 'k1');
    await t.send('PUT', '/api/notes/a', { title: 'A' }, 'k1');
    await t.send('PUT', '/api/notes/a', { title: 'B' });
    await t.send('POST', '/api/notes', { title: 'bad', body: 1 });
    await t.send('DELETE', '/api/notes/a');
    await t.fetch('/api/nowhere');
    await t.fetch('/api/_chaos');
    await t.fetch('/api/_stats');
    const stats = await t.stats();
    expect(stats).toMatchObject({
      requests: 8,
      writesApplied: 3,
      duplicatesSuppressed: 1,
      notes: 0,
      idempotencyRecords: 1,
      hanging: 0,
      byRoute: {
        'GET /api/health': 1,
        'GET /api/notes': 1,
        'PUT /api/notes/:id': 3,
        'POST /api/notes': 1,
        'DELETE /api/notes/:id': 1,
        'GET (no route)': 1,
      },
      faults: { delayed: 0, error: 0, hang: 0, drop: 0, reject: 0, loseResponse: 0 },
    });
    expect(t.server.api.stats()).toMatchObject({ requests: 8, writesApplied: 3 });
  });

  it('resets notes, idempotency records, stats and chaos', async () => {
    const t = await start();
    await t.send('PUT', '/api/notes/a', { title: 'A' }, 'k1');
    await t.setChaos({ latency: { fixedMs: 5 } });
    const reset = await t.send('POST', '/api/_reset');
    expect(reset.status).toBe(204);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    expect(await (await t.fetch('/api/notes')).json()).toEqual({ notes: [] });
    expect(await (await t.fetch('/api/_chaos')).json()).toEqual({});
    expect(await t.stats()).toMatchObject({ requests: 1, writesApplied: 0, idempotencyRecords: 0 });
    // The key is forgotten too: the same request is a new write now.
    const again = await t.send('PUT', '/api/notes/a', { title: 'A' }, 'k1');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect((await readPersisted(join(t.dataDir, 'notes.json'))).notes.size).toBe(1);
  });
});

describe('startDemoServer', () => {
  it('serves a built app for non-API paths, with SPA fallback and no path traversal', async () => {
    const dist = await tempDir();
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Field Notes</title>');
    await writeFile(join(dist, 'assets', 'app-1234.js'), 'export {};');
    const t = await start({ static: dist });

    const index = await t.fetch('/');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('Field Notes');

    const script = await t.fetch('/assets/app-1234.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');

    const clientRoute = await t.fetch('/notes/abc');
    expect(clientRoute.status).toBe(200);
    expect(await clientRoute.text()).toContain('Field Notes');
    expect((await t.fetch('/missing.png')).status).toBe(404);
    expect((await t.fetch('/api/health')).status).toBe(204);

    const traversal = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${t.server.url}/../../etc/passwd.txt`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(traversal).toBe(404);
  });

  it('listens on a free loopback port and closes promptly even with keep-alive connections open', async () => {
    const a = await start();
    const b = await start();
    expect(a.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.server.port).not.toBe(b.server.port);
    await a.fetch('/api/health');
    const startedAt = Date.now();
    await a.stop();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await expect(a.fetch('/api/health')).rejects.toThrow(TypeError);
  });
});
