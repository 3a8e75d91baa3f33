// Templates in another language, with its plural forms. Quoted in docs/messages.md.
import { createMessageCenter } from '@bulletproof/core';

export const polish = createMessageCenter({
  locale: 'pl',
  templates: {
    queued: {
      '=0': 'Wszystko zsynchronizowane',
      one: '{count} zmiana czeka',
      few: '{count} zmiany czekają',
      many: '{count} zmian czeka',
      other: '{count} zmiany czeka',
    },
  },
});
