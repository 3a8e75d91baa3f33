import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import { entry, fakeProtection } from '../test-utils/fake-protection.js';
import type { FakeProtection } from '../test-utils/fake-protection.js';
import { useOutbox } from './useOutbox.js';

function setup(protection: FakeProtection) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <BulletproofProvider protection={protection}>{children}</BulletproofProvider>
    </StrictMode>
  );
  return renderHook(() => useOutbox(), { wrapper });
}

describe('useOutbox', () => {
  it('gives live stats, the dead and the pending entries, and retries or discards them', async () => {
    const protection = fakeProtection({
      outbox: [
        entry('a'),
        entry('b', { state: 'in-flight' }),
        entry('c', {
          state: 'dead',
          deadReason: 'rejected',
          lastFailure: { category: 'client', message: '422', status: 422 },
        }),
      ],
    });
    const { result } = setup(protection);
    expect(result.current.stats).toMatchObject({ pending: 1, inFlight: 1, dead: 1 });
    await waitFor(() => expect(result.current.dead.map((e) => e.id)).toEqual(['c']));
    expect(result.current.pending.map((e) => e.id)).toEqual(['a', 'b']);
    expect(result.current.dead[0]?.deadReason).toBe('rejected');

    await act(async () => {
      expect(await result.current.retry('dead')).toBe(1);
    });
    await waitFor(() => expect(result.current.dead).toEqual([]));
    expect(result.current.stats.dead).toBe(0);
    expect(result.current.pending.map((e) => e.id)).toEqual(['a', 'b', 'c']);

    await act(async () => {
      expect(await result.current.discard(['a', 'c'])).toBe(2);
    });
    await waitFor(() => expect(result.current.pending.map((e) => e.id)).toEqual(['b']));
  });

  it('coalesces a burst of changes into at most one more listing', async () => {
    const protection = fakeProtection({ outbox: [] });
    const outbox = protection.outbox!;
    const { result } = setup(protection);
    await waitFor(() => expect(result.current.pending).toEqual([]));
    const before = outbox.lists;
    act(() => {
      for (let i = 0; i < 20; i++) outbox.set(Array.from({ length: i + 1 }, (_, j) => entry(`e${j}`)));
    });
    await waitFor(() => expect(result.current.pending.length).toBe(20));
    expect(outbox.lists - before).toBeLessThanOrEqual(2);
  });

  it('lists again on events that keep the counts (a new failure message)', async () => {
    const protection = fakeProtection({ outbox: [entry('a')] });
    const outbox = protection.outbox!;
    const { result } = setup(protection);
    await waitFor(() => expect(result.current.pending.length).toBe(1));
    const failed = entry('a', { attempts: 1, lastFailure: { category: 'server', message: 'HTTP 503' } });
    outbox.set([failed]);
    act(() => {
      outbox.emit({
        type: 'retry-scheduled',
        entry: failed,
        delayMs: 1_000,
        failure: { category: 'server', retryable: true, impact: 'high', message: 'HTTP 503', cause: null },
      });
    });
    await waitFor(() => expect(result.current.pending[0]?.lastFailure?.message).toBe('HTTP 503'));
  });

  it('is empty and inert without an outbox', async () => {
    const { result } = setup(fakeProtection({ outbox: false }));
    expect(result.current.stats).toMatchObject({ pending: 0, inFlight: 0, dead: 0 });
    expect(result.current.dead).toEqual([]);
    expect(await result.current.retry('dead')).toBe(0);
    expect(await result.current.discard(['x'])).toBe(0);
  });

  it('stops listening on unmount', async () => {
    const protection = fakeProtection({ outbox: [entry('a')] });
    const { result, unmount } = setup(protection);
    await waitFor(() => expect(result.current.pending.length).toBe(1));
    unmount();
    const before = protection.outbox!.lists;
    protection.outbox!.set([]);
    await Promise.resolve();
    expect(protection.outbox!.lists).toBe(before);
  });
});
