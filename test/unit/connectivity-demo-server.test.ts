import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, from } from 'rxjs';
import { filter, timeout } from 'rxjs/operators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnectivityMonitor,
  PROBE_GUARD_MS,
  type ConnectivityMonitor,
  type ConnectivityWindow,
  type Reachability,
} from '../../packages/core/src/connectivity/index.js';
import { startDemoServer, type DemoServer } from '../../demo/server/start.js';

// The monitor against the real demo API (its chaos controls make it hang, drop
// connections or fail) and, for captive portals, a tiny server that answers like one.
// Real sockets mean real time: probe timeouts are kept short so the file stays fast.

const PROBE_TIMEOUT_MS = 300;

class FakeWindow extends EventTarget {
  readonly navigator = { onLine: true };
  readonly document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
}

let server: DemoServer;
let dataDir: string;
let monitor: ConnectivityMonitor | undefined;

async function chaos(settings: unknown): Promise<void> {
  const res = await fetch(`${server.url}/api/_chaos`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
}

function start(url = `${server.url}/api/health`, expectFn?: (res: Response) => boolean | Promise<boolean>) {
  monitor = createConnectivityMonitor({
    window: new FakeWindow() as unknown as ConnectivityWindow,
    probe: { url, timeoutMs: PROBE_TIMEOUT_MS, ...(expectFn ? { expect: expectFn } : {}) },
  });
  return monitor;
}

function until(m: ConnectivityMonitor, status: Reachability) {
  return firstValueFrom(
    from(m.state$).pipe(
      filter((s) => s.status === status),
      timeout(5_000),
    ),
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bp-connectivity-'));
  server = await startDemoServer({ port: 0, dataDir, seed: 1, log: () => {} });
});

afterEach(async () => {
  monitor?.dispose();
  monitor = undefined;
  await chaos({});
});

afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('connectivity monitor against the demo API', () => {
  it('is online once the health probe answers, with a measured RTT', async () => {
    const m = start();
    const s = await until(m, 'online');
    expect(s.quality).toBe('good');
    expect(s.rttMs).toBeGreaterThanOrEqual(0);
    expect(s.lastCheckedAt).toBeDefined();
  });

  it('lie-fi: a hanging backend becomes unreachable about one probe timeout later', async () => {
    const m = start();
    await until(m, 'online');
    await chaos({ hang: true });
    const began = Date.now();
    const s = await m.check();
    expect(s.status).toBe('unreachable');
    // One timeout plus the hedge delay (half the timeout when that is under 1 s).
    expect(Date.now() - began).toBeLessThan(PROBE_TIMEOUT_MS * 1.5 + 500);
  });

  it('dropped connections become unreachable within the probe timeout and its one-second guard', async () => {
    const m = start();
    await until(m, 'online');
    await chaos({ drop: true });
    const began = Date.now();
    m.report({
      ok: false,
      latencyMs: 3,
      failure: {
        category: 'network',
        retryable: true,
        impact: 'high',
        message: 'Failed to fetch',
        cause: null,
      },
    });
    await until(m, 'unreachable');
    // A probe had just answered: the next one waits out the guard, then fails at once.
    expect(Date.now() - began).toBeLessThan(PROBE_GUARD_MS + PROBE_TIMEOUT_MS);
  });

  it('a backend answering 503 to every call is unreachable after two probes', async () => {
    const m = start();
    await until(m, 'online');
    await chaos({ errorRate: 1, errorStatus: 503 });
    await m.check();
    expect((await until(m, 'unreachable')).status).toBe('unreachable');
  });

  it('recovers to online when the backend answers again', async () => {
    const m = start();
    await until(m, 'online');
    await chaos({ drop: true });
    await m.check();
    await until(m, 'unreachable');
    await chaos({});
    expect((await m.check()).status).toBe('online');
  });

  describe('captive portal', () => {
    let portal: Server;
    let portalUrl: string;
    beforeAll(async () => {
      // Answers like a hotel Wi-Fi: a 200 login page for everything, or a redirect to it.
      portal = createServer((req, res) => {
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://login.portal.invalid/' }).end();
          return;
        }
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Sign in to continue</body></html>');
      });
      await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
      portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => portal.close(() => resolve()));
    });

    it('a 200 HTML page where a 204 is expected is unreachable after a single probe', async () => {
      const m = start(`${portalUrl}/api/health`, (res) => res.status === 204);
      const s = await until(m, 'unreachable');
      expect(s.lastCheckedAt).toBeDefined();
    });

    it('a redirect is treated as a portal without following it', async () => {
      const m = start(`${portalUrl}/redirect`);
      await until(m, 'unreachable');
    });

    it('the real backend passes the same expect', async () => {
      const m = start(undefined, (res) => res.status === 204);
      await until(m, 'online');
    });
  });
});
