import type { DegradationState } from '@bulletproof/core';
import { useMemo } from '../react.js';
import { useProtection } from '../context/BulletproofProvider.js';
import { useObserved } from './use-observed.js';

/** What `useDegradation` returns: the degradation state in force, with its feature gate. */
export type DegradationView = DegradationState & {
  /** Whether `feature` is on at the level in force; a feature not declared is always on. */
  isAvailable(feature: string): boolean;
};

// What the server renders and hydration starts from: degradation follows the browser's
// connectivity, which the server cannot know, so it starts from "everything on".
const SERVER_STATE: DegradationState = { level: 'none', reasons: [], since: 0, manual: false };
const serverState = () => SERVER_STATE;
const serverAvailable = () => true;

/** The degradation level in force and why, with the feature gate. Level `none` on the server and while hydrating. */
export function useDegradation(): DegradationView {
  const { degradation } = useProtection();
  const state = useObserved(degradation.state$, () => degradation.state, undefined, serverState);
  return useMemo(
    () => ({ ...state, isAvailable: (feature: string) => degradation.isAvailable(feature) }),
    [state, degradation],
  );
}

/**
 * Whether `feature` is available at the current degradation level; re-renders only when
 * that flips. `true` on the server and while hydrating.
 */
export function useFeature(feature: string): boolean {
  const { degradation } = useProtection();
  return useObserved(degradation.state$, () => degradation.isAvailable(feature), feature, serverAvailable);
}
