import type { ConnectivitySnapshot, TemplateId } from '@bulletproof/core';
import type { ReactNode } from 'react';
import { useConnectivity } from '../hooks/useConnectivity.js';
import { useText } from '../hooks/useText.js';

/**
 * What the indicator says: `slow` is an online connection whose round trips are too long;
 * `server-trouble` is a server that answers, but with errors (a 502 or 503 to the probe), so
 * the indicator agrees with the banner that says the service is having trouble.
 */
export type ConnectivityKind = 'online' | 'offline' | 'unreachable' | 'server-trouble' | 'slow' | 'unknown';

/** The template each kind's label comes from (the Protection's message templates). */
export const connectivityTemplates: Readonly<Record<ConnectivityKind, TemplateId>> = {
  online: 'statusOnline',
  offline: 'statusOffline',
  unreachable: 'statusUnreachable',
  'server-trouble': 'statusServerTrouble',
  slow: 'statusSlow',
  unknown: 'statusChecking',
};

/** What the indicator says for a connectivity snapshot; `ConnectivityKind` lists the kinds. */
export function connectivityKind(snapshot: ConnectivitySnapshot): ConnectivityKind {
  if (snapshot.status === 'unreachable' && snapshot.cause === 'server') return 'server-trouble';
  return snapshot.status === 'online' && snapshot.quality === 'slow' ? 'slow' : snapshot.status;
}

/** Props of `ConnectivityIndicator`: its labels and whether it says anything while all is well. */
export interface ConnectivityIndicatorProps {
  className?: string;
  /** Per-kind labels for this indicator only; by default they come from the message templates. */
  labels?: Partial<Record<ConnectivityKind, string>>;
  /** Say nothing while online and fast (the status region stays mounted, so a change is still announced). */
  hideWhenOnline?: boolean;
  /** Replaces what is inside the status region. */
  render?: (view: { kind: ConnectivityKind; label: string; snapshot: ConnectivitySnapshot }) => ReactNode;
}

/**
 * A status region (`role="status"`) saying online, offline, can't reach the
 * server, or slow. Screen readers announce each change without moving focus.
 */
export function ConnectivityIndicator({
  className,
  labels,
  hideWhenOnline = false,
  render,
}: ConnectivityIndicatorProps): ReactNode {
  const snapshot = useConnectivity();
  const text = useText();
  const kind = connectivityKind(snapshot);
  const label = labels?.[kind] ?? text(connectivityTemplates[kind]);
  const silent = hideWhenOnline && kind === 'online';
  return (
    <div role="status" className={className} data-bp-connectivity={kind}>
      {silent ? null : render ? (
        render({ kind, label, snapshot })
      ) : (
        <>
          <span data-bp-dot="" aria-hidden="true" />
          {label}
        </>
      )}
    </div>
  );
}
