// A list read with a saved copy as its fallback, which says itself how old what it shows is.
// `protection` is the one from react-protection.ts. Quoted in docs/fallback-tiers.md.
import { fetchOk, lastGood, savedAtText } from '@bulletproof/core';
import type { ExecutionContext } from '@bulletproof/core';
import { useBulletproof, useText } from '@bulletproof/react';
import { useEffect } from 'react';
import type { Note } from './app-helpers.js';

const notesCopy = lastGood<Note[]>('notes');

export function Notes() {
  const text = useText();
  const load = useBulletproof(
    'load notes',
    async function (this: ExecutionContext) {
      return (await fetchOk('/api/notes', { signal: this.signal })).json() as Promise<Note[]>;
    },
    // `silent`: this component says it itself, by the list, instead of a toast.
    { fallback: notesCopy, silent: true },
  );
  const { run, result } = load;
  useEffect(() => {
    void run();
  }, [run]);

  if (result?.status === 'failed') return <p role="alert">{text('loadFailed')}</p>;
  if (result?.status !== 'ok' && result?.status !== 'fallback') return <p aria-busy="true" />;
  return (
    <section>
      {result.status === 'fallback' && result.savedAt !== undefined && (
        <p role="status">{text('savedCopy', { time: savedAtText(result.savedAt) })}</p>
      )}
      <ul>
        {result.value.map((note) => (
          <li key={note.id}>{note.title}</li>
        ))}
      </ul>
    </section>
  );
}
