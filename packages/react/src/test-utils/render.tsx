import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import { StrictMode } from 'react';
import type { ReactNode } from 'react';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import type { FakeProtection } from './fake-protection.js';

/** Renders `ui` under a provider for `protection`, in StrictMode (double effects) unless told otherwise. */
export function renderWith(
  protection: FakeProtection,
  ui: ReactNode,
  o: { strict?: boolean } = {},
): RenderResult {
  const tree = <BulletproofProvider protection={protection}>{ui}</BulletproofProvider>;
  return render(o.strict === false ? tree : <StrictMode>{tree}</StrictMode>);
}
