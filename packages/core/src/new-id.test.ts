import { describe, expect, it } from 'vitest';
import { newId } from './new-id.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('makes version-4 ids from getRandomValues where randomUUID is missing (insecure contexts)', () => {
    // Shadows the prototype's method on this instance; deleting the shadow restores it.
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 200 }, newId);
      for (const id of ids) expect(id).toMatch(V4);
      expect(new Set(ids).size).toBe(200);
      // Every random position takes more than one value: no digit is left unfilled.
      for (let at = 0; at < 36; at++) {
        if ([8, 13, 14, 18, 23].includes(at)) continue;
        expect(new Set(ids.map((id) => id[at])).size).toBeGreaterThan(1);
      }
    } finally {
      delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(typeof globalThis.crypto.randomUUID).toBe('function');
  });
});
