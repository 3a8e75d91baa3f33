import { HttpError, type ExecutionContext, type Failure } from '@bulletproof/core';
import { Degraded, useBulletproof, useDraft } from '@bulletproof/react';
import { useId, useState } from 'react';
import type { Note } from '../../server/note.js';
import { PhotoLinkInstead } from '../attachments/PhotoLinkInstead.js';
import { PhotoPicker } from '../attachments/PhotoPicker.js';
import { PhotoStrip } from '../attachments/PhotoStrip.js';
import { DEPENDENCIES, FEATURES } from '../app/dependencies.js';
import { draftOf, newRevision, type NoteDraft } from './note-draft.js';
import { saveRequest, sendWrite, type NoteWrite } from './notes-api.js';

/** The server's own words when it refused a save; the failure's message otherwise. */
function reasonOf(failure: Failure): string {
  const cause = failure.cause;
  if (cause instanceof HttpError) {
    const body = cause.body as { message?: unknown } | undefined;
    if (typeof body?.message === 'string') return body.message;
  }
  return failure.message;
}

export interface NoteEditorProps {
  id: string;
  /** The note as last known; absent for a new note. */
  note?: Note;
  onSaved: (note: Note) => void;
  onClose: () => void;
}

/**
 * Edits one note. Every keystroke is kept in the draft store on this device (a reload or a
 * crash loses nothing); Save sends the note through `notes-write`, and when that cannot
 * reach the server the very same request goes to the outbox, to be delivered later.
 */
export function NoteEditor({ id, note, onSaved, onClose }: NoteEditorProps) {
  const titleId = useId();
  const textId = useId();
  const [initial] = useState(() => draftOf(note));
  const [draft, setDraftValue, meta] = useDraft<NoteDraft>(`note:${id}`, initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);

  const edit = (patch: Partial<Omit<NoteDraft, 'revision'>>) => {
    // A new revision per edit: it is the save's idempotency key (see note-draft.ts).
    setDraftValue({ ...draft, ...patch, revision: newRevision() });
    setChanged(true);
  };

  const write = saveRequest(id, draft);
  const save = useBulletproof(
    'save-note',
    function (this: ExecutionContext, w: NoteWrite) {
      return sendWrite(w, this.signal);
    },
    {
      dependency: DEPENDENCIES.write,
      offline: { type: 'http', payload: write, channel: `note:${id}` },
      // A save must outlive the editor: closing it must not abort the write.
      abortOnUnmount: false,
    },
  );
  const running = save.state === 'running';
  const struggling = running || save.state === 'failed';

  async function submit() {
    if (running) return;
    if (draft.title.trim() === '') {
      setProblem('Give the note a title before saving.');
      return;
    }
    setProblem(null);
    const result = await save.run(write);
    if (result.status === 'failed') {
      setProblem(
        result.failure.category === 'client' || result.failure.category === 'auth'
          ? `The server refused this note: ${reasonOf(result.failure)}`
          : `Could not save: ${reasonOf(result.failure)}. Your draft is kept on this device.`,
      );
      return;
    }
    if (result.status === 'ok' && result.value) onSaved(result.value);
    // Saved, or safely queued: the draft has done its job.
    await meta.clear();
    onClose();
  }

  const draftStatus = meta.saving
    ? 'Saving draft on this device…'
    : meta.restored && !changed
      ? 'Draft restored from this device.'
      : changed
        ? 'Draft saved on this device.'
        : '';

  return (
    <form
      className="editor"
      aria-label="Edit note"
      aria-busy={running}
      data-frustration-key={struggling ? DEPENDENCIES.write : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor={titleId}>Title</label>
        <input
          id={titleId}
          name="title"
          value={draft.title}
          maxLength={200}
          autoComplete="off"
          onChange={(event) => edit({ title: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={textId}>Note</label>
        <textarea
          id={textId}
          name="text"
          rows={5}
          value={draft.text}
          onChange={(event) => edit({ text: event.target.value })}
        />
      </div>
      <PhotoStrip
        photos={draft.photos}
        onRemove={(index) => edit({ photos: draft.photos.filter((_, i) => i !== index) })}
      />
      <Degraded
        feature={FEATURES.attachments}
        fallback={
          <PhotoLinkInstead onAdd={(line) => edit({ text: draft.text ? `${draft.text}\n${line}` : line })} />
        }
      >
        <PhotoPicker photos={draft.photos} onAdd={(photo) => edit({ photos: [...draft.photos, photo] })} />
      </Degraded>
      <div className="editor-actions">
        {/* aria-disabled, not disabled: clicks still arrive, so rage clicks on a stuck save are noticed. */}
        <button type="submit" className="primary" aria-disabled={running}>
          {running ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void meta.clear().then(onClose);
          }}
        >
          Discard draft
        </button>
        <span className="hint draft-status" aria-live="polite">
          {draftStatus}
        </span>
      </div>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </form>
  );
}
