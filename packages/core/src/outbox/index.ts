export { createOutbox } from './outbox.js';
export { outboxHttp } from './outbox-http.js';
export type { OutboxHttp, OutboxHttpOptions } from './outbox-http.js';
export { whenSettled } from './when-settled.js';
export type { SettledOutcome } from './when-settled.js';
export type {
  AutoDrainOptions,
  DeadReason,
  DrainReport,
  EnqueueOptions,
  HttpPayload,
  OutboxLockManager,
  Outbox,
  OutboxEntry,
  OutboxEntryState,
  OutboxEvent,
  OutboxFailureSummary,
  OutboxHandler,
  OutboxHandlerContext,
  OutboxOptions,
  OutboxRequestInit,
  OutboxStats,
  OutboxWindow,
} from './types.js';
export { overlayPending } from './pending-overlay.js';
export type { PendingOverlay, PendingOverlayOptions } from './pending-overlay.js';
