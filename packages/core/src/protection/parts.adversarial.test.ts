import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../outbox/outbox.js';
import type { Outbox, OutboxOptions } from '../outbox/types.js';
import { createPredictor } from '../predict/create-predictor.js';
import { webLocks } from '../test-support/web-locks.js';
import { FakeWindow } from '../test-support/fake-window.js';
import { createProtection } from './create-protection.js';
import type { ProtectionOptions } from './types.js';

// The outbox and the predictor are parts the app passes in, as functions that make them. What a
// JavaScript caller may pass instead — the options object of the removed form, a function that
// throws, forgets its `return` or is async — must be refused at createProtection, by name, and
// leave nothing open behind it.

const outboxes: Outbox[] = [];
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.close()));
});

const base = (): ProtectionOptions => ({ window: new FakeWindow(), connectivity: false });
const quiet = (idb = new IDBFactory()): OutboxOptions => ({
  name: 'parts',
  indexedDB: idb,
  autoDrain: false,
  locks: false,
  BroadcastChannel: false,
  window: false,
  handlers: { note: () => Promise.resolve() },
});

describe('createProtection given parts a JavaScript caller may pass (development build)', () => {
  it.each([
    ['returns undefined (a missing return)', () => undefined, /it returned undefined: is a return missing\?/],
    [
      'returns a promise',
      () => Promise.resolve(undefined),
      /it returned a Promise: make the part synchronously/,
    ],
    ['returns an object that is no outbox', () => ({ name: 'x' }), /it returned an object\)/],
    ['returns a number', () => 1, /it returned number\)/],
  ])('refuses an outbox function that %s, by name', (_, part, message) => {
    expect(() => createProtection({ ...base(), outbox: part as never })).toThrow(
      /createProtection\(\): option "outbox" must return an outbox, as createOutbox does/,
    );
    expect(() => createProtection({ ...base(), outbox: part as never })).toThrow(message);
  });

  it('refuses a predictor function that returns nothing (it used to leave the protection without one, silently)', () => {
    expect(() => createProtection({ ...base(), predictor: (() => undefined) as never })).toThrow(
      'createProtection(): option "predictor" must return a predictor, as createPredictor does (it returned undefined: is a return missing?)',
    );
  });

  it('closes an outbox made asynchronously, which it does not use', async () => {
    const late = createOutbox(quiet());
    outboxes.push(late);
    expect(() =>
      createProtection({ ...base(), outbox: (async () => Promise.resolve(late)) as never }),
    ).toThrow(/a Promise/);
    // Closed once the promise settles: the next turn.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(late.enqueue('note', 1)).rejects.toThrow(/closed/);
  });

  it('passes an error the part throws on, and disposes what it built before', () => {
    const error = new RangeError('no storage here');
    const dispose = vi.fn();
    expect(() =>
      createProtection({
        ...base(),
        connectivity: {},
        outbox: (parts) => {
          vi.spyOn(parts.connectivity, 'dispose').mockImplementation(dispose);
          throw error;
        },
      }),
    ).toThrow(error);
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('closes the outbox it was given when a later part is refused', async () => {
    let outbox: Outbox | undefined;
    expect(() =>
      createProtection({
        ...base(),
        outbox: (parts) => (outbox = createOutbox({ ...parts, ...quiet() })),
        predictor: { horizonMs: 1 } as never,
      }),
    ).toThrow(/option "predictor"/);
    // Refused by the option check, before anything was made.
    expect(outbox).toBeUndefined();
    expect(() =>
      createProtection({
        ...base(),
        outbox: (parts) => (outbox = createOutbox({ ...parts, ...quiet() })),
        predictor: (() => null) as never,
      }),
    ).toThrow(/option "predictor" must return a predictor/);
    if (!outbox) throw new Error('not made');
    await expect(outbox.enqueue('note', 1)).rejects.toThrow(/closed/);
  });

  it('dispose closes the outbox it was given, and calls each part function once', async () => {
    const makeOutbox = vi.fn((parts: Parameters<typeof createOutbox>[0]) =>
      createOutbox({ ...parts, ...quiet() }),
    );
    const makePredictor = vi.fn(createPredictor);
    const p = createProtection({ ...base(), outbox: makeOutbox, predictor: makePredictor });
    expect(makeOutbox).toHaveBeenCalledOnce();
    expect(makePredictor).toHaveBeenCalledOnce();
    const outbox = p.outbox;
    if (!outbox) throw new Error('no outbox');
    await p.dispose();
    await expect(outbox.enqueue('note', 1)).rejects.toThrow(/closed/);
  });
});

describe('two protections on one outbox database (a StrictMode double mount, two tabs)', () => {
  it('deliver every write exactly once, and leave no tab channel open after dispose', async () => {
    const idb = new IDBFactory();
    const locks = webLocks();
    const opened = new Set<object>();
    // Node's BroadcastChannel, counted: every channel an outbox opens must be closed by dispose.
    class Counted extends BroadcastChannel {
      constructor(name: string) {
        super(name);
        opened.add(this);
      }
      override close() {
        opened.delete(this);
        super.close();
      }
    }
    const delivered: number[] = [];
    const make = () =>
      createProtection({
        ...base(),
        outbox: (parts) =>
          createOutbox({
            ...parts,
            name: 'strict',
            indexedDB: idb,
            locks,
            BroadcastChannel: Counted,
            window: false,
            autoDrain: false,
            handlers: {
              note: (n: number) => {
                delivered.push(n);
                return Promise.resolve();
              },
            },
          }),
      });
    const first = make();
    const second = make();
    expect(opened.size).toBe(2);
    for (let i = 0; i < 5; i++) {
      await first.outbox?.enqueue('note', i);
      await second.outbox?.enqueue('note', 10 + i);
    }
    // The first mount goes away while both drain.
    const drains = Promise.all([first.outbox?.drain(), second.outbox?.drain()]);
    await first.dispose();
    await drains;
    await second.outbox?.drain();
    expect([...delivered].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
    await second.dispose();
    expect(opened.size).toBe(0);
  });
});
