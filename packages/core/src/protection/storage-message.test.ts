/* eslint-disable @typescript-eslint/require-await -- handlers return promises by contract */
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DISK_RETRY_AFTER_MS } from '../outbox/fallback-store.js';
import { createOutbox } from '../outbox/outbox.js';
import { createProtection } from './create-protection.js';
import { FakeWindow } from '../test-support/fake-window.js';
import { settleImmediates as settle } from '../test-support/settle.js';

describe('the storage warning', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('is shown when writes go to memory, and taken down once they go to disk again', async () => {
    const protection = createProtection({
      window: new FakeWindow(),
      connectivity: false,
      outbox: (parts) =>
        createOutbox({
          ...parts,
          name: 'warn',
          indexedDB: new IDBFactory(),
          locks: false,
          BroadcastChannel: false,
          window: false,
          autoDrain: false,
          handlers: { w: async () => undefined },
        }),
    });
    const outbox = protection.outbox;
    if (!outbox) throw new Error('no outbox');
    const text = () => protection.messages.visible.banners.map((m) => m.text).join(' ');
    await outbox.enqueue('w', 'on disk');
    const add = IDBObjectStore.prototype.add;
    const refuse = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      value: unknown,
    ) {
      const request = add.call(this, value);
      this.transaction.abort();
      return request;
    });
    await outbox.enqueue('w', 'in memory');
    refuse.mockRestore();
    await settle();
    expect(text()).toMatch(/keep this tab open/);
    await outbox.drain();
    vi.setSystemTime(1_000_000 + DISK_RETRY_AFTER_MS);
    await outbox.enqueue('w', 'on disk again');
    await settle();
    expect(outbox.stats.storage).toBe('indexeddb');
    expect(text()).not.toMatch(/keep this tab open/);
    await protection.dispose();
  });
});
