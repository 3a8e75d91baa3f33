import { render, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { BulletproofProvider, useProtection } from './BulletproofProvider.js';

describe('BulletproofProvider', () => {
  it('hands its Protection to useProtection, the nearest provider winning', () => {
    const outer = fakeProtection();
    const inner = fakeProtection();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <BulletproofProvider protection={outer}>
        <BulletproofProvider protection={inner}>{children}</BulletproofProvider>
      </BulletproofProvider>
    );
    const { result } = renderHook(() => useProtection(), { wrapper });
    expect(result.current).toBe(inner);
  });

  it('never disposes the Protection it was given', () => {
    const protection = fakeProtection();
    const dispose = vi.spyOn(protection, 'dispose');
    const { unmount } = render(<BulletproofProvider protection={protection}>x</BulletproofProvider>);
    unmount();
    expect(dispose).not.toHaveBeenCalled();
  });

  it('says what is missing when there is no provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => useProtection())).toThrow(
      'useProtection needs a <BulletproofProvider protection={…}> above this component',
    );
    vi.restoreAllMocks();
  });
});
