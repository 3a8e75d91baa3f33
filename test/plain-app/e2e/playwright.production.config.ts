import { defineConfig } from '@playwright/test';
import base, { plainAppServer } from './playwright.config.js';

// The same app built for production (`vite build`), so the packages' production build runs:
// option checks compiled out, as in an app that ships. Only the scenarios that do not depend
// on development React (StrictMode's double effects) run here.
const port = Number(process.env.PLAIN_APP_PRODUCTION_PORT ?? 4328);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  ...base,
  grep: /@production/,
  outputDir: '../../.artifacts/plain-app-production-results',
  use: { ...base.use, baseURL },
  webServer: plainAppServer(port, 'production'),
});
