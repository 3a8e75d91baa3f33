import { ConnectivityIndicator, MessageCenter, OutboxPanel } from '@bulletproof/react';
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
            A Bulletproof demo: break the server in the chaos panel, keep writing notes.
          </p>
        </div>
        <ConnectivityIndicator className="connectivity" />
      </header>
      {/* The one place the app speaks to its user: the message center already tells of
          degradation in words for people; its reasons are diagnostics, on the dashboard. */}
      <div className="notices">
        <MessageCenter />
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
