import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred } from '../test-support/deferred.js';
import { bulkhead } from './bulkhead.js';

describe('bulkhead, attacked', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // Each queued call that threw synchronously used to free its slot from inside the start of
  // the next one: a long queue of such calls overflowed the stack.
  it('drains a long queue of operations that throw synchronously without overflowing the stack', async () => {
    const b = bulkhead({ limit: 1, queue: Infinity });
    const held = deferred<string>();
    const first = b.execute(() => held.promise);
    const rest = Array.from({ length: 50_000 }, () =>
      b
        .execute(() => {
          throw new Error('sync');
        })
        .catch((error: unknown) => error),
    );
    held.resolve('done');
    await expect(first).resolves.toBe('done');
    const errors = await Promise.all(rest);
    expect(errors.every((e) => e instanceof Error && e.message === 'sync')).toBe(true);
    expect(b.active).toBe(0);
    expect(b.queued).toBe(0);
  });
});
