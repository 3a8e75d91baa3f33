import type { ReactNode } from 'react';
import { useFeature } from '../hooks/useDegradation.js';

/** Props of `Degraded`: the feature it gates, and what shows while that feature is off. */
export interface DegradedProps {
  /** A feature declared in `createProtection({ degradation: { features } })`. */
  feature: string;
  /** Shown while the feature is off. Default: nothing. */
  fallback?: ReactNode;
  children?: ReactNode;
}

/** Renders `children` while `feature` is available at the current degradation level, `fallback` otherwise. */
export function Degraded({ feature, fallback = null, children }: DegradedProps): ReactNode {
  return useFeature(feature) ? children : fallback;
}
