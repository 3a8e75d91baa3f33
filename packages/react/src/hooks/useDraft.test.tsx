// idb recognises IndexedDB objects by the global classes, so they must exist;
// each test still gets its own, empty factory.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createDraftStore } from '@bulletproof/core';
import type { DraftStore } from '@bulletproof/core';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { BulletproofProvider } from '../context/BulletproofProvider.js';
import { fakeProtection, manualClock } from '../test-utils/fake-protection.js';
import { useDraft } from './useDraft.js';

function Editor({ draftKey = 'note:1', initial = '' }: { draftKey?: string; initial?: string }) {
  const [text, setText, { restored, saving, error, clear }] = useDraft(draftKey, initial);
  return (
    <div>
      <label>
        Body
        <textarea value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <output data-testid="meta">
        {restored ? 'restored' : 'fresh'} {saving ? 'saving' : 'idle'}
        {error ? ' error' : ''}
      </output>
      <button onClick={() => void clear()}>Clear</button>
    </div>
  );
}

function openStore(factory: IDBFactory, clock = manualClock()): DraftStore {
  return createDraftStore({ indexedDB: factory, name: 'react-test', window: false, clock, debounceMs: 300 });
}

function mount(store: DraftStore, ui = <Editor />) {
  return render(
    <StrictMode>
      <BulletproofProvider protection={fakeProtection()} drafts={store}>
        {ui}
      </BulletproofProvider>
    </StrictMode>,
  );
}

const body = () => screen.getByLabelText<HTMLTextAreaElement>('Body');
const meta = () => screen.getByTestId('meta').textContent;

describe('useDraft', () => {
  it('saves what the user types and restores it after a reload', async () => {
    const factory = new IDBFactory();
    const clock = manualClock();
    const store = openStore(factory, clock);
    const first = mount(store);
    await waitFor(() => expect(meta()).toBe('fresh idle'));

    fireEvent.change(body(), { target: { value: 'Three herons' } });
    expect(body().value).toBe('Three herons');
    expect(meta()).toBe('fresh saving');
    // The store debounces; once the quiet time passes it commits and saving ends.
    await act(async () => {
      clock.advance(300);
      await store.flush();
    });
    expect(meta()).toBe('fresh idle');
    first.unmount();
    await store.close();

    // A reload: a new store on the same database, a new tree.
    const reloaded = openStore(factory);
    mount(reloaded);
    expect(body().value).toBe('');
    await waitFor(() => expect(body().value).toBe('Three herons'));
    expect(meta()).toBe('restored idle');
  });

  it('never overwrites what the user typed before the saved draft finished loading', async () => {
    const factory = new IDBFactory();
    const seed = openStore(factory);
    void seed.save('note:1', 'old draft');
    await seed.flush();
    await seed.close();

    const store = openStore(factory);
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const load = store.load.bind(store);
    // Reads the old draft at once, answers only after the user has typed.
    store.load = async <T,>(key: string) => {
      const saved = await load<T>(key);
      await slow;
      return saved;
    };
    mount(store);
    fireEvent.change(body(), { target: { value: 'typed first' } });
    await act(async () => {
      release();
      await slow;
      await store.flush();
    });
    expect(body().value).toBe('typed first');
    expect(meta()).toContain('fresh');
  });

  it('clear deletes the draft and puts the initial value back', async () => {
    const factory = new IDBFactory();
    const store = openStore(factory);
    void store.save('note:1', 'to be cleared');
    await store.flush();
    mount(store, <Editor initial="start" />);
    await waitFor(() => expect(body().value).toBe('to be cleared'));
    await act(async () => {
      fireEvent.click(screen.getByText('Clear'));
      await store.flush();
    });
    expect(body().value).toBe('start');
    expect(meta()).toBe('fresh idle');
    expect(await store.load('note:1')).toBeUndefined();
  });

  it('switching keys starts from the initial value and loads that key’s draft', async () => {
    const store = openStore(new IDBFactory());
    void store.save('note:2', 'second note draft');
    await store.flush();
    const view = mount(store);
    fireEvent.change(body(), { target: { value: 'first note' } });
    view.rerender(
      <StrictMode>
        <BulletproofProvider protection={fakeProtection()} drafts={store}>
          <Editor draftKey="note:2" />
        </BulletproofProvider>
      </StrictMode>,
    );
    expect(body().value).not.toBe('first note');
    await waitFor(() => expect(body().value).toBe('second note draft'));
    expect(await store.load('note:1')).toBe('first note');
  });

  it('reports a value the store cannot keep', async () => {
    const store = openStore(new IDBFactory());
    let set!: (v: unknown) => void;
    let error: unknown;
    function Weird() {
      const [, setValue, m] = useDraft<unknown>('weird', null);
      set = setValue;
      error = m.error;
      return null;
    }
    mount(store, <Weird />);
    await act(async () => {
      set(() => 'functions cannot be cloned');
      await store.flush().catch(() => undefined);
    });
    await waitFor(() => expect(error).toBeInstanceOf(TypeError));
  });

  it('uses a draft store of its own when the provider was given none', async () => {
    const protection = fakeProtection();
    const view = render(
      <BulletproofProvider protection={protection}>
        <Editor draftKey="own-store" />
      </BulletproofProvider>,
    );
    fireEvent.change(body(), { target: { value: 'kept by the default store' } });
    await waitFor(() => expect(meta()).toBe('fresh idle'), { timeout: 3_000 });
    view.unmount();
    render(
      <BulletproofProvider protection={protection}>
        <Editor draftKey="own-store" />
      </BulletproofProvider>,
    );
    await waitFor(() => expect(body().value).toBe('kept by the default store'));
  });

  it('works without a provider when given a store, and explains when it has neither', () => {
    const store = openStore(new IDBFactory());
    function Bare() {
      const [v] = useDraft('k', 'x', { store });
      return <p>{v}</p>;
    }
    const { container } = render(<Bare />);
    expect(container.textContent).toBe('x');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    function Orphan() {
      useDraft('k', 'x');
      return null;
    }
    expect(() => render(<Orphan />)).toThrow(/useDraft needs a <BulletproofProvider>/);
    vi.restoreAllMocks();
  });
});
