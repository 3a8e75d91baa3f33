import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../outbox/outbox.js';
import { createProtection } from './create-protection.js';
import type { Protection } from './types.js';
import { FakeWindow } from '../test-support/fake-window.js';

// The production build: `DEV` is false, so misuse is refused with short messages and options
// are not checked (see dev.ts).
vi.mock('../dev.js', () => ({ DEV: false }));

const made: Protection[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((p) => p.dispose()));
});

function make(withOutbox: boolean): Protection {
  const protection = createProtection({
    window: new FakeWindow(),
    connectivity: false,
    outbox:
      withOutbox &&
      ((parts) =>
        createOutbox({
          ...parts,
          name: `prod-${String(made.length)}`,
          indexedDB: new IDBFactory(),
          locks: false,
          BroadcastChannel: false,
          window: false,
          autoDrain: false,
          handlers: { note: () => Promise.resolve() },
        })),
    messages: {
      templates: {
        actionRetry: 'Try again',
        synced: { other: 'Done' },
        // Unusable: a number, plural forms without `other`, an unknown id. Ignored in production.
        actionDismiss: 5 as never,
        offline: { one: 'x' } as never,
        nope: 'x',
      } as never,
    },
  });
  made.push(protection);
  return protection;
}

describe('createProtection in the production build', () => {
  it('refuses a misused protect() call with a short message', async () => {
    const p = make(true);
    const ok = () => Promise.resolve(1);
    await expect(p.protect('x', ok, { dependency: 'nope' })).rejects.toThrow(
      new TypeError('protect: unknown dependency "nope"'),
    );
    await expect(p.protect('x', ok, { offline: { type: 'http', payload: 1 } })).rejects.toThrow(
      new TypeError('protect("x"): bad http payload'),
    );
    await expect(p.protect('x', ok, { offline: { type: 'mystery', payload: 1 } })).rejects.toThrow(
      new TypeError('protect("x"): no outbox handler for "mystery"'),
    );
    await expect(make(false).protect('x', ok, { offline: { type: 'note', payload: 1 } })).rejects.toThrow(
      new TypeError('protect("x"): no outbox'),
    );
  });

  it('passes an error of a part it makes on as it is', () => {
    const error = new TypeError('createOutbox(): bad options');
    expect(() =>
      createProtection({
        connectivity: false,
        outbox: () => {
          throw error;
        },
      }),
    ).toThrow(error);
  });

  it('refuses the removed options-object form of a part, and a part function that makes none, by name', () => {
    // Observed: "makeOutbox is not a function" (minified: "e is not a function"), and a predictor
    // function returning nothing left the protection without one, silently.
    const bad = [
      { outbox: { name: 'app', handlers: { note: () => Promise.resolve() } } },
      { outbox: () => undefined },
      { outbox: async () => Promise.resolve(undefined) },
      { predictor: { horizonMs: 60_000 } },
      { predictor: () => undefined },
    ];
    for (const part of bad) {
      const name = Object.keys(part)[0] ?? '';
      expect(() => createProtection({ connectivity: false, ...(part as object) })).toThrow(
        new TypeError(`createProtection(): bad option "${name}"`),
      );
    }
  });

  it('uses the templates it can, and the default text where one is unusable', () => {
    const { messages } = make(false);
    expect(messages.template('actionRetry')).toBe('Try again');
    expect(messages.template('synced', { count: 2 })).toBe('Done');
    expect(messages.template('actionDismiss')).toBe('Dismiss');
    expect(messages.template('offline')).not.toBe('x');
  });
});
