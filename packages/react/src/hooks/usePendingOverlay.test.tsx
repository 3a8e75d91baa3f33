import type { PendingOverlayOptions } from '@bulletproof/core';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import { entry, fakeProtection } from '../test-utils/fake-protection.js';
import type { FakeProtection } from '../test-utils/fake-protection.js';
import { usePendingOverlay } from './usePendingOverlay.js';

interface Note {
  id: string;
  title: string;
}
const NOTES: PendingOverlayOptions<Note, Note> = {
  type: 'note',
  id: (note) => note.id,
  apply: (_note, written) => written,
};
const write = (id: string, title: string, patch = {}) =>
  entry(`w-${id}-${title}`, { payload: { id, title }, ...patch });
const server: Note[] = [{ id: 'a', title: 'A' }];

function setup(protection: FakeProtection, items: readonly Note[] = server) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <BulletproofProvider protection={protection}>{children}</BulletproofProvider>
    </StrictMode>
  );
  return renderHook(({ list }) => usePendingOverlay(list, NOTES), { wrapper, initialProps: { list: items } });
}

const titles = (notes: Note[]) => notes.map((n) => n.title);

describe('usePendingOverlay', () => {
  it('shows the waiting writes in the list, and follows the outbox until the server has them', async () => {
    const protection = fakeProtection({ outbox: [write('a', 'A offline'), write('b', 'B new')] });
    const outbox = protection.outbox!;
    const { result, rerender } = setup(protection);
    await waitFor(() => expect(titles(result.current.items)).toEqual(['A offline', 'B new']));
    expect([...result.current.pending].sort()).toEqual(['a', 'b']);

    // Delivered: the outbox lets go of the writes, and the server's next list carries them.
    act(() => {
      outbox.set([]);
    });
    await waitFor(() => expect(titles(result.current.items)).toEqual(['A']));
    rerender({
      list: [
        { id: 'a', title: 'A offline' },
        { id: 'b', title: 'B new' },
      ],
    });
    expect(titles(result.current.items)).toEqual(['A offline', 'B new']);
    expect(result.current.pending.size).toBe(0);
  });

  it('leaves out writes given up on, and lists once per change under StrictMode', async () => {
    const protection = fakeProtection({ outbox: [write('a', 'refused', { state: 'dead' })] });
    const outbox = protection.outbox!;
    const { result } = setup(protection);
    await waitFor(() => expect(outbox.lists).toBeGreaterThan(0));
    expect(titles(result.current.items)).toEqual(['A']);
    const before = outbox.lists;
    act(() => {
      outbox.set([write('a', 'again')]);
    });
    await waitFor(() => expect(titles(result.current.items)).toEqual(['again']));
    // StrictMode's first effect was cleaned up: only the live subscription lists.
    expect(outbox.lists - before).toBe(1);
  });

  it('keeps its result while nothing changes, and gives the list as it is without an outbox', async () => {
    const protection = fakeProtection({ outbox: [] });
    const { result, rerender } = setup(protection);
    await waitFor(() => expect(protection.outbox!.lists).toBeGreaterThan(0));
    await act(() => Promise.resolve()); // the listing's answer
    const first = result.current;
    rerender({ list: server });
    expect(result.current).toBe(first);
    const without = setup(fakeProtection({ outbox: false }));
    expect(without.result.current.items).toEqual(server);
  });
});
