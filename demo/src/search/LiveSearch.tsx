import type { ExecutionContext } from '@bulletproof/core';
import { useBulletproof } from '@bulletproof/react';
import { useEffect, useId, useRef, useState } from 'react';
import type { Note } from '../../server/note.js';
import { DEPENDENCIES } from '../app/dependencies.js';
import { fetchNotes } from '../notes/notes-api.js';

const PAUSE_MS = 250;

/**
 * Search as you type: results narrow with every keystroke, and every pause in typing asks
 * the server for fresh notes. (The demo API has no search
 * endpoint, so it fetches the list and the app filters it: the cost per keystroke — a
 * request — is what a real search-as-you-type has, and why it is the first thing to go.)
 */
export function LiveSearch({
  query,
  onQuery,
  onFresh,
}: {
  query: string;
  onQuery: (query: string) => void;
  onFresh: (notes: Note[], startedAt: number) => void;
}) {
  const id = useId();
  const [text, setText] = useState(query);
  const search = useBulletproof(
    'search-notes',
    function (this: ExecutionContext) {
      return fetchNotes(this.signal);
    },
    // When the server struggles the notes on screen are searched instead; no message needed.
    { dependency: DEPENDENCIES.read, fallback: null, silent: true },
  );
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { run } = search;

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <div className="search" data-feature="live-search" data-mode="live">
      <label htmlFor={id}>Search notes</label>
      <input
        id={id}
        type="search"
        placeholder="Type to search…"
        value={text}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          onQuery(next);
          clearTimeout(timer.current);
          if (next.trim() === '') return;
          timer.current = setTimeout(() => {
            const startedAt = Date.now();
            void run().then((result) => {
              if (result.status === 'ok' && result.value) onFresh(result.value, startedAt);
            });
          }, PAUSE_MS);
        }}
      />
      <p className="hint" aria-live="polite">
        {search.state === 'running' ? 'Searching the server…' : 'Results update as you type.'}
      </p>
    </div>
  );
}
