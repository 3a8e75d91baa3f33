import { describe, expect, it } from 'vitest';
import { oneAtATime } from './one-at-a-time.js';
import { deferred } from './test-support/deferred.js';

describe('oneAtATime', () => {
  it('never runs twice at once; calls during a run ask for exactly one more', async () => {
    const gates = [deferred(), deferred()];
    let started = 0;
    const runs = oneAtATime(() => gates[started++]!.promise);
    const first = runs.run();
    const second = runs.run();
    const third = runs.run();
    expect(started).toBe(1);
    // The calls made during the run share it, and the one more run it owes them.
    expect(second).toBe(first);
    expect(third).toBe(first);
    gates[0]!.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(2);
    gates[1]!.resolve();
    await first;
    expect(started).toBe(2);
  });

  it('idle() resolves once no run is under way', async () => {
    const gate = deferred();
    const runs = oneAtATime(() => gate.promise);
    await runs.idle();
    void runs.run();
    let idle = false;
    void runs.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    gate.resolve();
    await runs.idle();
    expect(idle).toBe(true);
  });
});
