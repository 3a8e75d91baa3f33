/**
 * The outbox's name, shared by the pages and the service worker: the same name means the
 * same IndexedDB database, Web Lock and BroadcastChannel, so the worker can deliver what a
 * page queued (Background Sync) without either of them sending a write twice.
 */
export const OUTBOX_NAME = 'field-notes';
