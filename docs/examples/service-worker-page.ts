// The page side of Background Sync: register the worker with workbox-window and hand it to the
// outbox, which then asks the worker to deliver once the tab is gone. Quoted in docs/service-worker.md.
import { createOutbox, outboxHttp } from '@bulletproof/core';
import { Workbox } from 'workbox-window';

const wb = new Workbox('/sw.js');
await wb.register();
// The worker delivers the requests the page queued (`http` entries, from `enqueueRequest`).
export const outbox = createOutbox({ name: 'app', http: outboxHttp(), backgroundSync: wb });
