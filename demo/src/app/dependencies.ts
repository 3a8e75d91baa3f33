/**
 * The backends the app calls, each with its own policy and breaker. Reading and writing
 * notes go to the same server but fail differently for the user: a list can come from the
 * copy on this device, a save cannot — so only writes are critical, and only their trouble
 * takes the app down to `moderate`. (Live search reads too: it shares `notes-read`, whose
 * regular refreshes keep its breaker and risk current even while search is switched off.)
 */
export const DEPENDENCIES = {
  /** Loading the notes list (a cached copy stands in when it fails). */
  read: 'notes-read',
  /** Saving and deleting notes (the outbox keeps them when it fails). */
  write: 'notes-write',
} as const;

/** Features that switch off as the app degrades, and the level at which each does. */
export const FEATURES = {
  liveSearch: 'live-search',
  attachments: 'attachments',
} as const;
