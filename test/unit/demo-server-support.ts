import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@bulletproof/core';
import type { DemoApiStats } from '../../demo/server/stats.js';
import { startDemoServer, type DemoServer, type StartDemoServerOptions } from '../../demo/server/start.js';

/** Everything a demo-server test needs: the running server, its data directory and small fetch helpers. */
export interface TestServer {
  readonly server: DemoServer;
  readonly dataDir: string;
  readonly logs: string[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Sends `body` as JSON; `key` becomes the `Idempotency-Key` header. */
  send(method: string, path: string, body?: unknown, key?: string): Promise<Response>;
  setChaos(settings: unknown): Promise<Response>;
  stats(): Promise<DemoApiStats>;
  /** Stops the server; the data directory is kept so a test can restart on it. */
  stop(): Promise<void>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'demo-api-'));
}

export async function startTestServer(options: StartDemoServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const logs: string[] = [];
  const server = await startDemoServer({
    seed: 1,
    log: (message) => logs.push(message),
    ...options,
    dataDir,
  });
  const fetchPath = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  const send = (method: string, path: string, body?: unknown, key?: string) =>
    fetchPath(path, {
      method,
      headers: { 'content-type': 'application/json', ...(key !== undefined && { 'idempotency-key': key }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return {
    server,
    dataDir,
    logs,
    fetch: fetchPath,
    send,
    setChaos: (settings) => send('PUT', '/api/_chaos', settings),
    stats: async () => (await (await fetchPath('/api/_stats')).json()) as DemoApiStats,
    stop: () => server.close(),
    dispose: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A clock the test moves by hand. Timers either fire on the next turn of the
 * event loop (`immediate`, so requests complete while the test still sees the
 * delays the server asked for) or only when the test runs them (`manual`).
 */
export function controlledClock(mode: 'immediate' | 'manual', start = 1_000_000) {
  let now = start;
  let nextHandle = 0;
  const pending = new Map<number, () => void>();
  const delays: number[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      nextHandle += 1;
      const handle = nextHandle;
      if (mode === 'immediate') setImmediate(fn);
      else pending.set(handle, fn);
      return handle;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
  };
  return {
    clock,
    delays,
    advance(ms: number) {
      now += ms;
    },
    get pendingTimers() {
      return pending.size;
    },
    runTimers() {
      const due = [...pending.values()];
      pending.clear();
      for (const fn of due) fn();
    },
  };
}

/** The error `fetch` rejects with when the server destroys the socket without answering. */
export async function socketFailure(request: Promise<Response>): Promise<string> {
  const error: unknown = await request.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TypeError)) throw new Error(`expected a network failure, got ${String(error)}`);
  const cause = error.cause as { code?: string } | undefined;
  return cause?.code ?? error.message;
}

/** The ids in a `GET /api/notes` answer, in order. */
export async function noteIds(response: Response): Promise<string[]> {
  const { notes } = (await response.json()) as { notes: { id: string }[] };
  return notes.map((note) => note.id);
}

/** The field names a 422 answer names, sorted. */
export async function fieldNames(response: Response): Promise<string[]> {
  const { fields } = (await response.json()) as { fields: { field: string }[] };
  return fields.map((issue) => issue.field).sort();
}
