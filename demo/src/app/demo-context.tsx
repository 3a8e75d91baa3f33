import { createContext, useContext, type ReactNode } from 'react';
import type { DemoSettings } from './demo-settings.js';
import type { FrustrationSignals } from './frustration-signals.js';
import type { ServiceWorkerHandle } from './service-worker.js';

/** What the demo's own components share besides the Protection (which the SDK's provider carries). */
export interface DemoServices {
  settings: DemoSettings;
  serviceWorker: ServiceWorkerHandle;
  frustration: FrustrationSignals;
}

const DemoContext = createContext<DemoServices | null>(null);

export function DemoProvider({ services, children }: { services: DemoServices; children: ReactNode }) {
  return <DemoContext.Provider value={services}>{children}</DemoContext.Provider>;
}

export function useDemo(): DemoServices {
  const services = useContext(DemoContext);
  if (!services) throw new Error('useDemo needs a <DemoProvider> above this component');
  return services;
}
