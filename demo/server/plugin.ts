import { resolve, sep } from 'node:path';
import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { createDemoApi, DEFAULT_DATA_DIR, type DemoApiOptions } from './api.js';

/**
 * Mounts the demo API on Vite's own server, under both `vite` (dev) and
 * `vite preview`, so the app and `/api` share one origin as they would in
 * production. One API instance per server; it closes with the server.
 */
export function demoApi(options: DemoApiOptions = {}): Plugin {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const mount = (server: ViteDevServer | PreviewServer) => {
    const api = createDemoApi({ ...options, dataDir });
    server.middlewares.use(api.middleware);
    server.httpServer?.once('close', () => void api.close());
    // `close()` resolves once the data is on disk too, so that whatever runs next (a restart,
    // a test removing the directory) never races the journal being folded into the snapshot.
    const closeServer = server.close.bind(server);
    server.close = async () => {
      await closeServer();
      await api.close();
    };
  };
  return {
    name: 'bulletproof-demo-api',
    // Every write replaces the data file; the dev server must not treat that as a source change.
    config: () => ({
      server: { watch: { ignored: [(path: string) => path === dataDir || path.startsWith(dataDir + sep)] } },
    }),
    configureServer: mount,
    configurePreviewServer: mount,
  };
}
