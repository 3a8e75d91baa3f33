import type { ExecutionContext } from '@bulletproof/core';
import { useBulletproof } from '@bulletproof/react';
import { DEPENDENCIES } from '../app/dependencies.js';
import { NoteBody } from './NoteBody.js';
import { deleteRequest, sendWrite, type NoteWrite } from './notes-api.js';
import type { ShownNote } from './local-writes.js';
import { SyncBadge } from './SyncBadge.js';

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One note in the list, with its sync state; deleting works offline too (the delete is queued). */
export function NoteCard({
  note,
  onEdit,
  onDeleted,
}: {
  note: ShownNote;
  onEdit: () => void;
  onDeleted: (id: string) => void;
}) {
  const write = deleteRequest(note);
  const remove = useBulletproof(
    'delete-note',
    function (this: ExecutionContext, w: NoteWrite) {
      return sendWrite(w, this.signal);
    },
    {
      dependency: DEPENDENCIES.write,
      offline: { type: 'http', payload: write, channel: `note:${note.id}` },
      abortOnUnmount: false,
    },
  );
  return (
    <li className="note-card" data-note-id={note.id} data-sync={note.sync}>
      <h3>{note.title}</h3>
      <p className="note-meta">
        <time dateTime={new Date(note.updatedAt).toISOString()}>{time.format(note.updatedAt)}</time>
        <SyncBadge sync={note.sync} />
      </p>
      <NoteBody body={note.body} />
      <div className="note-actions">
        <button type="button" onClick={onEdit}>
          Edit <span className="visually-hidden">{note.title}</span>
        </button>
        <button
          type="button"
          aria-disabled={remove.state === 'running'}
          onClick={() => {
            if (remove.state === 'running') return;
            void remove.run(write).then((result) => {
              if (result.status === 'ok') onDeleted(note.id);
            });
          }}
        >
          Delete <span className="visually-hidden">{note.title}</span>
        </button>
      </div>
      {remove.result?.status === 'failed' && (
        <p role="alert" className="error">
          Could not delete: {remove.result.failure.message}
        </p>
      )}
    </li>
  );
}
