import type { ReactNode } from 'react';
import { ConnectivityIndicator } from '../components/ConnectivityIndicator.js';
import { DegradationBanner } from '../components/DegradationBanner.js';
import { Degraded } from '../components/Degraded.js';
import { MessageCenter } from '../components/MessageCenter.js';
import { OutboxPanel } from '../components/OutboxPanel.js';
import { BulletproofBoundary } from '../components/BulletproofBoundary.js';
import { useBulletproof } from '../hooks/useBulletproof.js';
import { useConnectivity } from '../hooks/useConnectivity.js';
import { useDegradation, useFeature } from '../hooks/useDegradation.js';
import { useDraft } from '../hooks/useDraft.js';
import { useMessages } from '../hooks/useMessages.js';
import { useOutbox } from '../hooks/useOutbox.js';
import { useProtectionStatus } from '../hooks/useProtectionStatus.js';

function Hooks(): ReactNode {
  const save = useBulletproof('save', (text: string) => Promise.resolve(text));
  const connectivity = useConnectivity();
  const degradation = useDegradation();
  const search = useFeature('search');
  const [draft] = useDraft('note:1', 'initial draft');
  const { banners, toasts } = useMessages();
  const { stats } = useOutbox();
  const status = useProtectionStatus();
  return (
    <dl data-testid="hooks">
      <dt>call</dt>
      <dd>{save.state}</dd>
      <dt>connectivity</dt>
      <dd>{connectivity.status}</dd>
      <dt>degradation</dt>
      <dd>{degradation.level}</dd>
      <dt>search</dt>
      <dd>{String(search)}</dd>
      <dt>draft</dt>
      <dd>{draft}</dd>
      <dt>messages</dt>
      <dd>{banners.length + toasts.length}</dd>
      <dt>outbox</dt>
      <dd>{stats.pending}</dd>
      <dt>health</dt>
      <dd>{status.health}</dd>
    </dl>
  );
}

/** Every hook and component of the package in one tree, for server rendering and hydration tests. */
export function Everything(): ReactNode {
  return (
    <BulletproofBoundary fallback={<p>broken</p>}>
      <MessageCenter />
      <ConnectivityIndicator />
      <DegradationBanner />
      <Degraded feature="search" fallback={<p>search off</p>}>
        <p>search on</p>
      </Degraded>
      <Hooks />
      <OutboxPanel />
    </BulletproofBoundary>
  );
}
