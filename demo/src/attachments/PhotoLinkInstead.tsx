import { useId, useState } from 'react';

/**
 * The lighter alternative while photo uploads are paused: keep a link to the photo (it
 * can be attached later) in the note's text. Nothing heavy leaves the device.
 */
export function PhotoLinkInstead({ onAdd }: { onAdd: (line: string) => void }) {
  const id = useId();
  const [link, setLink] = useState('');
  const add = () => {
    const trimmed = link.trim();
    if (trimmed === '') return;
    onAdd(`Photo: ${trimmed}`);
    setLink('');
  };
  return (
    <div className="attachments attachments-paused" data-feature="attachments" data-mode="link">
      <p className="hint">
        Photo uploads are paused while the server is struggling. Add a link to the photo instead — attach it
        later.
      </p>
      <div className="inline-field">
        <label htmlFor={id}>Link to a photo</label>
        <input
          id={id}
          type="url"
          inputMode="url"
          placeholder="https://…"
          value={link}
          onChange={(event) => setLink(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add}>
          Add link
        </button>
      </div>
    </div>
  );
}
