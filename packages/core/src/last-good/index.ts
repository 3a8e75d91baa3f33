export { lastGood, isLastGood } from './last-good.js';
export type { LastGood, LastGoodOptions, LastGoodStorage, SavedAnswer } from './last-good.js';
export { savedAtText } from './saved-at-text.js';
