import { useProtectionStatus } from '@bulletproof/react';
import { ConnectivityCard } from './ConnectivityCard.js';
import { DependenciesCard } from './DependenciesCard.js';
import { EventLog } from './EventLog.js';
import { HealthCard } from './HealthCard.js';
import { OutboxCard } from './OutboxCard.js';
import { PredictionsCard } from './PredictionsCard.js';
import { RecoveryCard } from './RecoveryCard.js';

/** Everything `protection.status()` knows, live, and a log of what happened. */
export function StatusDashboard() {
  const status = useProtectionStatus();
  return (
    <section aria-labelledby="dashboard-heading" className="dashboard panel">
      <h2 id="dashboard-heading">What the SDK sees</h2>
      <div className="cards">
        <HealthCard status={status} />
        <ConnectivityCard connectivity={status.connectivity} />
        <OutboxCard stats={status.outbox} />
        <DependenciesCard dependencies={status.dependencies} />
        <PredictionsCard predictions={status.predictions} />
        <RecoveryCard stats={status.recovery} />
      </div>
      <EventLog />
    </section>
  );
}
