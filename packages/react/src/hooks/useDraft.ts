import type { DraftStore } from '@bulletproof/core';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from '../react.js';
import { BulletproofContext } from '../context/BulletproofProvider.js';
import { DEV } from '../dev.js';

/** What `useDraft` tells about its draft besides the value: restored or not, saving, the last save error. */
export interface DraftMeta {
  /** True when the value shown was restored from a saved draft (after a reload, a crash, a remount). */
  restored: boolean;
  /** True from a change until the draft store has committed it. */
  saving: boolean;
  /** Why the last save failed (a value that cannot be stored); cleared by the next successful save. */
  error?: unknown;
  /** Deletes the draft and puts the value back to `initial` (after a submit, say). */
  clear: () => Promise<void>;
}

/** Options of `useDraft`. */
export interface UseDraftOptions {
  /** Default: the provider's draft store. */
  store?: DraftStore;
}

interface Shown<T> {
  key: string;
  value: T;
  restored: boolean;
}

/**
 * State that survives a reload: each change is written to the draft store
 * (debounced there, flushed when the page is hidden), and a saved draft is
 * restored on mount unless the user has already typed. `value` must be
 * structured-cloneable. On the server it simply renders `initial`.
 */
export function useDraft<T>(key: string, initial: T, o?: UseDraftOptions): [T, (next: T) => void, DraftMeta] {
  const context = useContext(BulletproofContext);
  const explicit = o?.store;
  if (!explicit && !context) {
    throw new Error(
      DEV
        ? 'useDraft needs a <BulletproofProvider> above this component, or a `store` option'
        : 'useDraft: no provider',
    );
  }
  const drafts = context?.drafts;
  // Without `store`, the check above guarantees a provider, and a provider always has `drafts`.
  const getStore = useCallback(() => explicit ?? (drafts as () => DraftStore)(), [explicit, drafts]);

  const [initialValue] = useState(initial);
  const [shown, setShown] = useState<Shown<T>>({ key, value: initial, restored: false });
  const [saveState, setSaveState] = useState<{ saving: boolean; error?: unknown }>({ saving: false });
  // Whether the user changed the value since this key was loaded: a late load must not undo typing.
  const touched = useRef(false);
  const saveSeq = useRef(0);

  // Another key is another draft: start again from `initial` (React re-renders at once).
  if (shown.key !== key) setShown({ key, value: initialValue, restored: false });

  useEffect(() => {
    let live = true;
    touched.current = false;
    getStore()
      .load<T>(key)
      .then(
        (saved) => {
          if (!live || touched.current || saved === undefined) return;
          setShown((s) => (s.key === key ? { key, value: saved, restored: true } : s));
        },
        // Storage trouble on load: keep `initial`; saves report their own errors.
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [key, getStore]);

  const setValue = useCallback(
    (next: T) => {
      touched.current = true;
      setShown((s) => ({ ...s, value: next }));
      const seq = ++saveSeq.current;
      setSaveState((s) => (s.saving ? s : { saving: true }));
      getStore()
        .save(key, next)
        .then(
          () => {
            if (seq === saveSeq.current) setSaveState({ saving: false });
          },
          (error: unknown) => {
            if (seq === saveSeq.current) setSaveState({ saving: false, error });
          },
        );
    },
    [key, getStore],
  );

  const clear = useCallback(async () => {
    touched.current = true;
    saveSeq.current++;
    setShown({ key, value: initialValue, restored: false });
    setSaveState({ saving: false });
    await getStore().remove(key);
  }, [key, getStore, initialValue]);

  const value = shown.key === key ? shown.value : initialValue;
  const restored = shown.key === key && shown.restored;
  const meta = useMemo(() => ({ restored, clear, ...saveState }), [restored, clear, saveState]);
  return [value, setValue, meta];
}
