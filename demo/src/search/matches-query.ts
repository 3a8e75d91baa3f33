import type { Note } from '../../server/note.js';
import { splitBody } from '../notes/note-draft.js';

/** Every word of the query appears in the title or the text (photos are not searched). */
export function matchesQuery(note: Pick<Note, 'title' | 'body'>, query: string): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = `${note.title}\n${splitBody(note.body).text}`.toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}
