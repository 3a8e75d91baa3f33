import { fetchOk } from '@bulletproof/core';
import * as z from 'zod/mini';
import { noteSchema, type Note } from '../../server/note.js';
import { joinBody, type NoteDraft } from './note-draft.js';

/**
 * The notes API as plain requests. A write is described as data first (`NoteWrite`), so the
 * very same request can be sent now or handed to the outbox to be sent later: its
 * `Idempotency-Key` goes with it, and the server applies it once either way.
 */
export interface NoteWrite {
  url: string;
  method: 'PUT' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
}

const listSchema = z.object({ notes: z.array(noteSchema) });

export const notePath = (id: string) => `/api/notes/${encodeURIComponent(id)}`;

export async function fetchNotes(signal: AbortSignal): Promise<Note[]> {
  const res = await fetchOk('/api/notes', { signal, headers: { accept: 'application/json' } });
  return listSchema.parse(await res.json()).notes;
}

/** PUT is an upsert, so a note created offline keeps the id it was given here. */
export function saveRequest(id: string, draft: NoteDraft): NoteWrite {
  return {
    url: notePath(id),
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'idempotency-key': `save:${draft.revision}` },
    body: JSON.stringify({ id, title: draft.title.trim(), body: joinBody(draft) }),
  };
}

export function deleteRequest(note: Pick<Note, 'id' | 'updatedAt'>): NoteWrite {
  return {
    url: notePath(note.id),
    method: 'DELETE',
    headers: { 'idempotency-key': `delete:${note.id}@${note.updatedAt}` },
  };
}

/** Sends a write now; resolves with the saved note (PUT) or nothing (DELETE), throws `HttpError` otherwise. */
export async function sendWrite(write: NoteWrite, signal: AbortSignal): Promise<Note | undefined> {
  const res = await fetchOk(write.url, {
    method: write.method,
    headers: write.headers,
    ...(write.body === undefined ? {} : { body: write.body }),
    signal,
  });
  if (res.status === 204) return undefined;
  return noteSchema.parse(await res.json());
}

export function newNoteId(): string {
  return `n-${crypto.randomUUID()}`;
}
