import type { HttpPayload, OutboxEntry, PendingOverlayOptions } from '@bulletproof/core';
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

/** The note as one unsent write leaves it (`undefined`: not in the list); other writes leave it as it is. */
export function applyLocalWrite(
  current: ShownNote | undefined,
  write: LocalWrite | undefined,
): ShownNote | undefined {
  if (!write) return current;
  if (write.kind === 'delete') {
    // A delete the server refused leaves the note where it was.
    return write.sync === 'not-saved' && current ? { ...current, sync: 'not-saved' } : undefined;
  }
  if (!write.note) return current;
  return {
    id: write.noteId,
    title: write.note.title,
    body: write.note.body,
    createdAt: current?.createdAt ?? write.at,
    updatedAt: Math.max(write.at, current?.updatedAt ?? 0),
    sync: write.sync,
  };
}

/**
 * The server's list with this device's unsent writes laid over it (`usePendingOverlay`), in
 * the order they were made. Writes the server refused stay in view, marked "not saved", until
 * the user retries or discards them.
 */
export const NOTE_WRITES: PendingOverlayOptions<ShownNote, HttpPayload> = {
  type: 'http',
  id: (note) => note.id,
  idOf: (_payload, entry) => localWriteOf(entry)?.noteId,
  apply: (note, _payload, entry) => applyLocalWrite(note, localWriteOf(entry)),
  includeDead: true,
};

/** Newest first, as the list shows them. */
export const newestFirst = (a: ShownNote, b: ShownNote) =>
  b.updatedAt - a.updatedAt || a.id.localeCompare(b.id);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
