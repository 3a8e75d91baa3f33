import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from './outbox.js';
import { outboxHttp } from './outbox-http.js';
import { readRecord, RECORD_VERSION } from './schema.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';

// The production build: `DEV` is false, so misuse is refused without the option schemas.
vi.mock('../dev.js', () => ({ DEV: false }));

const bed = outboxTestBed({ fakeTimeFrom: 0 });

describe('outbox in the production build', () => {
  it('refuses a bad enqueue with a short message', async () => {
    const outbox = bed.closeAfter(createOutbox({ name: 'p', ...bed.options, autoDrain: false }));
    for (const call of [
      () => outbox.enqueue('', 1),
      () => outbox.enqueue(7 as unknown as string, 1),
      () => outbox.enqueue('w', 1, { idempotencyKey: '' }),
      () => outbox.enqueue('w', 1, { channel: 3 as unknown as string }),
    ])
      await expect(call()).rejects.toThrow(new TypeError('enqueue(): bad type or options'));
    expect(await outbox.list()).toEqual([]);
  });
});

describe('outbox calls refused in the production build', () => {
  it('words misuse briefly', async () => {
    const outbox = bed.closeAfter(
      createOutbox({ name: 'q', ...bed.options, autoDrain: false, http: outboxHttp() }),
    );
    await expect(outbox.enqueue('http', { url: 'x' })).rejects.toThrow(
      new TypeError('enqueue(): bad "http" payload; use enqueueRequest()'),
    );
    await expect(outbox.enqueueRequest({} as unknown as Request)).rejects.toThrow(
      new TypeError('enqueueRequest(): bad request'),
    );
    await expect(outbox.retry('all' as unknown as 'dead')).rejects.toThrow(new TypeError('retry(): bad ids'));
    await expect(outbox.discard([1] as unknown as string[])).rejects.toThrow(
      new TypeError('discard(): bad ids'),
    );
  });
});

describe('stored records in the production build', () => {
  it('are still checked, and their issues name the fields without the development wording', () => {
    const record = {
      v: RECORD_VERSION,
      seq: 1,
      id: 'a',
      type: 'w',
      payload: 1,
      channel: 'default',
      idempotencyKey: 'a',
      state: 'flying',
      attempts: -1,
      createdAt: 0,
      nextAttemptAt: 0,
    };
    expect(readRecord(record)).toEqual({ kind: 'invalid', issues: ['state', 'attempts'] });
    expect(readRecord({ ...record, state: 'dead', attempts: 0 })).toEqual({
      kind: 'invalid',
      issues: ['deadReason'],
    });
    expect(readRecord('junk')).toEqual({ kind: 'invalid', issues: ['(record)'] });
    expect(readRecord({ ...record, v: undefined })).toEqual({ kind: 'invalid', issues: ['v'] });
  });
});
