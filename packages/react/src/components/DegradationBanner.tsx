import type { DegradationLevel, Situation, TemplateId } from '@bulletproof/core';
import { useSyncExternalStore } from '../react.js';
import type { ReactNode } from 'react';
import { useBulletproofContext } from '../context/BulletproofProvider.js';
import { useObserved } from '../hooks/use-observed.js';
import { useText } from '../hooks/useText.js';

/** A degradation level the banner has a sentence for: every level but `none`. */
export type DegradedLevel = Exclude<DegradationLevel, 'none'>;

/** The template each level's sentence comes from (the Protection's message templates). */
export const degradationTemplates: Readonly<Record<DegradedLevel, TemplateId>> = {
  minimal: 'levelMinimal',
  moderate: 'levelModerate',
  severe: 'levelSevere',
  critical: 'levelCritical',
};

/** Props of `DegradationBanner`: its sentences, whether it announces changes and when it shows. */
export interface DegradationBannerProps {
  className?: string;
  /** Per-level sentences for this banner only; by default they come from the message templates. */
  labels?: Partial<Record<DegradedLevel, string>>;
  /**
   * Announce changes (`role="status"`, mounted even when there is nothing to say).
   * Default `true`; set `false` when a `MessageCenter` already announces degradation.
   */
  live?: boolean;
  /**
   * Show even while a `<MessageCenter>` is mounted. By default the banner stays quiet then:
   * the message center's one banner already tells the situation, and two banners saying
   * the same thing is one too many.
   */
  alongsideMessageCenter?: boolean;
  /** Replaces the sentence; gets the situation the user is told about (no diagnostics). */
  render?: (situation: Situation) => ReactNode;
}

// The server cannot know the browser's network: it renders "nothing to tell".
const SERVER_SITUATION: Situation = { kind: 'checking', level: 'none' };
const serverSituation = () => SERVER_SITUATION;

/**
 * Says how much of the app is available, while something is off. It reads the situation
 * the user is told about: the level current conditions call for, so a recovery that is
 * still stepping down (hysteresis) does not keep telling the user features are unavailable.
 * Reasons are diagnostics for developers (`status$`, `events$`, the dashboard), never shown here.
 */
export function DegradationBanner({
  className,
  labels,
  live = true,
  alongsideMessageCenter = false,
  render,
}: DegradationBannerProps): ReactNode {
  const { protection, messageCenters } = useBulletproofContext('DegradationBanner');
  const text = useText();
  const situation = useObserved(
    protection.status$,
    () => protection.status().situation,
    undefined,
    serverSituation,
  );
  const centers = useSyncExternalStore(
    messageCenters.subscribe,
    () => messageCenters.count,
    () => 0,
  );
  const quiet = centers > 0 && !alongsideMessageCenter;
  const level = quiet ? 'none' : situation.level;
  if (level === 'none' && !live) return null;
  return (
    <div role={live ? 'status' : undefined} className={className} data-bp-degradation={level}>
      {level === 'none' ? null : render ? (
        render(situation)
      ) : (
        <p data-bp-title="">{labels?.[level] ?? text(degradationTemplates[level])}</p>
      )}
    </div>
  );
}
