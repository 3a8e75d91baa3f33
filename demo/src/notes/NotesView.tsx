import { savedAtText } from '@bulletproof/core';
import { Degraded, useConnectivity, useDraft, useText, type TextOf } from '@bulletproof/react';
import { useState } from 'react';
import { FEATURES } from '../app/dependencies.js';
import { LiveSearch } from '../search/LiveSearch.js';
import { matchesQuery } from '../search/matches-query.js';
import { SearchOnEnter } from '../search/SearchOnEnter.js';
import { NoteEditor } from './NoteEditor.js';
import { NoteList } from './NoteList.js';
import { newNoteId } from './notes-api.js';
import { useNotes, type NotesView as Notes } from './useNotes.js';

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function sourceText(notes: Notes, reachable: boolean, text: TextOf): string {
  const at = notes.syncedAt === undefined ? '' : clock.format(notes.syncedAt);
  if (notes.source === 'server') {
    return reachable
      ? `Up to date with the server (${at}).`
      : `Showing the notes as of ${at}: the server can't be reached right now.`;
  }
  // The one statement about a saved copy: the load that fell back to it says nothing more (silent).
  if (notes.source === 'device' && notes.syncedAt !== undefined)
    return text('savedCopy', { time: savedAtText(notes.syncedAt) });
  if (notes.loading) return 'Loading notes…';
  return notes.failed ? text('loadFailed') : 'No notes on this device yet.';
}

/** The notes: search, the list (with each note's sync state) and the editor. */
export function NotesView() {
  const notes = useNotes();
  const { status } = useConnectivity();
  const text = useText();
  const [query, setQuery] = useState('');
  // Which note is open is a draft too: after a reload the editor opens again, with its text.
  const [editing, setEditing, editingDraft] = useDraft<{ id: string } | null>('editor:open', null);
  // Closing removes the key at once (a save would wait for its debounce).
  const closeEditor = () => void editingDraft.clear();

  const shown = query.trim() ? notes.notes.filter((n) => matchesQuery(n, query)) : notes.notes;
  const open = editing ? notes.notes.find((n) => n.id === editing.id) : undefined;

  return (
    <section aria-labelledby="notes-heading" className="notes panel">
      <div className="notes-toolbar">
        <h2 id="notes-heading">Notes</h2>
        <button type="button" className="primary" onClick={() => setEditing({ id: newNoteId() })}>
          New note
        </button>
        <button type="button" onClick={notes.refresh}>
          Refresh
        </button>
      </div>
      <p className="hint" data-testid="notes-source" data-source={notes.source}>
        {sourceText(notes, status === 'online' || status === 'unknown', text)}
      </p>

      <Degraded feature={FEATURES.liveSearch} fallback={<SearchOnEnter query={query} onQuery={setQuery} />}>
        <LiveSearch query={query} onQuery={setQuery} onFresh={notes.acceptServerList} />
      </Degraded>

      {editing && (
        <NoteEditor
          key={editing.id}
          id={editing.id}
          {...(open ? { note: open } : {})}
          onSaved={notes.confirmSaved}
          onClose={closeEditor}
        />
      )}

      <NoteList
        notes={shown}
        emptyText={
          query.trim() ? 'No note matches this search.' : 'No notes yet. Press “New note” to write one.'
        }
        onEdit={(id) => setEditing({ id })}
        onDeleted={notes.confirmDeleted}
      />
    </section>
  );
}
