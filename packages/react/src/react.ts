/**
 * The one module that imports React's functions; the others import them from here, so the
 * published files (one per module) share a single import instead of repeating it in each.
 */
export {
  Component,
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
