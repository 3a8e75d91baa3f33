// A draft store: debounced autosave in IndexedDB. Quoted in docs/getting-started.md.
import { createDraftStore } from '@bulletproof/core';

declare const title: string;
declare const body: string;

const drafts = createDraftStore({ name: 'notes' });
await drafts.save('note:42', { title, body }); // debounced; resolves once committed to IndexedDB
export const restored = await drafts.load<{ title: string; body: string }>('note:42');
