/* eslint-disable @typescript-eslint/require-await -- fetch fakes and handlers return promises by contract */
import { describe, expect, it, vi } from 'vitest';
import { createProtection } from '../protection/create-protection.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';
import { settleImmediates as settle } from '../test-support/settle.js';
import { createOutbox } from './outbox.js';
import { outboxHttp } from './outbox-http.js';
import { DEFAULT_TIMEOUT_MS } from './options.js';
import type { Outbox, OutboxOptions } from './types.js';

// outboxHttp() is a part the app builds and hands to createOutbox, with its own prepare and
// fetch: what those do must never lose a write silently, and an outbox without it must leave
// 'http' entries for one that has it.

const T0 = 1_000_000;
const bed = outboxTestBed({ fakeTimeFrom: T0 });
const make = (o: OutboxOptions): Outbox => bed.closeAfter(createOutbox({ name: 'h', ...bed.options, ...o }));
const post = { url: 'https://api.test/notes', method: 'POST', body: '{"a":1}' };
const ok = async () => new Response(null, { status: 201 });

describe('options createOutbox took before outboxHttp (development build)', () => {
  it.each(['prepare', 'fetch', 'persistHeaders', 'keepCredentials'])(
    'refuses %s, naming where it goes now',
    (name) => {
      expect(() => createOutbox({ ...bed.options, [name]: [] })).toThrow(
        `createOutbox(): option "${name}" must be given to outboxHttp: createOutbox({ http: outboxHttp({ ${name} }) })`,
      );
    },
  );

  it('names the path through createProtection', () => {
    expect(() =>
      createProtection({
        connectivity: false,
        outbox: (parts) => createOutbox({ ...parts, ...bed.options, prepare: (r: Request) => r } as never),
      }),
    ).toThrow(/createProtection\(\): option "outbox\.prepare" must be given to outboxHttp/);
  });
});

describe('a hostile prepare or fetch', () => {
  it.each([
    ['returns nothing (a missing return)', () => undefined],
    ['returns a RequestInit', (req: Request) => ({ headers: req.headers })],
    ['returns a URL string', () => 'https://api.test/other'],
  ])('that %s never sends anything else, nor counts the write as delivered', async (_, prepare) => {
    const sent: unknown[] = [];
    const outbox = make({
      http: outboxHttp({
        prepare: prepare as never,
        // What a browser does with fetch(undefined): a GET of "/undefined", which an app's
        // catch-all route answers 200.
        fetch: async (input: unknown) => {
          sent.push(input);
          return new Response('<html>', { status: 200 });
        },
      }),
    });
    await outbox.enqueueRequest(post);
    await outbox.drain();
    // Observed: the write was "delivered" with nothing of it sent, and gone from the queue.
    expect(sent).toEqual([]);
    const [entry] = await outbox.list();
    // Kept among the dead letters, with the reason: `retry('dead')` sends it once prepare is fixed.
    expect(entry?.state).toBe('dead');
    expect(entry?.lastFailure?.message).toBe('outboxHttp(): prepare must return a Request');
  });

  // An error prepare throws is classified like any other (an HttpError(401) pauses the queue for
  // a sign-in; a plain Error is a refusal): the write is kept, dead-lettered, with the failure.
  it('that throws keeps the write, with the failure on it', async () => {
    const outbox = make({
      http: outboxHttp({
        prepare: () => {
          throw new Error('no token');
        },
        fetch: ok,
      }),
    });
    await outbox.enqueueRequest(post);
    await outbox.drain();
    const [entry] = await outbox.list();
    expect(entry?.state).toBe('dead');
    expect(entry?.lastFailure?.message).toBe('no token');
  });

  it('that hangs (prepare or fetch ignoring the signal) is cut at the attempt deadline', async () => {
    for (const hang of ['prepare', 'fetch'] as const) {
      const never = () => new Promise<never>(() => undefined);
      const outbox = make({
        name: `hang-${hang}`,
        http: outboxHttp(hang === 'prepare' ? { prepare: never, fetch: ok } : { fetch: never }),
      });
      await outbox.enqueueRequest(post);
      const draining = outbox.drain();
      // The attempt starts once its claim commits (fake-indexeddb answers on real tasks).
      for (let t = 0; t <= DEFAULT_TIMEOUT_MS; t += 1_000) {
        await settle(5);
        await vi.advanceTimersByTimeAsync(1_000);
      }
      const report = await draining;
      expect(report.retried, hang).toBe(1);
      const [entry] = await outbox.list();
      expect(entry?.state, hang).toBe('pending');
    }
  });
});

describe('two tabs, one of them with HTTP support', () => {
  it('the one without leaves the http entry waiting, the one with delivers it once', async () => {
    const sent: string[] = [];
    const withHttp = make({
      http: outboxHttp({
        fetch: (async (req: Request) => {
          sent.push(req.url);
          return new Response(null, { status: 201 });
        }) as typeof fetch,
      }),
      handlers: { note: async () => undefined },
    });
    const without = make({ handlers: { note: async () => undefined } });
    await withHttp.enqueueRequest(post);
    // Another channel: an 'http' entry waiting holds its own channel, as any undelivered entry does.
    await without.enqueue('note', 1, { channel: 'notes' });
    await expect(without.enqueueRequest(post)).rejects.toThrow(
      /create it with createOutbox\(\{ http: outboxHttp\(\) \}\)/,
    );
    await without.drain();
    // The note went; the request waits, neither attempted nor dead-lettered.
    const left = await without.list();
    expect(left.map((e) => [e.type, e.state, e.attempts])).toEqual([['http', 'pending', 0]]);
    await withHttp.drain();
    expect(sent).toEqual(['https://api.test/notes']);
    expect(await withHttp.list()).toEqual([]);
  });
});
