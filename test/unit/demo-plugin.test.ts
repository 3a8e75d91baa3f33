import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, preview } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { demoApi } from '../../demo/server/plugin.js';
import { makeDataDir } from './demo-server-support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A tiny app root: an index.html, and its build output for `vite preview`. */
async function makeApp(): Promise<{ root: string; dataDir: string }> {
  const root = await makeDataDir();
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>dev app</title>');
  await mkdir(join(root, 'dist'));
  await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>built app</title>');
  return { root, dataDir: join(root, '.data') };
}

async function exerciseApi(base: string): Promise<void> {
  const health = await fetch(`${base}/api/health`);
  expect(health.status).toBe(204);
  expect(health.headers.get('cache-control')).toBe('no-store');
  const created = await fetch(`${base}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
    body: JSON.stringify({ id: 'n1', title: 'Through Vite' }),
  });
  expect(created.status).toBe(201);
  const chaos = await fetch(`${base}/api/_chaos`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ errorRate: 1 }),
  });
  expect(chaos.status).toBe(200);
  expect((await fetch(`${base}/api/notes/n1`)).status).toBe(503);
  const stats = await (await fetch(`${base}/api/_stats`)).json();
  expect(stats).toMatchObject({ writesApplied: 1, notes: 1 });
}

describe('demoApi Vite plugin', () => {
  it('serves the API next to the app under the dev server', async () => {
    const { root, dataDir } = await makeApp();
    const server = await createServer({
      configFile: false,
      root,
      logLevel: 'silent',
      plugins: [demoApi({ dataDir, seed: 1 })],
      server: { host: '127.0.0.1', port: 0, hmr: false },
    });
    cleanups.push(() => server.close());
    await server.listen();
    const base = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await exerciseApi(base);
    expect(await (await fetch(`${base}/`)).text()).toContain('dev app');
    // The data directory is kept out of the watcher, so writes do not look like source changes.
    const ignored = server.config.server.watch?.ignored;
    const matchers = (Array.isArray(ignored) ? ignored : [ignored]).filter((m) => typeof m === 'function');
    expect(matchers.some((matches) => matches(join(dataDir, 'notes.json')))).toBe(true);
  });

  it('serves the API next to the built app under vite preview, and keeps data between the two', async () => {
    const { root, dataDir } = await makeApp();
    const server = await preview({
      configFile: false,
      root,
      logLevel: 'silent',
      plugins: [demoApi({ dataDir, seed: 1 })],
      preview: { host: '127.0.0.1', port: 0 },
    });
    cleanups.push(() => server.close());
    const base = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';

    await exerciseApi(base);
    expect(await (await fetch(`${base}/`)).text()).toContain('built app');
    await server.close();
    // Closed means on disk: the journal is folded into the snapshot, which holds the note.
    expect(await readdir(dataDir)).toEqual(['notes.json']);
    expect(await readFile(join(dataDir, 'notes.json'), 'utf8')).toContain('Through Vite');

    const again = await preview({
      configFile: false,
      root,
      logLevel: 'silent',
      plugins: [demoApi({ dataDir })],
      preview: { host: '127.0.0.1', port: 0 },
    });
    cleanups.push(() => again.close());
    const againBase = again.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    expect(await (await fetch(`${againBase}/api/notes/n1`)).json()).toMatchObject({ title: 'Through Vite' });
  });
});
