import { BulletproofProvider } from '@bulletproof/react';
import '@bulletproof/react/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createFieldNotesProtection } from './app/create-field-notes-protection.js';
import { DemoProvider } from './app/demo-context.js';
import { flushOutboxOnRecovery } from './app/flush-outbox-on-recovery.js';
import { readDemoSettings } from './app/demo-settings.js';
import { watchFrustrationSignals } from './app/frustration-signals.js';
import { registerRecoveryActions } from './app/recovery-actions.js';
import { registerServiceWorker } from './app/service-worker.js';
import './styles.css';

// One Protection for the page's lifetime, made before React renders: the outbox starts
// delivering what an earlier visit left behind even before the first screen is up.
const settings = readDemoSettings(location.search);
const serviceWorker = registerServiceWorker();
const protection = createFieldNotesProtection(settings, serviceWorker.workbox);
registerRecoveryActions(protection, settings);
flushOutboxOnRecovery(protection);
const frustration = watchFrustrationSignals(protection, document);

const root = document.getElementById('root');
if (!root) throw new Error('The demo page has no #root element');
createRoot(root).render(
  <StrictMode>
    <BulletproofProvider protection={protection}>
      <DemoProvider services={{ settings, serviceWorker, frustration }}>
        <App />
      </DemoProvider>
    </BulletproofProvider>
  </StrictMode>,
);
