// A recovery action for auth failures, and a draft store. Quoted in docs/protection.md.
import { createDraftStore, createProtection } from '@bulletproof/core';

declare const title: string;
declare const body: string;
const protection = createProtection();

protection.recovery.register('auth', {
  name: 'refresh-token',
  run: async () => (await fetch('/api/session/refresh', { method: 'POST' })).ok,
  cooldownMs: 30_000,
});

// --- drafts ---
const drafts = createDraftStore({ name: 'notes' });
await drafts.save('note:42', { title, body }); // debounced; resolves once committed to IndexedDB
export const restored = await drafts.load<{ title: string; body: string }>('note:42');
