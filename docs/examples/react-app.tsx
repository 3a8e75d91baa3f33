// A complete React app: one Protection, the provider, a form whose saves go through the outbox,
// a draft that survives a reload, and every component. Quoted in docs/getting-started-react.md.
import { createOutbox, createProtection, fetchOk } from '@bulletproof/core';
import type { ExecutionContext } from '@bulletproof/core';
import {
  BulletproofBoundary,
  BulletproofProvider,
  ConnectivityIndicator,
  DegradationBanner,
  Degraded,
  MessageCenter,
  OutboxPanel,
  useBoundary,
  useBulletproof,
  useDraft,
} from '@bulletproof/react';
import '@bulletproof/react/styles.css'; // optional: CSS variables, light and dark
import type { SubmitEvent } from 'react';
import { createRoot } from 'react-dom/client';

interface Note {
  id: string;
  title: string;
  body: string;
}

// One Protection for the app, created once, outside React.
const protection = createProtection({
  dependencies: { api: { critical: true } },
  connectivity: { probe: { url: '/api/health' } },
  // The outbox, made from the protection's clock and connectivity (`parts`).
  outbox: (parts) =>
    createOutbox({
      ...parts,
      handlers: {
        // Replays a queued save when the network is back; the key makes the server apply it once.
        'note.save': (note: Note, { idempotencyKey, signal }) =>
          fetchOk(`/api/notes/${note.id}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
            body: JSON.stringify(note),
            signal,
          }),
      },
    }),
  degradation: { features: { search: 'moderate' } },
});

function NoteEditor({ id }: { id: string }) {
  // Survives a reload: restored from IndexedDB, saved as the user types.
  const [note, setNote, draft] = useDraft<Note>(`note:${id}`, { id, title: '', body: '' });
  const { showBoundary } = useBoundary();
  const save = useBulletproof(
    'save-note',
    // `this` is the call's ExecutionContext: pass its signal on so timeouts and unmounts stop the
    // request, and its key, which the queued replay (the handler above) sends again.
    function (this: ExecutionContext, n: Note) {
      return fetchOk(`/api/notes/${n.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': this.idempotencyKey },
        body: JSON.stringify(n),
        signal: this.signal,
      }).then((res) => res.json() as Promise<Note>);
    },
    // Options may depend on the call's arguments: queue this very note when it cannot be sent now.
    (n) => ({ dependency: 'api', offline: { type: 'note.save', payload: n }, abortOnUnmount: false }),
  );

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    // `run` never rejects for a failure of the request, only for misuse: that is a bug, show the boundary.
    save.run(note).then((result) => {
      if (result.status === 'ok' || result.status === 'queued') return draft.clear();
    }, showBoundary);
  }

  return (
    <form aria-label="Edit note" onSubmit={submit}>
      {draft.restored && <p>Restored your unsaved changes.</p>}
      <label>
        Title <input value={note.title} onChange={(e) => setNote({ ...note, title: e.target.value })} />
      </label>
      <label>
        Body <textarea value={note.body} onChange={(e) => setNote({ ...note, body: e.target.value })} />
      </label>
      <button disabled={save.state === 'running'}>Save</button>
      <span>{draft.saving ? 'Saving draft…' : ''}</span>
      {save.state === 'queued' && <p>Saved on this device; it will sync when you're back online.</p>}
      {save.state === 'failed' && (
        <p role="alert">Not saved: {save.result?.status === 'failed' && save.result.failure.message}</p>
      )}
    </form>
  );
}

function App() {
  return (
    <BulletproofProvider protection={protection}>
      <MessageCenter /> {/* banners here, above the content; toasts in a corner */}
      <header>
        <h1>Field notes</h1>
        <ConnectivityIndicator />
      </header>
      <main>
        <DegradationBanner live={false} /> {/* the message center already announces degradation */}
        <Degraded feature="search" fallback={<p>Search is resting; browse the list instead.</p>}>
          <input type="search" aria-label="Search notes" />
        </Degraded>
        <BulletproofBoundary
          resetKeys={['note-1']}
          fallbackRender={({ error, resetErrorBoundary }) => (
            <div role="alert" data-bp-boundary="">
              <p>Something went wrong: {String(error)}</p>
              <button onClick={() => resetErrorBoundary()}>Try again</button>
            </div>
          )}
        >
          <NoteEditor id="note-1" />
        </BulletproofBoundary>
        <OutboxPanel hideWhenEmpty />
      </main>
    </BulletproofProvider>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
