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

  // A caller waiting for an abandoned execution to land, so as to start afresh, is not joined to
  // anything: its own abort used to go unheard until that execution landed, and for ever if the
  // operation ignored its signal.
  it('a caller that aborts while waiting for an abandoned execution to land is rejected at once; the others still start afresh', async () => {
    const flight = singleFlight();
    const runs: { signal: AbortSignal; done: ReturnType<typeof deferred<string>> }[] = [];
    const op = ({ signal }: { signal: AbortSignal }) => {
      const done = deferred<string>();
      runs.push({ signal, done });
      return done.promise;
    };
    const first = new AbortController();
    void flight.execute(op, { signal: first.signal }).catch(() => undefined);
    first.abort(new Error('first caller left'));
    const impatient = new AbortController();
    const waiting = track(flight.execute(op, { signal: impatient.signal }));
    const patient = track(flight.execute(op));
    const reason = new Error('second caller left');
    impatient.abort(reason);
    await tick();
    expect(waiting.error).toBe(reason);
    expect(patient.settled).toBe(false);
    runs[0]?.done.reject(runs[0].signal.reason);
    await tick();
    expect(runs).toHaveLength(2);
    expect(runs[1]?.signal.aborted).toBe(false);
    runs[1]?.done.resolve('fresh');
    await tick();
    expect(patient.value).toBe('fresh');
  });
});
