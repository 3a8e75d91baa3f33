import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionContext } from '../policy/types.js';
import { presets } from './presets.js';

/** An operation that never answers, and gives up when its signal says so (a request whose answer is lost). */
const lostAnswer = (calls: { n: number }) => (ctx: ExecutionContext) => {
  calls.n++;
  return new Promise<never>((_, reject) => {
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true });
  });
};

describe('a write preset used as a policy on its own', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // docs/presets.md exports `presets.write(…).policy` for use with `execute`. Its calls
  // defaulted to idempotent, so a write whose answer was lost (a timeout) was sent again blind.
  it('does not send a write again after a timeout unless it sent its key', async () => {
    const calls = { n: 0 };
    const done = presets
      .write()
      .policy.execute(lostAnswer(calls))
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(done).resolves.toMatchObject({ name: 'TimeoutError' });
    expect(calls.n).toBe(1);
  });

  it('does send it again when it sent its key, or the call says it is idempotent', async () => {
    const keyed = { n: 0 };
    const run = lostAnswer(keyed);
    void presets
      .write()
      .policy.execute((ctx) => {
        expect(ctx.idempotencyKey).toBeTypeOf('string');
        return run(ctx);
      })
      .catch(() => undefined);
    const said = { n: 0 };
    void presets
      .write()
      .policy.execute(lostAnswer(said), { idempotent: true })
      .catch(() => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(keyed.n).toBe(2);
    expect(said.n).toBe(2);
  });
});
