import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { createDemoApi, type DemoApi, type DemoApiOptions } from './api.js';
import { serveStatic } from './static-files.js';
import { describeIssues, validate } from './validation.js';

export interface StartDemoServerOptions extends DemoApiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default `127.0.0.1`: the demo API is for this machine only. */
  host?: string;
  /** A directory holding a built app (`vite build` output) to serve for every non-`/api` path. */
  static?: string;
}

export interface DemoServer {
  readonly url: string;
  readonly port: number;
  readonly api: DemoApi;
  /** Stops listening, destroys every open socket (hanging requests included) and waits for pending writes. */
  close(): Promise<void>;
}

const serverOptionsSchema = z.object({
  port: z.optional(z.int().check(z.gte(0), z.lte(65_535))),
  host: z.optional(z.string().check(z.minLength(1))),
  static: z.optional(z.string().check(z.minLength(1))),
});

/**
 * Starts the demo API (and optionally a built demo app) as a plain Node
 * HTTP server, the way tests and end-to-end runs use it without Vite.
 */
export async function startDemoServer(options: StartDemoServerOptions = {}): Promise<DemoServer> {
  const checked = validate(serverOptionsSchema, options);
  if (!checked.ok) throw new TypeError(`startDemoServer: invalid option ${describeIssues(checked.issues)}`);
  const { port = 0, host = '127.0.0.1', static: staticDir, ...apiOptions } = options;
  const api = createDemoApi(apiOptions);
  await api.ready;

  const server = createServer((req, res) => {
    api.middleware(req, res, () => {
      if (staticDir === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      serveStatic(staticDir, req, res).catch(() => res.destroy());
    });
  });
  // Tracked so close() can end keep-alive and deliberately hanging connections
  // instead of waiting for them forever.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    api,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        for (const socket of sockets) socket.destroy();
        await api.close();
        await stopped;
      })();
      return closing;
    },
  };
}

/** `npx tsx demo/server/start.ts [--port 5174] [--host 127.0.0.1] [--static demo/dist] [--data-dir dir] [--seed n]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      static: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const server = await startDemoServer({
    ...(values.port !== undefined && { port: Number(values.port) }),
    ...(values.host !== undefined && { host: values.host }),
    ...(values.static !== undefined && { static: resolve(values.static) }),
    ...(values['data-dir'] !== undefined && { dataDir: resolve(values['data-dir']) }),
    ...(values.seed !== undefined && { seed: Number(values.seed) }),
  });
  console.log(`Demo API listening on ${server.url} (data: ${server.api.dataFile})`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
