// The README's React part: the provider, the components, and a save that is queued when it
// cannot be sent. `protection` is the one from quick-start.ts, with a handler for 'note.save'.
import { fetchOk } from '@bulletproof/core';
import type { ExecutionContext } from '@bulletproof/core';
import {
  BulletproofProvider,
  ConnectivityIndicator,
  MessageCenter,
  OutboxPanel,
  useBulletproof,
} from '@bulletproof/react';
import type { Note } from './app-helpers.js';
import { protection } from './react-protection.js';

function SaveButton({ note }: { note: Note }) {
  const save = useBulletproof(
    'save note',
    function (this: ExecutionContext, n: Note) {
      return fetchOk(`/api/notes/${n.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': this.idempotencyKey },
        body: JSON.stringify(n),
        signal: this.signal,
      });
    },
    (n) => ({ offline: { type: 'note.save', payload: n }, abortOnUnmount: false }),
  );
  return (
    <button onClick={() => void save.run(note)} disabled={save.state === 'running'}>
      {save.state === 'queued' ? 'Saved on this device' : 'Save'}
    </button>
  );
}

export function App({ note }: { note: Note }) {
  return (
    <BulletproofProvider protection={protection}>
      <MessageCenter /> {/* one banner, one toast, ARIA live regions */}
      <ConnectivityIndicator />
      <SaveButton note={note} />
      <OutboxPanel hideWhenEmpty /> {/* waiting and refused writes: retry or discard */}
    </BulletproofProvider>
  );
}
