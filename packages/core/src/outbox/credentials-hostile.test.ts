import { describe, expect, it } from 'vitest';
import { ENTRIES_STORE, openDatabase } from './idb-store.js';
import { createOutbox } from './outbox.js';
import { outboxHttp } from './outbox-http.js';
import type { Outbox, OutboxRequestInit } from './types.js';
import { outboxTestBed } from '../test-support/outbox-test-bed.js';

/**
 * Credentials in every place a request can carry them, none of which may reach the disk by
 * default. Each secret is marked `SECRET`, so a stored record is searched for that word.
 */

const bed = outboxTestBed({ fakeTimeFrom: 1_000_000 });

function make(): Outbox {
  return bed.closeAfter(createOutbox({ name: 'c', ...bed.options, autoDrain: false, http: outboxHttp() }));
}

async function stored(): Promise<Array<{ payload: { url: string; headers: string[][] } }>> {
  const db = await openDatabase(bed.idb, 'c', () => {});
  const request = db.transaction(ENTRIES_STORE).objectStore(ENTRIES_STORE).getAll();
  const values = await new Promise<unknown[]>(
    (resolve) => (request.onsuccess = () => resolve(request.result)),
  );
  db.close();
  return values as Array<{ payload: { url: string; headers: string[][] } }>;
}

async function enqueued(request: OutboxRequestInit) {
  await make().enqueueRequest(request);
  const [record] = await stored();
  return record;
}

describe('credentials are not stored with a queued request', () => {
  it('user name and password in the URL are left out', async () => {
    const record = await enqueued({
      url: 'https://SECRET-U:SECRET-P@app.example/api/notes?page=2',
      method: 'POST',
    });
    expect(record?.payload.url).toBe('https://app.example/api/notes?page=2');
  });

  it('a URL fragment (where an OAuth implicit flow puts its access_token) is left out', async () => {
    const record = await enqueued({
      url: 'https://app.example/api/notes#access_token=SECRET-F&token_type=bearer',
      method: 'POST',
    });
    expect(record?.payload.url).toBe('https://app.example/api/notes');
  });

  it('query parameters of every common shape are left out', async () => {
    const record = await enqueued({
      url:
        'https://bucket.example/o?apikey=SECRET-1&token=SECRET-2&X-Amz-Signature=SECRET-3' +
        '&X-Amz-Credential=SECRET-4&X-Amz-Security-Token=SECRET-5&keep=yes',
      method: 'PUT',
    });
    expect(record?.payload.url).toBe('https://bucket.example/o?keep=yes');
  });

  it('headers in any letter case, in a Request object too, are left out', async () => {
    const request = new Request('https://app.example/api/notes', {
      method: 'POST',
      headers: {
        AUTHORIZATION: 'Bearer SECRET-A',
        'x-Api-KEY': 'SECRET-K',
        Cookie: 'sid=SECRET-C',
        'X-Tenant': 'acme',
      },
      body: '{}',
    });
    const record = await enqueued(request);
    expect(record?.payload.headers).toEqual([['x-tenant', 'acme']]);
    expect(JSON.stringify(record)).not.toContain('SECRET');
  });

  it('a header with "key" in its name (Ocp-Apim-Subscription-Key, X-Functions-Key) is left out', async () => {
    const record = await enqueued({
      url: 'https://app.example/api/notes',
      method: 'POST',
      headers: {
        'Ocp-Apim-Subscription-Key': 'SECRET-S',
        'X-Functions-Key': 'SECRET-F',
        'X-Master-Key': 'SECRET-M',
        'X-Tenant': 'acme',
      },
    });
    expect(record?.payload.headers).toEqual([['x-tenant', 'acme']]);
  });
});

describe('what is not a credential is kept, so the replayed request is the one the app made', () => {
  it('"author" is not "auth", and an idempotency header of another name is not a key to hide', async () => {
    const record = await enqueued({
      url: 'https://app.example/api/notes?author=alice&authorId=7',
      method: 'POST',
      headers: { 'X-Author': 'alice', 'X-Idempotency-Key': 'abc-123' },
    });
    expect(record?.payload.url).toBe('https://app.example/api/notes?author=alice&authorId=7');
    expect(record?.payload.headers).toEqual([
      ['x-author', 'alice'],
      ['x-idempotency-key', 'abc-123'],
    ]);
  });
});
