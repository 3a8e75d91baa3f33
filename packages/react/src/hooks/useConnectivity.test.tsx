import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { useConnectivity } from './useConnectivity.js';

function Show() {
  const s = useConnectivity();
  return <p data-testid="c">{`${s.status}/${s.quality}`}</p>;
}

describe('useConnectivity', () => {
  it('renders the snapshot and follows every change, under StrictMode', () => {
    const protection = fakeProtection({ connectivity: { status: 'unknown', quality: 'unknown' } });
    renderWith(protection, <Show />);
    expect(screen.getByTestId('c').textContent).toBe('unknown/unknown');
    act(() => {
      protection.connectivity.set({ status: 'offline' });
    });
    expect(screen.getByTestId('c').textContent).toBe('offline/unknown');
    act(() => {
      protection.connectivity.set({ status: 'online', quality: 'slow' });
    });
    expect(screen.getByTestId('c').textContent).toBe('online/slow');
  });

  it('returns the monitor’s own snapshot object', () => {
    const protection = fakeProtection();
    let seen: unknown;
    function Grab() {
      seen = useConnectivity();
      return null;
    }
    renderWith(protection, <Grab />);
    expect(seen).toBe(protection.connectivity.snapshot);
  });
});
