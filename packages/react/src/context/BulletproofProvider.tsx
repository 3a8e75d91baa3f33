import { createDraftStore } from '@bulletproof/core';
import type { DraftStore, Protection } from '@bulletproof/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from '../react.js';
import type { ReactNode } from 'react';
import { createMessageCenterPresence, type MessageCenterPresence } from './message-center-presence.js';
import { DEV } from '../dev.js';

export interface BulletproofContextValue {
  protection: Protection;
  /** The draft store `useDraft` writes to; created on first use when the provider was given none. */
  drafts: () => DraftStore;
  /** Whether a `<MessageCenter>` is mounted below this provider. */
  messageCenters: MessageCenterPresence;
}

export const BulletproofContext = createContext<BulletproofContextValue | null>(null);

/** Props of `BulletproofProvider`: the Protection the hooks and components below use, and where drafts live. */
export interface BulletproofProviderProps {
  protection: Protection;
  /** Where `useDraft` keeps drafts. Default: a `createDraftStore()` opened on first use, closed on unmount. */
  drafts?: DraftStore;
  children?: ReactNode;
}

/**
 * Makes a `Protection` (from `createProtection`) available to the hooks and
 * components below. The app owns the Protection: the provider never disposes it.
 */
export function BulletproofProvider({ protection, drafts, children }: BulletproofProviderProps): ReactNode {
  const ownDrafts = useRef<DraftStore | null>(null);

  // A store this provider created is closed with it. Created in effects and handlers only
  // (never during render): opening it listens to the page, which a server does not have.
  useEffect(
    () => () => {
      const store = ownDrafts.current;
      ownDrafts.current = null;
      void store?.close();
    },
    [],
  );

  const getDrafts = useCallback(() => drafts ?? (ownDrafts.current ??= createDraftStore()), [drafts]);
  const [messageCenters] = useState(createMessageCenterPresence);
  const value = useMemo(
    () => ({ protection, drafts: getDrafts, messageCenters }),
    [protection, getDrafts, messageCenters],
  );
  return <BulletproofContext.Provider value={value}>{children}</BulletproofContext.Provider>;
}

/** The provider's context; throws a message that says what is missing. */
export function useBulletproofContext(hook: string): BulletproofContextValue {
  const context = useContext(BulletproofContext);
  if (!context)
    throw new Error(
      DEV
        ? `${hook} needs a <BulletproofProvider protection={…}> above this component`
        : `${hook}: no provider`,
    );
  return context;
}

/** The `Protection` given to the nearest `BulletproofProvider`. */
export function useProtection(): Protection {
  return useBulletproofContext('useProtection').protection;
}
