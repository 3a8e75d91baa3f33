import * as z from 'zod/mini';
import { noteSchema, type Note } from '../../server/note.js';

/**
 * The last list the server gave, kept on this device. Reads fall back to it when the
 * server cannot be reached, so the app opens with the user's notes even offline.
 * Anything unreadable is ignored rather than trusted.
 */
const KEY = 'field-notes:last-good-list';
const cachedSchema = z.object({ savedAt: z.number(), notes: z.array(noteSchema) });

export interface CachedNotes {
  savedAt: number;
  notes: Note[];
}

export function readCachedNotes(): CachedNotes | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw === null) return undefined;
    const parsed = cachedSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeCachedNotes(notes: Note[], savedAt: number): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ savedAt, notes } satisfies CachedNotes));
  } catch {
    // Storage full or blocked: the list still works, it just will not open offline.
  }
}
