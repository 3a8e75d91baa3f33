import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, NO_CHROMIUM_MESSAGE } from '../support/chromium.js';

// End-to-end tests drive the built demo (`npm run build:demo`) served by `vite preview`,
// with the demo API on the same origin and its own data folder. The `dev` project drives the
// Vite dev server (`npm run demo:dev`) as well: only a development build runs React's
// StrictMode double effects, and a healthy first visit must stay silent under them too.
const launchOptions = chromiumLaunchOptions();
if (!launchOptions) throw new Error(NO_CHROMIUM_MESSAGE);

const port = Number(process.env.E2E_PORT ?? 4317);
const devPort = Number(process.env.E2E_DEV_PORT ?? port + 1);
export const baseURL = `http://127.0.0.1:${port}`;
const devBaseURL = `http://127.0.0.1:${devPort}`;
const root = fileURLToPath(new URL('../..', import.meta.url));
const DEV_SPECS = '**/dev-*.spec.ts';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../.artifacts/e2e-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'built', testIgnore: DEV_SPECS },
    { name: 'dev', testMatch: DEV_SPECS, use: { baseURL: devBaseURL } },
  ],
  webServer: [
    {
      command: `npx vite preview demo --host 127.0.0.1 --port ${port} --strictPort`,
      url: `${baseURL}/api/health`,
      cwd: root,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { BULLETPROOF_DEMO_DATA: 'test/.artifacts/e2e-data' },
    },
    {
      command: `npx vite demo --host 127.0.0.1 --port ${devPort} --strictPort`,
      url: `${devBaseURL}/api/health`,
      cwd: root,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { BULLETPROOF_DEMO_DATA: 'test/.artifacts/e2e-dev-data' },
    },
  ],
});
