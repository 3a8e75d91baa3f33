import { watchFrustration, type Protection } from '@bulletproof/core';

export interface FrustrationCounts {
  rageClicks: number;
  repeatSubmits: number;
}

export interface FrustrationSignals {
  counts: () => FrustrationCounts;
  subscribe: (listener: () => void) => () => void;
  stop: () => void;
}

/**
 * Rage clicks and repeated submits on a control that is struggling raise the risk of the
 * dependency behind it. A control opts in with `data-frustration-key="<dependency>"`,
 * which the app sets only while that control's call is slow or failing: clicking a
 * working button three times is not frustration with the server.
 */
export function watchFrustrationSignals(protection: Protection, root: Document): FrustrationSignals {
  let counts: FrustrationCounts = { rageClicks: 0, repeatSubmits: 0 };
  const listeners = new Set<() => void>();
  const stop = watchFrustration(root, (signal) => {
    const key = signal.target.closest('[data-frustration-key]')?.getAttribute('data-frustration-key');
    if (!key) return;
    protection.predictor?.signal({ kind: signal.kind, key, at: signal.at });
    counts =
      signal.kind === 'rage-click'
        ? { ...counts, rageClicks: counts.rageClicks + 1 }
        : { ...counts, repeatSubmits: counts.repeatSubmits + 1 };
    for (const listener of listeners) listener();
  });
  return {
    counts: () => counts,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop,
  };
}
