import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from './outbox.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';

/**
 * Storage that refuses the delete after a delivery succeeded: the entry was delivered, and
 * this page must not send it again (nor report it as waiting) because the disk said no once.
 */

const bed = outboxTestBed({ fakeTimeFrom: 1_000_000 });

describe('a delete refused after a successful delivery', () => {
  it('does not make this page deliver the entry a second time', async () => {
    const sent: unknown[] = [];
    const outbox = bed.closeAfter(
      createOutbox({
        name: 'd',
        ...bed.options,
        handlers: {
          w: (p: unknown) => {
            sent.push(p);
            return Promise.resolve();
          },
        },
      }),
    );
    await outbox.enqueue('w', 'note');
    const refuse = vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(() => {
      throw new DOMException(
        'The operation failed for reasons unrelated to the database itself.',
        'UnknownError',
      );
    });
    expect(await outbox.drain()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(await outbox.list()).toEqual([]);
    refuse.mockRestore();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await outbox.drain();
    expect(sent).toEqual(['note']);
    expect(await outbox.list()).toEqual([]);
  });
});
