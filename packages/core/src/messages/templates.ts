/**
 * A template is either one sentence or a set of plural forms keyed by the
 * `Intl.PluralRules` category of `{count}` (`one`, `few`, `many`, … and the
 * required `other`), with optional exact matches such as `'=0'` that win over
 * the category. Placeholders are `{name}` and are filled from `params`.
 */
export type TemplateText = string | PluralTemplate;

/** The plural form of a `TemplateText`: a text per plural category (`other` required) and per exact count (`'=0'`). */
export type PluralTemplate = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>> & {
    [exact: `=${number}`]: string;
  };

/**
 * Every word the SDK and its components show to the people using the app: messages,
 * action labels, status labels and the outbox panel. Replace any of them (for tone or
 * for another language) with `createProtection({ messages: { templates } })`.
 * `{count}` comes from params where a template has plural forms.
 */
export interface Templates {
  // --- Banners: one lasting situation at a time --------------------------------------------
  /** The device has no network. */
  offline: TemplateText;
  /** The device has a network, but the app's server does not answer it. */
  unreachable: TemplateText;
  /** The server answers, but with errors (5xx, a paused dependency the app cannot do without). */
  serverTrouble: TemplateText;
  /** Part of the app is paused (a dependency the app can do without is failing), or set by hand. */
  degraded: TemplateText;
  /** Calls are getting slower or failing more often: trouble is likely soon. */
  predictedTrouble: TemplateText;
  /** The device's connection is slow. */
  slow: TemplateText;
  /** The outbox lost IndexedDB: changes live only in this tab. */
  storageFallback: TemplateText;

  // --- Toasts: events ---------------------------------------------------------------------
  backOnline: TemplateText;
  /** "{count} changes waiting to sync" */
  queued: TemplateText;
  /** Saves keep failing while the device is online: `{count}` changes are kept and retried. */
  savingTrouble: TemplateText;
  /** "All {count} changes synced." */
  synced: TemplateText;
  /** The server refused `{count}` changes. */
  rejected: TemplateText;
  /** A read the app asked about failed, with nothing to show instead. */
  loadFailed: TemplateText;
  /**
   * A read failed and what shows is the copy saved from its last success (a `lastGood()`
   * fallback): `{time}` it was saved (`savedAtText(savedAt)`). Also for the app's own line by the data.
   */
  savedCopy: TemplateText;
  /** A write the app asked about failed and could not be kept for later. */
  saveFailed: TemplateText;

  // --- Action labels -------------------------------------------------------------------------
  actionReview: TemplateText;
  actionRetry: TemplateText;
  actionDiscard: TemplateText;
  actionDismiss: TemplateText;

  // --- The connectivity indicator ----------------------------------------------------------
  statusOnline: TemplateText;
  statusOffline: TemplateText;
  statusUnreachable: TemplateText;
  statusServerTrouble: TemplateText;
  statusSlow: TemplateText;
  statusChecking: TemplateText;

  // --- The degradation banner, by level ----------------------------------------------------
  levelMinimal: TemplateText;
  levelModerate: TemplateText;
  levelSevere: TemplateText;
  levelCritical: TemplateText;

  // --- Regions' accessible names -----------------------------------------------------------
  regionBanners: TemplateText;
  regionToasts: TemplateText;

  // --- The outbox panel --------------------------------------------------------------------
  outboxHeading: TemplateText;
  /** An entry, when the app gives no description of its own: `{time}` it was made. */
  outboxEntry: TemplateText;
  outboxEmpty: TemplateText;
  outboxPending: TemplateText;
  outboxDead: TemplateText;
  outboxSelectAll: TemplateText;
  /** Asks before discarding `{count}` changes for good. */
  outboxConfirmDiscard: TemplateText;
  outboxConfirm: TemplateText;
  outboxCancel: TemplateText;
  /** `{count}` changes will be sent again. */
  outboxRetried: TemplateText;
  /** `{count}` changes were discarded. */
  outboxDiscarded: TemplateText;
  outboxActionFailed: TemplateText;
  outboxWaiting: TemplateText;
  outboxSending: TemplateText;
  outboxLastFailure: TemplateText;
  outboxMemory: TemplateText;
  outboxPaused: TemplateText;
  outboxDeadRejected: TemplateText;
  outboxDeadExpired: TemplateText;
  outboxDeadMaxAttempts: TemplateText;
  outboxDeadInvalid: TemplateText;
  outboxDeadUnknownType: TemplateText;
}

/** The name of one of the texts in `Templates`. */
export type TemplateId = keyof Templates;

/**
 * Default English texts, written for the people using the app rather than for
 * its engineers: say what happened, whether their work is safe, and what happens next.
 * Connection words are kept for the network; trouble on the server's side is
 * worded as the service having trouble.
 */
export const defaultTemplates: Readonly<Templates> = Object.freeze({
  offline: "You're offline. Changes are saved on this device and will sync when you're back.",
  unreachable: "We can't reach the server right now. Changes are saved on this device and will sync later.",
  serverTrouble:
    "The service is having trouble right now. Changes are saved on this device and we'll keep trying.",
  degraded: 'Some features are paused while we sort out a problem. Your work is safe.',
  predictedTrouble:
    'Things are running slowly right now, so some features are simplified. Your work is safe.',
  slow: 'Your connection is slow, so some features are simplified for now.',
  storageFallback: "This browser can't store changes — keep this tab open until they sync.",

  backOnline: "You're back online.",
  queued: { one: '{count} change waiting to sync', other: '{count} changes waiting to sync' },
  savingTrouble: {
    one: "We're having trouble saving your change. It's kept on this device and we'll keep trying.",
    other: "We're having trouble saving {count} changes. They're kept on this device and we'll keep trying.",
  },
  synced: { one: 'Your change synced.', other: 'All {count} changes synced.' },
  rejected: {
    one: "One of your changes couldn't be saved because the server didn't accept it.",
    other: "{count} of your changes couldn't be saved because the server didn't accept them.",
  },
  loadFailed: "Something didn't load. Please try again in a moment.",
  savedCopy: 'Showing a copy saved at {time}.',
  saveFailed: "Your change couldn't be saved. Please try again.",

  actionReview: 'Review',
  actionRetry: 'Retry',
  actionDiscard: 'Discard',
  actionDismiss: 'Dismiss',

  statusOnline: 'Online',
  statusOffline: 'Offline',
  statusUnreachable: "Can't reach the server",
  statusServerTrouble: 'Service trouble',
  statusSlow: 'Slow connection',
  statusChecking: 'Checking connection…',

  levelMinimal: 'Some features are simplified right now.',
  levelModerate: 'Some features are turned off for now.',
  levelSevere: 'Most features are unavailable right now.',
  levelCritical: 'Only essential features are available right now.',

  regionBanners: 'Notices',
  regionToasts: 'Notifications',

  outboxHeading: 'Changes waiting to sync',
  outboxEntry: 'A change made {time}',
  outboxEmpty: 'Nothing waiting to sync.',
  outboxPending: 'Waiting to send',
  outboxDead: 'Could not be saved',
  outboxSelectAll: 'Select all',
  outboxConfirmDiscard: {
    one: 'Discard {count} change? It will be lost.',
    other: 'Discard {count} changes? They will be lost.',
  },
  outboxConfirm: 'Discard for good',
  outboxCancel: 'Keep them',
  outboxRetried: { one: '{count} change will be sent again.', other: '{count} changes will be sent again.' },
  outboxDiscarded: { one: '{count} change discarded.', other: '{count} changes discarded.' },
  outboxActionFailed: 'That did not work. Please try again.',
  outboxWaiting: 'Waiting',
  outboxSending: 'Sending…',
  outboxLastFailure: 'Last try failed',
  outboxMemory: 'These changes are kept in this tab only: closing it would lose them.',
  outboxPaused: 'Sending is paused until you sign in again.',
  outboxDeadRejected: 'Refused by the server',
  outboxDeadExpired: 'Too old to send',
  outboxDeadMaxAttempts: 'Gave up after repeated failures',
  outboxDeadInvalid: 'The stored change was unreadable',
  outboxDeadUnknownType: 'No way to send this kind of change',
});

export const templateIds = Object.freeze(Object.keys(defaultTemplates)) as readonly TemplateId[];
