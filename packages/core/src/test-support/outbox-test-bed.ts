import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Outbox, OutboxOptions } from '../outbox/types.js';

export interface OutboxTestBed {
  /** This test's IndexedDB: a fresh, empty fake for every test. */
  readonly idb: IDBFactory;
  /**
   * Options for an outbox that does nothing on its own (no automatic drain, no Web Locks,
   * no tab channel, no window events) on this test's IndexedDB: each test adds what it needs.
   */
  readonly options: OutboxOptions;
  /** Closes `outbox` after the test, so its timers and database connection do not leak into the next. */
  closeAfter<O extends Outbox>(outbox: O): O;
}

/**
 * The setup every outbox test file shares. Call it at the top of the file. With
 * `fakeTimeFrom`, `Date` and `setTimeout` are faked from that time during each test
 * (`setImmediate` stays real: fake-indexeddb answers on it).
 */
export function outboxTestBed(o: { fakeTimeFrom?: number } = {}): OutboxTestBed {
  let idb = new IDBFactory();
  let opened: Outbox[] = [];

  beforeEach(() => {
    if (o.fakeTimeFrom !== undefined) {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
      vi.setSystemTime(o.fakeTimeFrom);
    }
    idb = new IDBFactory();
    opened = [];
  });

  afterEach(async () => {
    await Promise.all(opened.map((outbox) => outbox.close()));
    if (o.fakeTimeFrom !== undefined) vi.useRealTimers();
    vi.restoreAllMocks();
  });

  return {
    get idb() {
      return idb;
    },
    get options(): OutboxOptions {
      return { indexedDB: idb, autoDrain: false, locks: false, BroadcastChannel: false, window: false };
    },
    closeAfter(outbox) {
      opened.push(outbox);
      return outbox;
    },
  };
}
