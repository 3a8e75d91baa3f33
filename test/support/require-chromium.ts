import { NO_CHROMIUM_MESSAGE } from './chromium.js';

// Loaded in place of the browser layer when no Chromium exists: every file
// fails with the same single line that says how to install one.
throw new Error(NO_CHROMIUM_MESSAGE);
