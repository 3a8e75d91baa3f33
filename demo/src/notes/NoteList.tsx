import type { ShownNote } from './local-writes.js';
import { NoteCard } from './NoteCard.js';

export function NoteList({
  notes,
  emptyText,
  onEdit,
  onDeleted,
}: {
  notes: readonly ShownNote[];
  emptyText: string;
  onEdit: (id: string) => void;
  onDeleted: (id: string) => void;
}) {
  if (notes.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul className="note-list" aria-label="Notes">
      {notes.map((note) => (
        <NoteCard key={note.id} note={note} onEdit={() => onEdit(note.id)} onDeleted={onDeleted} />
      ))}
    </ul>
  );
}
