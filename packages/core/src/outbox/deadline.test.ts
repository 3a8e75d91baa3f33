import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { TimeoutError } from '../failure/errors.js';
import { withDeadline } from './deadline.js';

describe('withDeadline (the default limit on a delivery attempt)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rejects with a TimeoutError at the deadline and tells the handler through its signal', async () => {
    let seen: AbortSignal | undefined;
    const attempt = withDeadline(
      (signal) => {
        seen = signal;
        return new Promise<never>(() => {});
      },
      new AbortController().signal,
      1_000,
      systemClock,
    );
    const outcome = expect(attempt).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(1_000);
    await outcome;
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives way to the outer abort, and leaves no timer behind', async () => {
    const outer = new AbortController();
    const attempt = withDeadline(() => new Promise<never>(() => {}), outer.signal, 1_000, systemClock);
    outer.abort('closed');
    await expect(attempt).rejects.toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets an attempt that aborted the outer signal while starting finish with its own outcome', async () => {
    const outer = new AbortController();
    const attempt = withDeadline(
      () => {
        outer.abort();
        return Promise.resolve('sent');
      },
      outer.signal,
      1_000,
      systemClock,
    );
    await expect(attempt).resolves.toBe('sent');
  });

  it('refuses to start once the outer signal is aborted', async () => {
    const outer = new AbortController();
    outer.abort('gone');
    const run = vi.fn(() => Promise.resolve('sent'));
    await expect(withDeadline(run, outer.signal, 1_000, systemClock)).rejects.toBe('gone');
    expect(run).not.toHaveBeenCalled();
  });
});
