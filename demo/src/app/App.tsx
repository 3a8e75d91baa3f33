import { ConnectivityIndicator, DegradationBanner, MessageCenter, OutboxPanel } from '@bulletproof/react';
import { ChaosPanel } from '../chaos/ChaosPanel.js';
import { StatusDashboard } from '../dashboard/StatusDashboard.js';
import { describeOutboxEntry } from '../notes/describe-outbox-entry.js';
import { NotesView } from '../notes/NotesView.js';
import { TryThis } from './TryThis.js';

export function App() {
  return (
    <div className="layout">
      <header className="app-header">
        <div>
          <h1>Field Notes</h1>
          <p className="tagline">
            A Bulletproof demo: break the server on the right, keep writing on the left.
          </p>
        </div>
        <ConnectivityIndicator className="connectivity" />
      </header>
      <div className="notices">
        <MessageCenter />
        {/* The message center already announces degradation; this banner only shows its reasons. */}
        <DegradationBanner live={false} />
      </div>
      <TryThis />
      <main className="app-main">
        <NotesView />
        <OutboxPanel className="panel" describe={describeOutboxEntry} />
      </main>
      <aside className="app-aside">
        <ChaosPanel />
        <StatusDashboard />
      </aside>
    </div>
  );
}
