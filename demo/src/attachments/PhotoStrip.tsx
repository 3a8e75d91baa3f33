import type { Photo } from '../notes/note-draft.js';

/** The photos already in a note, each removable: shown whether or not new uploads are allowed. */
export function PhotoStrip({
  photos,
  onRemove,
}: {
  photos: readonly Photo[];
  onRemove?: (index: number) => void;
}) {
  if (photos.length === 0) return null;
  return (
    <ul className="photo-strip" aria-label="Photos">
      {photos.map((photo, index) => (
        <li key={`${index}-${photo.name}`}>
          <img src={photo.dataUrl} alt={photo.name} />
          {onRemove && (
            <button type="button" className="link-button" onClick={() => onRemove(index)}>
              Remove <span className="visually-hidden">{photo.name}</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
