import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { sourceAliases } from './packages/source-aliases.js';
import { chromiumLaunchOptions } from './test/support/chromium.js';

const launchOptions = chromiumLaunchOptions();

const browserProject = launchOptions
  ? {
      extends: true as const,
      plugins: [react()],
      // Pre-bundled up front, so Vite does not reload the page mid-run when it meets them.
      optimizeDeps: { include: ['idb', 'workbox-window', 'react', 'react-dom/client'] },
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
  resolve: { alias: sourceAliases },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/src/**/*.test.ts', 'test/unit/**/*.test.ts', 'docs/examples/*.test.ts'],
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
