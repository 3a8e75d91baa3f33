import { lastGood } from '@bulletproof/core';
import * as z from 'zod/mini';
import { noteSchema, type Note } from '../../server/note.js';

const notesSchema = z.array(noteSchema);

/**
 * The last list the server gave, kept on this device: the notes read's fallback tier. Reads
 * fall back to it when the server cannot be reached, so the app opens with the user's notes
 * even offline. Anything unreadable is dropped rather than trusted.
 */
export const notesCopy = lastGood<Note[]>('field-notes:notes', {
  // Field notes are opened again after days away from any network: a month-old copy still helps.
  maxAgeMs: 30 * 24 * 3_600_000,
  parse: (saved) => notesSchema.parse(saved),
});
