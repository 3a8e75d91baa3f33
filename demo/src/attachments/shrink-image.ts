import type { Photo } from '../notes/note-draft.js';

/** A note's body holds at most 20 000 characters; photos get this share of it. */
export const PHOTO_BUDGET_CHARS = 14_000;

/**
 * Turns a picked image into a small JPEG data URL that fits in a note: scaled down, then
 * compressed harder until it fits `maxChars`. Field photos become thumbnails here because
 * the demo API stores notes as JSON; a real app would upload the original separately.
 */
export async function shrinkImage(file: File, maxChars: number): Promise<Photo> {
  const bitmap = await createImageBitmap(file);
  try {
    for (const side of [480, 320, 200, 120]) {
      for (const quality of [0.72, 0.5, 0.32]) {
        const dataUrl = encode(bitmap, side, quality);
        if (dataUrl.length <= maxChars) return { name: file.name.slice(0, 80) || 'photo', dataUrl };
      }
    }
  } finally {
    bitmap.close();
  }
  throw new Error('This photo does not fit in the note. Remove another photo first.');
}

function encode(bitmap: ImageBitmap, maxSide: number, quality: number): string {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot resize images.');
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', quality);
}

export function photoChars(photos: readonly Photo[]): number {
  return photos.reduce((sum, p) => sum + p.dataUrl.length + p.name.length + 6, 0);
}
