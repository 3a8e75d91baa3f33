// A dependency's `kind` and `silent` are the defaults of its calls (what a preset sets); a
// call's own options win.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retry } from '../policy/index.js';
import { createProtection } from './create-protection.js';
import type { Protection, ProtectionEvent } from './types.js';
import { FakeWindow } from '../test-support/fake-window.js';

const networkError = () => new TypeError('Failed to fetch');
const once = () => retry({ maxAttempts: 2, backoff: { delay: () => 0 } });

let p: Protection;
let calls: ProtectionEvent[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  p = createProtection({
    window: new FakeWindow(),
    outbox: false,
    dependencies: {
      quiet: { policy: once(), silent: true },
      writes: { policy: once(), kind: 'write' },
    },
  });
  calls = [];
  p.events$.subscribe((e) => {
    if (e.type === 'call') calls.push(e);
  });
});

afterEach(async () => {
  await p.dispose();
  vi.useRealTimers();
});

describe('dependency defaults for its calls', () => {
  it('a silent dependency tells the user nothing unless the call asks to be heard', async () => {
    const bug = () => Promise.reject(new Error('bug'));
    await p.protect('ping', bug, { dependency: 'quiet' });
    expect(p.messages.visible.toasts).toEqual([]);
    await p.protect('ping', bug, { dependency: 'quiet', silent: false });
    expect(p.messages.visible.toasts).toHaveLength(1);
  });

  it("a write dependency's calls are writes: not repeated after an ambiguous failure without their key", async () => {
    const fn = vi.fn(() => Promise.reject(networkError()));
    await p.protect('save', fn, { dependency: 'writes' });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(calls.at(-1)).toMatchObject({ kind: 'write', status: 'failed' });

    const read = vi.fn(() => Promise.reject(networkError()));
    await p.protect('load', read, { dependency: 'writes', kind: 'read' });
    expect(read).toHaveBeenCalledTimes(2);
    expect(calls.at(-1)).toMatchObject({ kind: 'read' });
  });

  it('a write dependency still retries a call that sends its idempotency key', async () => {
    let attempts = 0;
    const result = await p.protect(
      'save',
      (ctx) => {
        expect(ctx.idempotencyKey).toEqual(expect.any(String)); // sends its key
        return ++attempts < 2 ? Promise.reject(networkError()) : Promise.resolve('saved');
      },
      { dependency: 'writes' },
    );
    expect(result).toEqual({ status: 'ok', value: 'saved' });
  });

  it('refuses a bad kind or silent by name', () => {
    expect(() => createProtection({ dependencies: { api: { kind: 'upload' as 'read' } } })).toThrow(
      'createProtection(): option "dependencies.api.kind" must be one of "read", "write" (received "upload")',
    );
    expect(() =>
      createProtection({ dependencies: { api: { silent: 'yes' as unknown as boolean } } }),
    ).toThrow(/option "dependencies\.api\.silent" must be a boolean/);
  });
});
