// sw.ts — the service worker: precaches the built app so it opens with no network, lets /api/
// calls through so the SDK sees their real failures, and delivers queued writes through
// Background Sync after the page is closed. Quoted in docs/service-worker.md.
import { createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { installOutboxSync } from '@bulletproof/core/sw';

// Filled in at build time by vite-plugin-pwa (injectManifest) or workbox-build.
declare const self: { __WB_MANIFEST: Array<PrecacheEntry | string> };
declare function addFreshAuth(req: Request): Promise<Request>;

precacheAndRoute(self.__WB_MANIFEST); // the built page and its files
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));
installOutboxSync({ name: 'app', prepare: addFreshAuth }); // same lock, order and guarantees as a page
