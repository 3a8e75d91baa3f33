import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from './outbox.js';
import { channelName } from './tab-sync.js';
import type { OutboxEvent } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';

const bed = outboxTestBed();

/** Lets the real BroadcastChannel of Node deliver what was posted. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('outbox tab messages of the wrong shape', () => {
  it('relays no event whose entry or type is not one, and keeps relaying the well-formed ones', async () => {
    const outbox = bed.closeAfter(createOutbox({ name: 'tabs-hostile', ...bed.options, BroadcastChannel }));
    const events: OutboxEvent[] = [];
    // What the package's own subscribers do with a relayed event (user-messages: `event.entry.id`).
    const ids: string[] = [];
    outbox.events$.subscribe((e) => {
      events.push(e);
      if (e.type === 'delivered' || e.type === 'dead-lettered') ids.push(e.entry.id);
    });
    const errors: unknown[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => {
      try {
        task();
      } catch (error) {
        errors.push(error);
      }
    });

    const other = new BroadcastChannel(channelName('tabs-hostile'));
    const entry = {
      id: 'e1',
      type: 'w',
      payload: 1,
      channel: 'default',
      idempotencyKey: 'k',
      state: 'pending',
    };
    other.postMessage({
      from: 'other',
      events: [
        null,
        7,
        'delivered',
        { type: 'delivered' },
        { type: 'delivered', entry: null },
        { type: 'delivered', entry: { id: 5 } },
        { type: 'dead-lettered', entry, reason: { evil: true } },
        { type: 'enqueued', entry },
        { type: 'delivered', entry },
        { type: 'dead-lettered', entry, reason: 'rejected' },
      ],
    });
    await delivered();
    other.close();

    expect(errors).toEqual([]);
    expect(ids).toEqual(['e1', 'e1']);
    expect(events.map((e) => e.type)).toEqual(['delivered', 'dead-lettered']);
  });
});
