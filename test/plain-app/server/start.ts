import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { createBackend } from './backend.js';
import { buildPackagesIfStale } from './build-packages.js';

// The plain app on one origin: its backend on /api, the Vite dev server for the page
// (development React, so StrictMode runs effects twice). The packages are imported as an
// installed app imports them, through their package.json exports, so they are built first
// whenever their sources are newer than the build.
//   PLAIN_APP_PORT=4327 npx tsx test/plain-app/server/start.ts

const port = Number(process.env.PLAIN_APP_PORT ?? 4327);

const built = buildPackagesIfStale();
if (built !== 0) process.exit(built);

const app = createBackend();
const vite = await createServer({
  root: fileURLToPath(new URL('..', import.meta.url)),
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  appType: 'spa',
  logLevel: 'warn',
  server: { middlewareMode: true, hmr: false },
  // Bundled up front so the dev server never reloads the page mid-test when it meets them.
  optimizeDeps: { include: ['@bulletproof/core', '@bulletproof/react', 'react', 'react-dom/client'] },
});
app.use(vite.middlewares);
app.listen(port, '127.0.0.1', () => {
  console.log(`plain app on http://127.0.0.1:${port}`);
});
