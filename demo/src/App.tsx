import { ChaosPanel } from './ChaosPanel.js';
import { NotesView } from './NotesView.js';

export function App() {
  return (
    <div className="layout">
      <header className="app-header">
        <h1>Field Notes</h1>
        <p className="tagline">
          A Bulletproof demo: break the server on the right, keep writing on the left.
        </p>
      </header>
      <main className="app-main">
        <NotesView />
      </main>
      <aside className="app-aside">
        <ChaosPanel />
      </aside>
    </div>
  );
}
