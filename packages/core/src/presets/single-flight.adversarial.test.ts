import { describe, expect, it } from 'vitest';
import { deferred } from '../test-support/deferred.js';
import { track } from '../test-support/track.js';
import { singleFlight } from './single-flight.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('singleFlight, attacked', () => {
  // Every caller aborted, so the shared execution was aborted; it had not landed yet when a new
  // call came. That call joined it, and failed with another caller's abort reason.
  it('a call made after every caller aborted runs afresh once the aborted execution has landed — never alongside it', async () => {
    const flight = singleFlight();
    const runs: { signal: AbortSignal; done: ReturnType<typeof deferred<string>> }[] = [];
    const op = ({ signal }: { signal: AbortSignal }) => {
      const done = deferred<string>();
      runs.push({ signal, done });
      return done.promise;
    };
    const caller = new AbortController();
    const first = track(flight.execute(op, { signal: caller.signal }));
    caller.abort(new Error('first caller left'));
    await tick();
    expect(first.error).toMatchObject({ message: 'first caller left' });
    expect(runs[0]?.signal.aborted).toBe(true);

    const second = track(flight.execute(op));
    await tick();
    // Still winding down: the new call waits rather than overlap it.
    expect(runs).toHaveLength(1);
    runs[0]?.done.reject(runs[0].signal.reason);
    await tick();
    expect(runs).toHaveLength(2);
    runs[1]?.done.resolve('fresh');
    await tick();
    expect(second.value).toBe('fresh');
  });
});
