import { act, screen } from '@testing-library/react';
import type { ConnectivitySnapshot } from '@bulletproof/core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../test-utils/axe.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { ConnectivityIndicator } from './ConnectivityIndicator.js';

const states: Array<[Partial<ConnectivitySnapshot>, string, string]> = [
  [{ status: 'online', quality: 'good' }, 'online', 'Online'],
  [{ status: 'offline' }, 'offline', 'Offline'],
  [{ status: 'unreachable' }, 'unreachable', "Can't reach the server"],
  [{ status: 'online', quality: 'slow' }, 'slow', 'Slow connection'],
  [{ status: 'unknown', quality: 'unknown' }, 'unknown', 'Checking connection…'],
];

describe('ConnectivityIndicator', () => {
  it.each(states)(
    'says %j as "%s" in a status region, with no axe violations',
    async (snapshot, kind, text) => {
      const { container } = renderWith(
        fakeProtection({ connectivity: snapshot }),
        <ConnectivityIndicator className="mine" />,
      );
      const status = screen.getByRole('status');
      expect(status.textContent).toBe(text);
      expect(status.getAttribute('data-bp-connectivity')).toBe(kind);
      expect(status.className).toBe('mine');
      expect(await axeViolations(container)).toEqual([]);
    },
  );

  it('follows the monitor in the same status element, so each change is announced', () => {
    const protection = fakeProtection();
    renderWith(protection, <ConnectivityIndicator />);
    const status = screen.getByRole('status');
    act(() => {
      protection.connectivity.set({ status: 'offline' });
    });
    expect(screen.getByRole('status')).toBe(status);
    expect(status.textContent).toBe('Offline');
    act(() => {
      protection.connectivity.set({ status: 'unreachable' });
    });
    expect(status.textContent).toBe("Can't reach the server");
    // A server answering the probe with errors is there but failing: said as the banner says it.
    act(() => {
      protection.connectivity.set({ status: 'unreachable', cause: 'server' });
    });
    expect(status.textContent).toBe('Service trouble');
    expect(status.getAttribute('data-bp-connectivity')).toBe('server-trouble');
  });

  it('keeps an empty status region while online with hideWhenOnline', async () => {
    const protection = fakeProtection();
    const { container } = renderWith(protection, <ConnectivityIndicator hideWhenOnline />);
    expect(screen.getByRole('status').textContent).toBe('');
    expect(await axeViolations(container)).toEqual([]);
    act(() => {
      protection.connectivity.set({ status: 'offline' });
    });
    expect(screen.getByRole('status').textContent).toBe('Offline');
  });

  it('takes labels and a render prop', () => {
    const protection = fakeProtection({ connectivity: { status: 'offline' } });
    renderWith(
      protection,
      <>
        <ConnectivityIndicator labels={{ offline: 'Hors ligne' }} />
        <ConnectivityIndicator
          render={({ kind, label, snapshot }) => `${kind}:${label}:${snapshot.status}`}
        />
      </>,
    );
    const [a, b] = screen.getAllByRole('status');
    expect(a?.textContent).toBe('Hors ligne');
    expect(b?.textContent).toBe('offline:Offline:offline');
  });
});
