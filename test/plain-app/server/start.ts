import { fileURLToPath } from 'node:url';
import express from 'express';
import { build, createServer } from 'vite';
import { createBackend } from './backend.js';
import { buildPackagesIfStale } from './build-packages.js';

// The plain app on one origin: its backend on /api and the page. The packages are imported
// as an installed app imports them, through their package.json exports, so they are built
// first whenever their sources are newer than the build.
// - development (default): the Vite dev server, development React (StrictMode runs effects
//   twice) and the packages' development build (option checks on);
// - PLAIN_APP_MODE=production: `vite build` of the app, served as static files, so the
//   packages' production build (option checks compiled out) is what runs.
//   PLAIN_APP_PORT=4327 [PLAIN_APP_MODE=production] npx tsx test/plain-app/server/start.ts

const port = Number(process.env.PLAIN_APP_PORT ?? 4327);
const production = process.env.PLAIN_APP_MODE === 'production';
const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

const built = buildPackagesIfStale();
if (built !== 0) process.exit(built);

const app = createBackend();
if (production) {
  const outDir = fileURLToPath(new URL('../../.artifacts/plain-app-build', import.meta.url));
  await build({ root, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  app.use(express.static(outDir));
  app.get('*', (_req, res) => res.sendFile('index.html', { root: outDir }));
} else {
  const vite = await createServer({
    root,
    configFile,
    appType: 'spa',
    logLevel: 'warn',
    server: { middlewareMode: true, hmr: false },
    // Bundled up front so the dev server never reloads the page mid-test when it meets them.
    optimizeDeps: { include: ['@bulletproof/core', '@bulletproof/react', 'react', 'react-dom/client'] },
  });
  app.use(vite.middlewares);
}
app.listen(port, '127.0.0.1', () => {
  console.log(`plain app (${production ? 'production build' : 'dev server'}) on http://127.0.0.1:${port}`);
});
