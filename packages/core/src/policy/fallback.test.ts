import { Emitter } from '../observable.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../failure/errors.js';
import type { Failure } from '../failure/types.js';
import { fallback } from './fallback.js';
import type { PolicyEvent } from './types.js';

describe('fallback', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns the result when the operation succeeds, without touching alternatives', async () => {
    const alternative = vi.fn(() => 'cached');
    await expect(fallback(alternative).execute(() => 'fresh')).resolves.toBe('fresh');
    expect(alternative).not.toHaveBeenCalled();
  });

  it('answers with a value alternative on failure', async () => {
    await expect(fallback('cached').execute(() => Promise.reject(new HttpError(500)))).resolves.toBe(
      'cached',
    );
  });

  it('calls a function alternative with the classified failure', async () => {
    const alternative = vi.fn((f: Failure) => `fallback for ${f.category}`);
    await expect(fallback(alternative).execute(() => Promise.reject(new HttpError(503)))).resolves.toBe(
      'fallback for server',
    );
    expect(alternative.mock.calls[0]![0]).toMatchObject({ category: 'server', status: 503 });
  });

  it('tries alternatives in order; a failing one passes its own failure on', async () => {
    const seen: string[] = [];
    const events: PolicyEvent[] = [];
    const policy = fallback<string>(
      (f) => {
        seen.push(`first:${f.category}`);
        throw new HttpError(404);
      },
      async (f) => {
        seen.push(`second:${f.category}`);
        return Promise.reject(new TypeError('Failed to fetch'));
      },
      (f) => {
        seen.push(`third:${f.category}`);
        return 'last resort';
      },
    );
    policy.events$.subscribe((e) => events.push(e));
    await expect(policy.execute(() => Promise.reject(new HttpError(500)))).resolves.toBe('last resort');
    expect(seen).toEqual(['first:server', 'second:client', 'third:network']);
    expect(events.filter((e) => e.type === 'fallback')).toEqual([
      expect.objectContaining({
        type: 'fallback',
        index: 0,
        failure: expect.objectContaining({ category: 'server' }),
      }),
      expect.objectContaining({
        type: 'fallback',
        index: 1,
        failure: expect.objectContaining({ category: 'client' }),
      }),
      expect.objectContaining({
        type: 'fallback',
        index: 2,
        failure: expect.objectContaining({ category: 'network' }),
      }),
    ]);
  });

  it('rejects with the last error when every alternative fails', async () => {
    const last = new Error('last');
    const policy = fallback(
      () => {
        throw new Error('first');
      },
      () => Promise.reject(last),
    );
    await expect(policy.execute(() => Promise.reject(new HttpError(500)))).rejects.toBe(last);
  });

  it('with no alternatives, rejects with the original error', async () => {
    const error = new HttpError(500);
    await expect(fallback().execute(() => Promise.reject(error))).rejects.toBe(error);
  });

  it("never substitutes for the caller's abort", async () => {
    const controller = new AbortController();
    const alternative = vi.fn(() => 'substitute');
    const pending = fallback(alternative).execute(
      (ctx) =>
        new Promise<string>((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
        ),
      { signal: controller.signal },
    );
    controller.abort(new DOMException('left', 'AbortError'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(alternative).not.toHaveBeenCalled();
  });

  it('never substitutes for an abort the operation reports, even with its caller still waiting', async () => {
    const alternative = vi.fn(() => 'substitute');
    const pending = fallback(alternative).execute(() =>
      Promise.reject(new DOMException('left', 'AbortError')),
    );
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(alternative).not.toHaveBeenCalled();
  });

  it('builds no event objects while nobody listens', async () => {
    const next = vi.spyOn(Emitter.prototype, 'next');
    await fallback('x').execute(() => Promise.reject(new Error('boom')));
    expect(next).not.toHaveBeenCalled();
  });
});
