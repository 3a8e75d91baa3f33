import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, NO_CHROMIUM_MESSAGE } from '../support/chromium.js';

// End-to-end tests drive the built demo (`npm run build:demo`) served by
// `vite preview`, with the demo API on the same origin and its own data folder.
const launchOptions = chromiumLaunchOptions();
if (!launchOptions) throw new Error(NO_CHROMIUM_MESSAGE);

const port = Number(process.env.E2E_PORT ?? 4317);
export const baseURL = `http://127.0.0.1:${port}`;

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
  webServer: {
    command: `npx vite preview demo --host 127.0.0.1 --port ${port} --strictPort`,
    url: `${baseURL}/api/health`,
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    reuseExistingServer: false,
    timeout: 60_000,
    env: { BULLETPROOF_DEMO_DATA: 'test/.artifacts/e2e-data' },
  },
});
