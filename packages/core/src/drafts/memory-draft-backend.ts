import type { DraftBackend } from './types.js';

/**
 * Drafts in memory, for browsers where IndexedDB cannot be opened (some private
 * modes, blocked storage). Values are cloned in and out, exactly as IndexedDB
 * would, so callers see the same semantics whichever backend they got.
 */
export function createMemoryDraftBackend(): DraftBackend {
  const drafts = new Map<string, unknown>();
  return {
    kind: 'memory',
    put(entries) {
      for (const [key, value] of entries) drafts.set(key, structuredClone(value));
      return Promise.resolve();
    },
    get(key) {
      return Promise.resolve(drafts.has(key) ? structuredClone(drafts.get(key)) : undefined);
    },
    delete(key) {
      drafts.delete(key);
      return Promise.resolve();
    },
    keys() {
      return Promise.resolve([...drafts.keys()]);
    },
    close() {
      drafts.clear();
    },
  };
}
