// The hooks and components against the real `createProtection`, not a fake:
// a real outbox (in fake-indexeddb), connectivity monitor, message center.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createOutbox, createProtection, HttpError, lastGood, savedAtText, timeout } from '@bulletproof/core';
import type { ConnectivityWindow, ExecutionContext, Protection } from '@bulletproof/core';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { StrictMode, useEffect } from 'react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectivityIndicator } from './components/ConnectivityIndicator.js';
import { DegradationBanner } from './components/DegradationBanner.js';
import { MessageCenter } from './components/MessageCenter.js';
import { OutboxPanel } from './components/OutboxPanel.js';
import { BulletproofProvider } from './context/BulletproofProvider.js';
import { useBulletproof } from './hooks/useBulletproof.js';
import { usePendingOverlay } from './hooks/usePendingOverlay.js';
import { useText } from './hooks/useText.js';
import { axeViolations } from './test-utils/axe.js';

/** A window whose `navigator.onLine` and online/offline events the test controls. */
function fakeWindow() {
  const events = new EventTarget();
  const navigator = { onLine: true };
  const win: ConnectivityWindow & { go(online: boolean): void } = {
    addEventListener: (type, listener) => {
      events.addEventListener(type, listener);
    },
    removeEventListener: (type, listener) => {
      events.removeEventListener(type, listener);
    },
    navigator,
    go(online) {
      navigator.onLine = online;
      events.dispatchEvent(new Event(online ? 'online' : 'offline'));
    },
  };
  return win;
}

let protection: Protection | undefined;
afterEach(async () => {
  await protection?.dispose();
  protection = undefined;
});

function setup(handlers: Record<string, (payload: never) => Promise<unknown>> = {}) {
  const win = fakeWindow();
  protection = createProtection({
    window: win,
    dependencies: { api: { policy: timeout(5_000) } },
    outbox: (parts) =>
      createOutbox({
        ...parts,
        name: `react-${Math.random()}`,
        indexedDB: new IDBFactory(),
        handlers,
        autoDrain: false,
        locks: false,
        BroadcastChannel: false,
        window: false,
      }),
  });
  const p = protection;
  const mount = (ui: ReactNode) =>
    render(
      <StrictMode>
        <BulletproofProvider protection={p}>{ui}</BulletproofProvider>
      </StrictMode>,
    );
  return { protection: p, win, mount };
}

describe('with the real createProtection', () => {
  it('the indicator, the banner and the message center follow the monitor', async () => {
    const { win, mount, protection } = setup();
    const { container } = mount(
      <>
        <MessageCenter />
        <ConnectivityIndicator />
        <DegradationBanner live={false} />
      </>,
    );
    expect(container.querySelector('[data-bp-connectivity]')?.textContent).not.toBe('Offline');
    act(() => {
      win.go(false);
    });
    expect(container.querySelector('[data-bp-connectivity]')?.textContent).toBe('Offline');
    expect(protection.status().situation).toEqual({ kind: 'offline', level: 'severe' });
    // One banner tells it: the degradation banner does not repeat the message center's.
    expect(container.querySelector('[data-bp-degradation]')).toBeNull();
    expect(container.querySelectorAll('[data-bp-placement="banner"]')).toHaveLength(1);
    expect(container.querySelector('[data-bp-banners]')?.textContent).toMatch(/offline/i);
    expect(container.querySelector('[data-bp-live="polite"]')?.textContent).toMatch(/offline/i);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('useBulletproof: succeeds, and queues a write that cannot be delivered', async () => {
    const { mount } = setup({ note: () => Promise.resolve() });
    let fail = false;
    function Save() {
      const save = useBulletproof(
        'save-note',
        (text: string) => (fail ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(text)),
        { dependency: 'api', offline: { type: 'note', payload: { text: 'hello' } } },
      );
      return (
        <>
          <button onClick={() => void save.run('hello')}>Save</button>
          <p data-testid="state">{save.state}</p>
        </>
      );
    }
    mount(
      <>
        <Save />
        <OutboxPanel />
      </>,
    );
    await act(async () => {
      fireEvent.click(screen.getByText('Save'));
      await Promise.resolve();
    });
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('succeeded'));
    fail = true;
    await act(async () => {
      fireEvent.click(screen.getByText('Save'));
      await Promise.resolve();
    });
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('queued'));
    expect(await screen.findByRole('checkbox', { name: /^A change made / })).toBeTruthy();
  });

  it('useBulletproof: unmounting aborts the call, which stops through its signal', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { mount } = setup();
    let signal: AbortSignal | undefined;
    let pending: Promise<unknown> | undefined;
    function Load() {
      const load = useBulletproof('load', function (this: ExecutionContext) {
        signal = this.signal;
        return new Promise<string>((_, reject) => {
          this.signal.addEventListener('abort', () => {
            reject(this.signal.reason as Error);
          });
        });
      });
      return (
        <button
          onClick={() => {
            pending = load.run();
          }}
        >
          Load
        </button>
      );
    }
    const view = mount(<Load />);
    await act(async () => {
      fireEvent.click(screen.getByText('Load'));
      await Promise.resolve();
    });
    await waitFor(() => expect(signal).toBeDefined());
    view.unmount();
    await expect(pending).resolves.toMatchObject({ status: 'cancelled', failure: { category: 'aborted' } });
    expect(signal?.aborted).toBe(true);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('useBulletproof under StrictMode: a healthy first load leaves no trace of the aborted first run', async () => {
    const { protection, mount } = setup();
    const events: string[] = [];
    protection.events$.subscribe((e) => {
      if (e.type === 'call') events.push(e.status);
    });
    const fallback = vi.fn(() => {
      throw new Error('nothing cached yet');
    });
    function Load() {
      const load = useBulletproof(
        'load',
        function (this: ExecutionContext) {
          const signal = this.signal;
          return new Promise<string>((resolve, reject) => {
            if (signal.aborted) reject(signal.reason as Error);
            signal.addEventListener('abort', () => reject(signal.reason as Error));
            setTimeout(() => resolve('notes'), 0);
          });
        },
        { dependency: 'api', fallback },
      );
      const { run } = load;
      useEffect(() => {
        void run();
      }, [run]);
      return <p data-testid="state">{load.state}</p>;
    }
    mount(
      <>
        <MessageCenter />
        <Load />
      </>,
    );
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('succeeded'));
    expect(events).toEqual(['cancelled', 'ok']);
    expect(fallback).not.toHaveBeenCalled();
    expect(protection.messages.visible).toEqual({ banners: [], toasts: [] });
    expect(protection.connectivity.snapshot.status).not.toBe('unreachable');
  });

  it('useBulletproof with a lastGood() fallback: a failed load shows the saved copy and says from when', async () => {
    const { mount } = setup();
    const notesCopy = lastGood<string[]>('react-notes', { storage: false });
    let answer: () => Promise<string[]> = () => Promise.resolve(['saved note']);
    function Notes() {
      const text = useText();
      const load = useBulletproof('load', () => answer(), {
        dependency: 'api',
        fallback: notesCopy,
        silent: true,
      });
      const { result } = load;
      return (
        <>
          <button onClick={() => void load.run()}>load</button>
          <p data-testid="state">{load.state}</p>
          {result?.status === 'fallback' && result.savedAt !== undefined && (
            <p>{text('savedCopy', { time: savedAtText(result.savedAt) })}</p>
          )}
          {result?.status === 'ok' || result?.status === 'fallback' ? <p>{result.value.join()}</p> : null}
        </>
      );
    }
    mount(<Notes />);
    const savedAt = Date.now();
    fireEvent.click(screen.getByText('load'));
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('succeeded'));
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    fireEvent.click(screen.getByText('load'));
    await waitFor(() => expect(screen.getByTestId('state').textContent).toBe('fallback'));
    expect(screen.getByText('saved note')).toBeTruthy();
    // Saved by the first load: its time (the minute may have turned since).
    const sentences = [savedAt, Date.now()].map((t) => `Showing a copy saved at ${savedAtText(t)}.`);
    expect(sentences).toContain(screen.getByText(/^Showing a copy saved at /).textContent);
    notesCopy.forget();
  });

  describe('a lastGood() fallback under StrictMode and with another tab', () => {
    /** A `localStorage` the test shares between "tabs". */
    function sharedStorage() {
      const data = new Map<string, string>();
      return {
        getItem: (k: string) => data.get(k) ?? null,
        setItem: (k: string, v: string) => void data.set(k, v),
        removeItem: (k: string) => void data.delete(k),
      };
    }

    function Notes({ copy }: { copy: ReturnType<typeof lastGood<string[]>> }) {
      // Fails a moment later, as a request does, unless aborted first.
      const load = useBulletproof(
        'load',
        function (this: ExecutionContext) {
          const signal = this.signal;
          return new Promise<string[]>((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason as Error));
            setTimeout(() => reject(new HttpError(503)), 0);
          });
        },
        { dependency: 'api', fallback: copy },
      );
      const { run, result } = load;
      useEffect(() => {
        void run();
      }, [run]);
      return (
        <>
          <button onClick={() => void run()}>load</button>
          <p data-testid="notes">{result?.status === 'fallback' ? result.value.join() : load.state}</p>
        </>
      );
    }

    it('the doubled first load serves the saved copy, says so once, and leaves the copy as it was', async () => {
      const { protection, mount } = setup();
      const storage = sharedStorage();
      const copy = lastGood<string[]>('strict-notes', { storage });
      copy.remember(['saved note']);
      const savedAt = copy.recall()?.savedAt;
      const events: string[] = [];
      protection.events$.subscribe((e) => {
        if (e.type === 'call') events.push(e.status);
      });
      mount(
        <>
          <MessageCenter />
          <Notes copy={copy} />
        </>,
      );
      await waitFor(() => expect(screen.getByTestId('notes').textContent).toBe('saved note'));
      // StrictMode's first run was aborted by its cleanup: cancelled, nothing served or said.
      expect(events).toEqual(['cancelled', 'fallback']);
      const told = protection.messages.visible.toasts.filter((t) => /saved at/.test(t.text));
      expect(told).toHaveLength(1);
      expect(copy.recall()).toEqual({ value: ['saved note'], savedAt });
    });

    it('another tab saving a newer copy: the next failed load serves that one, a storage event or not', async () => {
      const { mount } = setup();
      const storage = sharedStorage();
      const copy = lastGood<string[]>('two-tab-notes', { storage });
      copy.remember(['mine']);
      mount(<Notes copy={copy} />);
      await waitFor(() => expect(screen.getByTestId('notes').textContent).toBe('mine'));
      // The other tab's tier: same key, same storage.
      lastGood<string[]>('two-tab-notes', { storage }).remember(['theirs', 'newer']);
      window.dispatchEvent(new StorageEvent('storage', { key: 'bulletproof:last-good:two-tab-notes' }));
      fireEvent.click(screen.getByText('load'));
      await waitFor(() => expect(screen.getByTestId('notes').textContent).toBe('theirs,newer'));
    });
  });

  it('usePendingOverlay under StrictMode follows the writes another tab queues and delivers', async () => {
    // Two tabs: one database, one BroadcastChannel name. This tab shows the list; the other writes.
    const indexedDB = new IDBFactory();
    const name = `two-tabs-${Math.random()}`;
    const tab = (handlers: Record<string, (payload: never) => Promise<unknown>>) =>
      createProtection({
        window: fakeWindow(),
        outbox: (parts) =>
          createOutbox({
            ...parts,
            name,
            indexedDB,
            handlers,
            autoDrain: false,
            locks: false,
            window: false,
          }),
      });
    const here = tab({});
    const there = tab({ note: () => Promise.resolve() });
    protection = here;
    interface Note {
      id: string;
      title: string;
    }
    const overlay = { type: 'note', id: (n: Note) => n.id, apply: (_: Note | undefined, p: Note) => p };
    const server: Note[] = [{ id: 'a', title: 'A' }];
    function List() {
      const { items, pending } = usePendingOverlay(server, overlay);
      return (
        <ul>
          {items.map((n) => (
            <li key={n.id}>{`${n.title}${pending.has(n.id) ? ' (waiting)' : ''}`}</li>
          ))}
        </ul>
      );
    }
    try {
      render(
        <StrictMode>
          <BulletproofProvider protection={here}>
            <List />
          </BulletproofProvider>
        </StrictMode>,
      );
      await there.outbox?.enqueue('note', { id: 'b', title: 'B from the other tab' });
      expect(await screen.findByText('B from the other tab (waiting)')).toBeTruthy();
      await there.outbox?.drain();
      await waitFor(() => expect(screen.queryByText(/B from the other tab/)).toBeNull());
      expect(screen.getByText('A')).toBeTruthy();
    } finally {
      await there.dispose();
    }
  });

  it('a refused write: the message offers Review, which takes the user to the outbox panel', async () => {
    const { protection, mount } = setup({
      note: () =>
        Promise.reject(
          new HttpError(422, {
            message: 'HTTP 422 from /notes: Title is required',
            detail: 'Title is required',
          }),
        ),
    });
    mount(
      <>
        <MessageCenter />
        <OutboxPanel />
      </>,
    );
    await act(async () => {
      await protection.outbox!.enqueue('note', { title: '' });
      await protection.outbox!.drain();
    });
    const review = await screen.findByRole('button', { name: 'Review' });
    await act(async () => {
      fireEvent.click(review);
      await Promise.resolve();
    });
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Changes waiting to sync' })),
    );
    const dead = (await screen.findByRole('heading', { name: 'Could not be saved' })).parentElement!;
    expect(within(dead).getByText(/Refused by the server: Title is required/)).toBeTruthy();

    // Discard it from the panel, confirming inline.
    fireEvent.click(within(dead).getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: 'Discard (1)' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Discard for good' }));
      await Promise.resolve();
    });
    await waitFor(() => expect(protection.outbox!.stats.dead).toBe(0));
    expect(await screen.findByText('Nothing waiting to sync.')).toBeTruthy();
  });
});
