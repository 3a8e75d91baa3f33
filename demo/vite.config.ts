import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { sourceAliases } from '../packages/source-aliases.js';
import { demoApi } from './server/plugin.js';

// One origin serves the app and its API: `vite demo` in development and
// `vite preview demo` for the built app (end-to-end tests) both mount the API.
export default defineConfig({
  root: import.meta.dirname,
  resolve: { alias: sourceAliases },
  plugins: [react(), demoApi({ dataDir: process.env.BULLETPROOF_DEMO_DATA })],
  build: { outDir: 'dist', emptyOutDir: true },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
