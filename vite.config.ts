import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumLaunchOptions } from './test/support/chromium.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests and the demo run against the packages' sources, so no build is needed
// to test; the published entry points are checked separately (publint, attw).
const alias = [
  { find: /^@bulletproof\/core\/sw$/, replacement: here('./packages/core/src/sw/index.ts') },
  { find: /^@bulletproof\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@bulletproof\/react$/, replacement: here('./packages/react/src/index.ts') },
];

const launchOptions = chromiumLaunchOptions();

const browserProject = launchOptions
  ? {
      extends: true as const,
      plugins: [react()],
      test: {
        name: 'browser',
        include: ['test/browser/**/*.test.{ts,tsx}'],
        testTimeout: 30_000,
        browser: {
          enabled: true,
          headless: true,
          screenshotFailures: false,
          provider: playwright({ launchOptions }),
          instances: [{ browser: 'chromium' as const }],
        },
      },
    }
  : {
      extends: true as const,
      test: {
        name: 'browser',
        include: ['test/browser/**/*.test.{ts,tsx}'],
        setupFiles: ['test/support/require-chromium.ts'],
      },
    };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/src/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['packages/*/src/**/*.test.tsx', 'test/dom/**/*.test.{ts,tsx}'],
          setupFiles: ['test/support/dom-setup.ts'],
        },
      },
      browserProject,
    ],
  },
});
