import type { Message, VisibleMessages } from '@bulletproof/core';
import { useMemo } from '../react.js';
import { useProtection } from '../context/BulletproofProvider.js';
import { useObserved } from './use-observed.js';

/** What `useMessages` returns: the visible banners and toasts, and the functions that answer them. */
export interface MessagesView {
  banners: readonly Message[];
  toasts: readonly Message[];
  /** Removes the message with `key` (see `MessageCenter.dismiss` in the core). */
  dismiss: (key: string) => void;
  /** Runs the action `actionId` of the message with `key` (see `MessageCenter.act` in the core). */
  act: (key: string, actionId: string) => Promise<void>;
}

// Messages tell of things that happen in the browser: none on the server or while hydrating.
const NO_MESSAGES: VisibleMessages = { banners: [], toasts: [] };
const server = () => NO_MESSAGES;

/** The messages the user should see now, as the message center ranks and caps them. */
export function useMessages(): MessagesView {
  const { messages } = useProtection();
  const visible = useObserved(messages.visible$, () => messages.visible, undefined, server);
  return useMemo(
    () => ({
      banners: visible.banners,
      toasts: visible.toasts,
      dismiss: (key: string) => {
        messages.dismiss(key);
      },
      act: (key: string, actionId: string) => messages.act(key, actionId),
    }),
    [visible, messages],
  );
}
