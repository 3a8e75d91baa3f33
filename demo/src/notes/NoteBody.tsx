import { PhotoStrip } from '../attachments/PhotoStrip.js';
import { splitBody } from './note-draft.js';

/** A note's text (as text: never HTML) and its photos. */
export function NoteBody({ body }: { body: string }) {
  const { text, photos } = splitBody(body);
  return (
    <>
      {text && <p className="note-text">{text}</p>}
      <PhotoStrip photos={photos} />
    </>
  );
}
