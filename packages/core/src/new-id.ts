/**
 * A random RFC 4122 version-4 id, for entry ids and default idempotency keys.
 * `crypto.randomUUID` exists only in secure contexts; `getRandomValues` everywhere.
 */
export function newId(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(31));
  // One random byte per digit (its low 4 bits); the version (4) and the variant (8, 9, a or b) are fixed.
  let i = 0;
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (bytes[i++] as number) & 15;
    return (c === 'x' ? r : (r & 3) | 8).toString(16);
  });
}
