// The notes list with the writes still in the outbox laid over it: a note saved or deleted
// offline shows so (marked "waiting to sync") until the server has it, across reloads too.
// Writes are queued as `protect(…, { offline: { type: 'note.save' | 'note.delete', payload } })`.
// Quoted in docs/offline-writes.md.
import type { PendingOverlayOptions } from '@bulletproof/core';
import { usePendingOverlay, useText } from '@bulletproof/react';
import type { Note } from './app-helpers.js';

type NoteWrite = Note | { id: string }; // a saved note, or the id of a deleted one

// Defined once, outside the component: the overlay is computed again only when the list or the
// outbox changes. `idOf` is left out: the payload's `id` names the note it writes to.
const NOTE_WRITES: PendingOverlayOptions<Note, NoteWrite> = {
  type: ['note.save', 'note.delete'],
  id: (note) => note.id,
  apply: (_note, write, entry) => (entry.type === 'note.delete' ? undefined : (write as Note)),
};

export function NoteList({ notes }: { notes: readonly Note[] }) {
  const text = useText();
  const { items, pending } = usePendingOverlay(notes, NOTE_WRITES);
  return (
    <ul>
      {items.map((note) => (
        <li key={note.id}>
          {note.title}
          {pending.has(note.id) && <small> · {text('outboxPending')}</small>}
        </li>
      ))}
    </ul>
  );
}
