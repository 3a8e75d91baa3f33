import type { DegradationLevel } from '@bulletproof/core';
import type { ReactNode } from 'react';
import { useDegradation } from '../hooks/useDegradation.js';
import type { DegradationView } from '../hooks/useDegradation.js';

export type DegradedLevel = Exclude<DegradationLevel, 'none'>;

export const defaultDegradationLabels: Record<DegradedLevel, string> = {
  minimal: 'Some features are limited right now.',
  moderate: 'Running in reduced mode: some features are off.',
  severe: 'Most features are unavailable right now.',
  critical: 'Only essential features are available.',
};

export interface DegradationBannerProps {
  className?: string;
  labels?: Partial<Record<DegradedLevel, string>>;
  /**
   * Announce changes (`role="status"`, mounted even when there is nothing to say).
   * Default `true`; set `false` when a `MessageCenter` already announces degradation.
   */
  live?: boolean;
  /** Replaces the title and the list of reasons. */
  render?: (state: DegradationView) => ReactNode;
}

/** Shows the degradation level and its reasons while the level is not `none`. */
export function DegradationBanner({
  className,
  labels,
  live = true,
  render,
}: DegradationBannerProps): ReactNode {
  const state = useDegradation();
  const { level, reasons } = state;
  if (level === 'none' && !live) return null;
  return (
    <div role={live ? 'status' : undefined} className={className} data-bp-degradation={level}>
      {level === 'none' ? null : render ? (
        render(state)
      ) : (
        <>
          <p data-bp-title="">{labels?.[level] ?? defaultDegradationLabels[level]}</p>
          {reasons.length > 0 && (
            <ul data-bp-reasons="">
              {reasons.map((reason, i) => (
                <li key={i}>{reason}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
