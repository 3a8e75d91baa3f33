// singleFlight: callers during a call share it; one caller giving up leaves the others waiting.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../failure/errors.js';
import { pipeline } from '../policy/pipeline.js';
import { retry } from '../policy/retry.js';
import type { ExecutionContext } from '../policy/types.js';
import { deferred } from '../test-support/deferred.js';
import { singleFlight } from './single-flight.js';

describe('singleFlight', () => {
  it('runs once for every caller while a call is in progress, and again after', async () => {
    const policy = singleFlight();
    const answer = deferred<string>();
    let runs = 0;
    const fn = () => (runs++, answer.promise);
    const callers = [policy.execute(fn), policy.execute(fn), policy.execute(fn)];
    answer.resolve('token');
    expect(await Promise.all(callers)).toEqual(['token', 'token', 'token']);
    expect(runs).toBe(1);
    expect(await policy.execute(() => Promise.resolve('next'))).toBe('next');
  });

  it('gives every caller the failure, a synchronous throw included', async () => {
    const policy = singleFlight();
    const thrown = new HttpError(500);
    const fn = (): Promise<never> => {
      throw thrown;
    };
    const callers = [policy.execute(fn), policy.execute(fn)];
    for (const c of callers) await expect(c).rejects.toBe(thrown);
    await expect(policy.execute(() => Promise.resolve(1))).resolves.toBe(1);
  });

  it('a caller that aborts stops waiting; the call goes on for the others', async () => {
    const policy = singleFlight();
    const answer = deferred<string>();
    let seen: AbortSignal | undefined;
    const fn = ({ signal }: ExecutionContext) => ((seen = signal), answer.promise);
    const impatient = new AbortController();
    const first = policy.execute(fn, { signal: impatient.signal });
    const second = policy.execute(fn);
    impatient.abort(new Error('left'));
    await expect(first).rejects.toThrow('left');
    expect(seen?.aborted).toBe(false);
    answer.resolve('token');
    await expect(second).resolves.toBe('token');
  });

  it('aborts the call once every caller has given up', async () => {
    const policy = singleFlight();
    let seen: AbortSignal | undefined;
    const fn = ({ signal }: ExecutionContext) => ((seen = signal), new Promise<never>(() => undefined));
    const a = new AbortController();
    const b = new AbortController();
    const calls = [policy.execute(fn, { signal: a.signal }), policy.execute(fn, { signal: b.signal })];
    a.abort();
    expect(seen?.aborted).toBe(false);
    b.abort();
    expect(seen?.aborted).toBe(true);
    for (const c of calls) await expect(c).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('shares the whole rest of a pipeline, retries included', async () => {
    const policy = pipeline(singleFlight(), retry({ maxAttempts: 2, backoff: { delay: () => 0 } }));
    let runs = 0;
    const fn = () => (++runs === 1 ? Promise.reject(new HttpError(503)) : Promise.resolve(runs));
    expect(await Promise.all([policy.execute(fn), policy.execute(fn)])).toEqual([2, 2]);
  });
});
