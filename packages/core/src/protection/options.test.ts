import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../outbox/outbox.js';
import { createPredictor } from '../predict/create-predictor.js';
import { exponentialBackoff } from '../policy/backoff.js';
import { circuitBreaker } from '../policy/breaker/circuit-breaker.js';
import { retry } from '../policy/retry.js';
import { installOutboxSync, type ServiceWorkerScopeLike } from '../sw/index.js';
import { createProtection } from './create-protection.js';
import type { ProtectionOptions } from './types.js';
import { FakeWindow } from '../test-support/fake-window.js';

/** Bad options: one clear TypeError naming the option path, never a crash deeper down or a silent typo. */
describe('createProtection options', () => {
  it.each<[string, unknown, RegExp]>([
    ['null', null, /^TypeError: createProtection\(\): options must be an object \(received null\)$/],
    ['a number', 5, /options must be an object \(received 5\)/],
    [
      'a dependency of null',
      { dependencies: { api: null } },
      /option "dependencies\.api" must be an object \(received null\)/,
    ],
    [
      'dependencies as a string',
      { dependencies: 'abc' },
      /option "dependencies" must be a record \(received "abc"\)/,
    ],
    [
      'outbox: 5',
      { outbox: 5 },
      /option "outbox" must be false, createOutbox or a function that calls it \(received 5\)/,
    ],
    [
      'outbox options where its factory goes (the removed form)',
      { outbox: { name: 'x' } },
      /option "outbox" must be createOutbox or a function that calls it, \(parts\) => createOutbox\(\{ \.\.\.parts, \.\.\.options \}\): the options object form was removed \(received an object\)/,
    ],
    ['predictor: 5', { predictor: 5 }, /option "predictor" must be false, createPredictor or a function/],
    [
      'predictor options where its factory goes (the removed form)',
      { predictor: { horizonMs: 60_000 } },
      /option "predictor" must be createPredictor or a function that calls it, \(parts\) => createPredictor\(/,
    ],
    ['an unknown key', { outbx: {} }, /unknown option "outbx"/],
    [
      'an unknown dependency key',
      { dependencies: { api: { critcal: true } } },
      /unknown option "dependencies\.api\.critcal"/,
    ],
    [
      'a typo in a part',
      { outbox: (parts: object) => createOutbox({ ...parts, nmae: 'x' } as never) },
      /createProtection\(\): unknown option "outbox\.nmae"/,
    ],
    [
      'NaN in a part',
      { outbox: (parts: object) => createOutbox({ ...parts, autoDrain: { intervalMs: Number.NaN } }) },
      /option "outbox\.autoDrain\.intervalMs" must be/,
    ],
    [
      'a typo in a section',
      { messages: { nmae: 'x' } },
      /createProtection\(\): unknown option "messages\.nmae"/,
    ],
  ])('refuses %s, naming it', (_, options, message) => {
    let error: unknown;
    try {
      createProtection(options as ProtectionOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(message);
  });
});

describe('strict option objects', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['retry()', () => retry({ maxAtempts: 3 } as never), /retry\(\): unknown option "maxAtempts"/],
    ['circuitBreaker()', () => circuitBreaker({ name: 'b', windw: {} } as never), /unknown option "windw"/],
    ['createOutbox()', () => createOutbox({ nmae: 'x' } as never), /createOutbox\(\): unknown option "nmae"/],
    ['exponentialBackoff()', () => exponentialBackoff({ maxMS: 5 } as never), /unknown option "maxMS"/],
    [
      'createOutbox() autoDrain',
      () => createOutbox({ autoDrain: { intervalMs: Number.NaN } }),
      /option "autoDrain\.intervalMs" must be/,
    ],
  ])('%s refuses unknown keys and bad values by name', (_, build, message) => {
    expect(build).toThrow(TypeError);
    expect(build).toThrow(message);
  });

  it('installOutboxSync() checks every option when installed, not at the first sync', () => {
    const scope = {
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
      registration: {},
    } as unknown as ServiceWorkerScopeLike;
    expect(() => installOutboxSync({ maxAttempts: 0 }, scope)).toThrow(
      /installOutboxSync\(\): option "maxAttempts" must be ≥ 1 \(received 0\)/,
    );
    expect(() => installOutboxSync({ nmae: 'x' } as never, scope)).toThrow(/unknown option "nmae"/);
    expect(scope.addEventListener).not.toHaveBeenCalled();
  });
});

describe('createProtection that throws partway', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('disposes what it built: no probe keeps running, no window listener is left', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response('ok')));
    vi.stubGlobal('fetch', fetch);
    const win = new FakeWindow();
    expect(() =>
      createProtection({
        window: win,
        connectivity: { probe: { url: '/health', intervalMs: 1_000 } },
        outbox: (parts) =>
          createOutbox({
            ...parts,
            name: 'partway',
            indexedDB: new IDBFactory(),
            locks: false,
            BroadcastChannel: false,
          }),
        // Checked by the predictor, built after the monitor and the outbox.
        predictor: (parts) => createPredictor({ ...parts, horizonMs: -1 }),
      }),
    ).toThrow(/option "predictor\.horizonMs"/);
    // The monitor probed once as it started; nothing runs once the constructor has thrown.
    const probes = fetch.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(probes);
    expect(win.listeners).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
