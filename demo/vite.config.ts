import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { productionBuild } from '../packages/production-build.js';
import { sourceAliases } from '../packages/source-aliases.js';
import { serviceWorker } from './plugins/service-worker.js';
import { demoApi } from './server/plugin.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The packages' sources (no build needed), and the React package's optional stylesheet.
const alias = [
  { find: /^@bulletproof\/react\/styles\.css$/, replacement: here('../packages/react/src/styles.css') },
  ...sourceAliases,
];

// One origin serves the app and its API: `vite preview demo` for the built app
// (`npm run demo`, the end-to-end tests) and `vite demo` in development (`npm run demo:dev`)
// both mount the API, on the same port, so the README's address holds for either. The
// built app uses the packages' production build (option checks compiled out), as an app
// that installs them would.
// The service worker (`src/sw/sw.ts`) is built on its own into `/sw.js`; only the built
// app's worker knows every file the page needs, so only the built app opens offline.
export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  resolve: { alias },
  plugins: [
    react(),
    command === 'build' && productionBuild(),
    serviceWorker({ entry: here('./src/sw/sw.ts'), alias, plugins: [productionBuild()] }),
    demoApi({ dataDir: process.env.BULLETPROOF_DEMO_DATA }),
  ],
  build: { outDir: 'dist', emptyOutDir: true },
  preview: { host: '127.0.0.1', port: 5173 },
  server: { host: '127.0.0.1', port: 5173 },
}));
