import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from './errors.js';
import { fetchOk } from './fetch-ok.js';

describe('fetchOk', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('resolves a 2xx response untouched', async () => {
    const res = new Response('ok', { status: 200 });
    const fetch = vi.fn(() => Promise.resolve(res));
    vi.stubGlobal('fetch', fetch);
    await expect(fetchOk('/x', { method: 'POST' })).resolves.toBe(res);
    expect(fetch).toHaveBeenCalledWith('/x', { method: 'POST' });
  });

  it('rejects a non-2xx response with an HttpError carrying its body', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        new Response('{"code":"nope"}', { status: 409, headers: { 'content-type': 'application/json' } }),
      ),
    );
    const error = await fetchOk('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 409, body: { code: 'nope' } });
  });

  it('passes network errors through as they are', async () => {
    const failure = new TypeError('Failed to fetch');
    vi.stubGlobal('fetch', () => Promise.reject(failure));
    await expect(fetchOk('/x')).rejects.toBe(failure);
  });
});
