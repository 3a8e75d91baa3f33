import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, NO_CHROMIUM_MESSAGE } from '../../support/chromium.js';

// The plain app (a create-vite React app wired as the README says) on the Vite dev
// server, in front of its express + express-idempotency + json-server backend.
const launchOptions = chromiumLaunchOptions();
if (!launchOptions) throw new Error(NO_CHROMIUM_MESSAGE);

const port = Number(process.env.PLAIN_APP_PORT ?? 4327);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../.artifacts/plain-app-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions,
    viewport: { width: 1000, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: plainAppServer(port, 'development'),
});

/** The plain app's server on `port`, on the dev server or built for production. */
export function plainAppServer(port: number, mode: 'development' | 'production') {
  return {
    // Builds the packages first when their sources changed, hence the long timeout.
    command: 'npx tsx test/plain-app/server/start.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    reuseExistingServer: false,
    timeout: 180_000,
    env: { PLAIN_APP_PORT: String(port), PLAIN_APP_MODE: mode },
  };
}
