import type { HttpPayload, OutboxEntry } from '@bulletproof/core';
import * as z from 'zod/mini';
import type { Note } from '../../server/note.js';

/** Where a note stands between this device and the server. */
export type SyncState = 'synced' | 'waiting' | 'sending' | 'not-saved';

export type ShownNote = Note & { sync: SyncState };

/** A write the outbox holds for a note: not on the server yet, so the list shows it on top of the server's copy. */
export interface LocalWrite {
  noteId: string;
  kind: 'save' | 'delete';
  sync: Exclude<SyncState, 'synced'>;
  at: number;
  note?: { title: string; body: string };
}

const NOTE_PATH = /^\/api\/notes\/([^/]+)$/;
const bodySchema = z.object({ title: z.string(), body: z.optional(z.string()) });
const decoder = new TextDecoder();

/** Reads back what an outbox entry will send; entries that are not note writes are ignored. */
export function localWriteOf(entry: OutboxEntry): LocalWrite | undefined {
  if (entry.type !== 'http') return undefined;
  const payload = entry.payload as HttpPayload;
  let path: string;
  try {
    path = new URL(payload.url).pathname;
  } catch {
    return undefined;
  }
  const idPart = NOTE_PATH.exec(path)?.[1];
  if (idPart === undefined) return undefined;
  const noteId = decodeURIComponent(idPart);
  const sync = entry.state === 'dead' ? 'not-saved' : entry.state === 'in-flight' ? 'sending' : 'waiting';
  if (payload.method === 'DELETE') return { noteId, kind: 'delete', sync, at: entry.createdAt };
  if (payload.method !== 'PUT' || payload.body === null) return undefined;
  const parsed = parseJson(decoder.decode(payload.body));
  const body = bodySchema.safeParse(parsed);
  if (!body.success) return undefined;
  return {
    noteId,
    kind: 'save',
    sync,
    at: entry.createdAt,
    note: { title: body.data.title, body: body.data.body ?? '' },
  };
}

/** The server's list with this device's unsent writes laid over it, newest first. */
export function applyLocalWrites(notes: readonly Note[], writes: readonly LocalWrite[]): ShownNote[] {
  const shown = new Map<string, ShownNote>(notes.map((n) => [n.id, { ...n, sync: 'synced' }]));
  for (const write of [...writes].sort((a, b) => a.at - b.at)) {
    const current = shown.get(write.noteId);
    if (write.kind === 'delete') {
      // A delete the server refused leaves the note where it was.
      if (write.sync === 'not-saved') {
        if (current) shown.set(write.noteId, { ...current, sync: 'not-saved' });
      } else {
        shown.delete(write.noteId);
      }
      continue;
    }
    if (!write.note) continue;
    shown.set(write.noteId, {
      id: write.noteId,
      title: write.note.title,
      body: write.note.body,
      createdAt: current?.createdAt ?? write.at,
      updatedAt: Math.max(write.at, current?.updatedAt ?? 0),
      sync: write.sync,
    });
  }
  return [...shown.values()].sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
