import { useEffect, useLayoutEffect } from '../react.js';

/**
 * `useLayoutEffect` in the browser, `useEffect` on the server, where layout
 * effects never run and React 18 warns about them. Checks `document` by `typeof`
 * only, so nothing touches the DOM while rendering.
 */
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;
