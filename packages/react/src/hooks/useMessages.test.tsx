import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { useMessages } from './useMessages.js';

describe('useMessages', () => {
  it('lists visible banners and toasts, dismisses and runs actions', async () => {
    const protection = fakeProtection();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <StrictMode>
        <BulletproofProvider protection={protection}>{children}</BulletproofProvider>
      </StrictMode>
    );
    const { result } = renderHook(() => useMessages(), { wrapper });
    expect(result.current.banners).toEqual([]);
    expect(result.current.toasts).toEqual([]);

    const run = vi.fn();
    act(() => {
      protection.messages.post({
        key: 'offline',
        tone: 'warning',
        text: 'You are offline',
        placement: 'banner',
      });
      protection.messages.post({
        key: 'queued',
        tone: 'info',
        text: '2 changes waiting',
        actions: [{ id: 'sync', label: 'Sync now', run }],
      });
    });
    expect(result.current.banners.map((m) => m.key)).toEqual(['offline']);
    expect(result.current.toasts.map((m) => m.key)).toEqual(['queued']);

    await act(async () => {
      await result.current.act('queued', 'sync');
    });
    expect(run).toHaveBeenCalledTimes(1);
    expect(result.current.toasts).toEqual([]);

    act(() => {
      result.current.dismiss('offline');
    });
    expect(result.current.banners).toEqual([]);
  });
});
