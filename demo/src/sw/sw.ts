import { installOutboxSync } from '@bulletproof/core/sw';
import { OUTBOX_NAME } from '../app/outbox-name.js';
import { installAppShell, type ShellScope } from './app-shell.js';

// The Field Notes service worker, built to `/sw.js` by `demo/plugins/service-worker.ts`.
// Two jobs: open the app with no network (the app shell), and deliver the writes the pages
// queued even after every tab is closed (Background Sync drains the same outbox).

/** Filled in at build time: the app shell's files, and a version naming their cache. */
declare const __PRECACHE_MANIFEST__: readonly string[];
declare const __SHELL_VERSION__: string;

installOutboxSync({ name: OUTBOX_NAME });
installAppShell(globalThis as unknown as ShellScope, {
  precache: __PRECACHE_MANIFEST__,
  version: __SHELL_VERSION__,
});
