export { createDraftStore } from './draft-store.js';
export type { DraftPageEvents, DraftStorage, DraftStore, DraftStoreOptions } from './types.js';
