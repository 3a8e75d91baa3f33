// The last good answer as a read's fallback: every success is saved (localStorage by default),
// and a failure is answered with the saved copy and when it was saved. Quoted in
// docs/fallback-tiers.md.
import { createProtection, fetchOk, lastGood } from '@bulletproof/core';
import type { Note } from './app-helpers.js';

const protection = createProtection({ dependencies: { api: {} } });

// One tier per thing read, made once. Stored data outlives the code that wrote it: `parse`
// refuses what is not a list of notes (the copy is then dropped, never served).
const notesCopy = lastGood<Note[]>('notes', {
  maxAgeMs: 7 * 24 * 3_600_000, // a copy older than a week is not shown
  parse: (saved) => {
    if (!Array.isArray(saved)) throw new TypeError('not a list of notes');
    return saved as Note[];
  },
});

const notes = await protection.protect(
  'load notes',
  async ({ signal }) => (await fetchOk('/api/notes', { signal })).json() as Promise<Note[]>,
  { dependency: 'api', fallback: notesCopy },
);
if (notes.status === 'fallback' && notes.savedAt !== undefined) {
  // The saved copy: the user has been told "Showing a copy saved at 10:42." (template `savedCopy`).
  console.log(`${notes.value.length} notes, saved ${new Date(notes.savedAt).toISOString()}`);
} else if (notes.status === 'failed') {
  // No copy saved yet (or too old): failed as without a fallback, and "Something didn't load." was said.
}

// Signing out: the saved copy is someone's data.
export function signOut() {
  notesCopy.forget();
}
