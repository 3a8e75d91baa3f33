import { useId, useState } from 'react';
import type { Photo } from '../notes/note-draft.js';
import { PHOTO_BUDGET_CHARS, photoChars, shrinkImage } from './shrink-image.js';

/**
 * Attach a photo: the full feature, available while the app is healthy. Photos are the
 * heaviest thing a note carries, so this is the first feature the app sheds (`moderate`).
 */
export function PhotoPicker({ photos, onAdd }: { photos: readonly Photo[]; onAdd: (photo: Photo) => void }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const left = PHOTO_BUDGET_CHARS - photoChars(photos);
  return (
    <div className="attachments" data-feature="attachments" data-mode="photos">
      <label htmlFor={id}>Attach a photo</label>
      <input
        id={id}
        type="file"
        accept="image/*"
        disabled={busy || left < 2_000}
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          if (!file) return;
          setBusy(true);
          setProblem(null);
          shrinkImage(file, left)
            .then(onAdd, (error: unknown) =>
              setProblem(error instanceof Error ? error.message : String(error)),
            )
            .finally(() => {
              setBusy(false);
              input.value = '';
            });
        }}
      />
      {left < 2_000 && <p className="hint">This note is full of photos: remove one to add another.</p>}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </div>
  );
}
