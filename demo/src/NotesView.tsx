import { useCallback, useEffect, useState } from 'react';
import type { Note } from '../server/note.js';
import { notesClient } from './notes-client.js';

type Load = { state: 'loading' } | { state: 'ready'; notes: Note[] } | { state: 'error'; message: string };

function newId(): string {
  return `n-${crypto.randomUUID()}`;
}

/** Lists notes and edits one at a time, straight through the API. */
export function NotesView() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [editing, setEditing] = useState<{ id: string; title: string; body: string } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const notes = await notesClient.list();
      setLoad({ state: 'ready', notes: notes.sort((a, b) => b.updatedAt - a.updatedAt) });
    } catch (error) {
      setLoad({ state: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function save() {
    if (!editing) return;
    setSaving(true);
    setSaveError(null);
    try {
      await notesClient.save(editing);
      setEditing(null);
      await refresh();
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: string) {
    try {
      await notesClient.remove(id);
      await refresh();
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <section aria-labelledby="notes-heading" className="notes">
      <div className="notes-toolbar">
        <h2 id="notes-heading">Notes</h2>
        <button type="button" onClick={() => setEditing({ id: newId(), title: '', body: '' })}>
          New note
        </button>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>

      {editing && (
        <form
          className="editor"
          aria-label="Edit note"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label>
            Title
            <input
              name="title"
              value={editing.title}
              required
              maxLength={200}
              onChange={(event) => setEditing({ ...editing, title: event.target.value })}
            />
          </label>
          <label>
            Body
            <textarea
              name="body"
              rows={5}
              value={editing.body}
              onChange={(event) => setEditing({ ...editing, body: event.target.value })}
            />
          </label>
          <div className="editor-actions">
            <button type="submit" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
          {saveError && (
            <p role="alert" className="error">
              {saveError}
            </p>
          )}
        </form>
      )}

      {load.state === 'loading' && <p>Loading notes…</p>}
      {load.state === 'error' && (
        <p role="alert" className="error">
          Could not load notes: {load.message}
        </p>
      )}
      {load.state === 'ready' && load.notes.length === 0 && <p>No notes yet.</p>}
      {load.state === 'ready' && load.notes.length > 0 && (
        <ul className="note-list">
          {load.notes.map((note) => (
            <li key={note.id} data-note-id={note.id}>
              <h3>{note.title}</h3>
              {note.body && <p>{note.body}</p>}
              <div className="note-actions">
                <button
                  type="button"
                  onClick={() => setEditing({ id: note.id, title: note.title, body: note.body })}
                >
                  Edit
                </button>
                <button type="button" onClick={() => void remove(note.id)}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
