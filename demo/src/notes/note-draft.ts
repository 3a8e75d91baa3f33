import type { Note } from '../../server/note.js';

/** A photo attached to a note: a small JPEG, kept inside the note's body. */
export interface Photo {
  name: string;
  dataUrl: string;
}

/**
 * What the editor works on, autosaved to the draft store on every change. `revision`
 * changes with every edit and is the save's idempotency key: saving the same revision
 * twice (a double click, a retry after a lost answer) is applied once by the server.
 */
export interface NoteDraft {
  title: string;
  text: string;
  photos: Photo[];
  revision: string;
}

/** Only images this app made (base64 JPEG/PNG/WebP) are ever rendered from a note. */
const PHOTO_LINE = /^!\[([^\]\n]{0,120})\]\((data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/=]+)\)$/;

export function newRevision(): string {
  return crypto.randomUUID();
}

/** The note's body splits into its text and its photos (one `![name](data:…)` line each). */
export function splitBody(body: string): { text: string; photos: Photo[] } {
  const photos: Photo[] = [];
  const text: string[] = [];
  for (const line of body.split('\n')) {
    const match = PHOTO_LINE.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined)
      photos.push({ name: match[1], dataUrl: match[2] });
    else text.push(line);
  }
  return { text: text.join('\n').trimEnd(), photos };
}

export function joinBody(draft: Pick<NoteDraft, 'text' | 'photos'>): string {
  const photoLines = draft.photos.map((p) => `![${p.name.replace(/[\]\n]/g, ' ')}](${p.dataUrl})`);
  return [draft.text.trimEnd(), ...photoLines].filter((part) => part !== '').join('\n');
}

/** The draft an editor starts from: the note as saved, with a revision tied to that version. */
export function draftOf(note: Note | undefined): NoteDraft {
  if (!note) return { title: '', text: '', photos: [], revision: newRevision() };
  const { text, photos } = splitBody(note.body);
  return { title: note.title, text, photos, revision: `${note.id}@${note.updatedAt}` };
}
