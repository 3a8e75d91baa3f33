// The message center on its own. Quoted in docs/messages.md.
import { createMessageCenter } from '@bulletproof/core';
import { render } from './app-helpers.js';

const messages = createMessageCenter({ maxToasts: 1, maxBanners: 1, locale: 'en' });
messages.post({ key: 'offline', tone: 'warning', placement: 'banner', text: messages.template('offline') });
messages.post({ key: 'outbox', tone: 'info', text: messages.template('queued', { count: 3 }) });
messages.visible$.subscribe(({ banners, toasts }) => {
  render(banners, toasts);
});
