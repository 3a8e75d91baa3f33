import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { useProtectionStatus } from './useProtectionStatus.js';

describe('useProtectionStatus', () => {
  it('returns status() and follows status$', () => {
    const protection = fakeProtection();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <BulletproofProvider protection={protection}>{children}</BulletproofProvider>
    );
    const { result } = renderHook(() => useProtectionStatus(), { wrapper });
    expect(result.current).toBe(protection.status());
    act(() => {
      protection.connectivity.set({ status: 'offline' });
    });
    expect(result.current.connectivity.status).toBe('offline');
    expect(result.current).toBe(protection.status());
  });
});
