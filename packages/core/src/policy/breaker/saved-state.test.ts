import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../failure/errors.js';
import type { BreakerWindow } from './windows.js';
import { circuitBreaker, type BreakerOptions, type CircuitBreaker } from './circuit-breaker.js';
import { persistInLocalStorage, type StorageLike } from './persist.js';
import type { BreakerSavedState } from './record.js';
import { consecutiveFailures, countWindow, timeWindow } from './windows.js';

/** `toJSON()` and `initialState`, and `persist: persistInLocalStorage()` built on them: counts survive a reload. */

const T0 = 1_000_000;
const fail = () => Promise.reject(new HttpError(500));
const ok = () => Promise.resolve('ok');

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

async function run(breaker: CircuitBreaker, outcomes: string): Promise<void> {
  for (const o of outcomes) await breaker.execute(o === 'f' ? fail : ok).catch(() => undefined);
}

/** A JSON round trip, as storage or the network would make it. */
const roundTrip = (breaker: CircuitBreaker): BreakerSavedState =>
  JSON.parse(JSON.stringify(breaker)) as BreakerSavedState;

describe('breaker state saved and restored', () => {
  const made: CircuitBreaker[] = [];
  const make = (o: BreakerOptions) => {
    const b = circuitBreaker(o);
    made.push(b);
    return b;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    for (const b of made.splice(0)) b.dispose();
    vi.useRealTimers();
  });

  it('persist: a closed breaker one failure short of opening still opens on the next failure after a reload', async () => {
    const localStorage = memoryStorage();
    const before = make({ name: 'api', persist: persistInLocalStorage({ storage: localStorage }) });
    await run(before, 'ffff');
    expect(before.state).toBe('closed');
    // The page reloads: a new breaker reads what the old one left.
    const after = make({ name: 'api', persist: persistInLocalStorage({ storage: localStorage }) });
    expect(after.snapshot).toMatchObject({ state: 'closed', failures: 4, calls: 4 });
    await run(after, 'f');
    expect(after.state).toBe('open');
  });

  it('persist: a success after the failures is remembered too', async () => {
    const localStorage = memoryStorage();
    await run(make({ name: 'api', persist: persistInLocalStorage({ storage: localStorage }) }), 'ffffs');
    const after = make({ name: 'api', persist: persistInLocalStorage({ storage: localStorage }) });
    await run(after, 'f');
    expect(after.state).toBe('closed');
  });

  it('toJSON gives state, times and counts; initialState restores an open breaker and its counts', async () => {
    const breaker = make({ name: 'api', window: consecutiveFailures(2), openForMs: 10_000 });
    await run(breaker, 'ff');
    const saved = roundTrip(breaker);
    expect(saved).toMatchObject({ v: 1, state: 'open', opens: 1, openedAt: T0, openUntil: T0 + 10_000 });
    const restored = make({ name: 'api', window: consecutiveFailures(2), initialState: saved });
    expect(restored.snapshot).toMatchObject({ state: 'open', openUntil: T0 + 10_000 });
  });

  it.each<[string, BreakerWindow]>([
    ['count', countWindow({ size: 5, failureRate: 0.5 })],
    ['time', timeWindow({ durationMs: 10_000, failureRate: 0.5, minimumCalls: 5 })],
  ])('restores a %s window: the same outcomes, and the same next decision', async (_kind, window) => {
    const breaker = make({ name: 'api', window, slowCall: { thresholdMs: 1_000, rate: 1 } });
    await run(breaker, 'ssfsf');
    const saved = roundTrip(breaker);
    const restored = make({
      name: 'api',
      window,
      slowCall: { thresholdMs: 1_000, rate: 1 },
      initialState: saved,
    });
    expect(restored.snapshot).toEqual(breaker.snapshot);
    await run(restored, 'f');
    await run(breaker, 'f');
    expect(restored.state).toBe(breaker.state);
    expect(restored.state).toBe('open');
  });

  it('a time window drops buckets that aged out while the page was away', async () => {
    const window: BreakerWindow = timeWindow({ durationMs: 10_000, failureRate: 0.5, minimumCalls: 2 });
    const breaker = make({ name: 'api', window });
    await run(breaker, 'fs');
    const saved = roundTrip(breaker);
    vi.setSystemTime(T0 + 20_000);
    const restored = make({ name: 'api', window, initialState: saved });
    expect(restored.snapshot).toMatchObject({ failures: 0, calls: 0 });
  });

  it('ignores state that is malformed, of another format, or from another window', async () => {
    const breaker = make({ name: 'api' });
    await run(breaker, 'ffff');
    const saved = roundTrip(breaker);
    const window = saved.window as Extract<BreakerSavedState['window'], { kind: 'consecutive' }>;
    const bad: unknown[] = [
      null,
      'closed',
      { ...saved, v: 2 },
      { ...saved, state: 'broken' },
      { ...saved, window: { ...window, failures: -1 } },
      { ...saved, window: { ...window, failures: 5 } }, // a run that would have opened it
      { ...saved, window: { ...window, failures: 4, calls: 3 } },
      { ...saved, window: { kind: 'count', size: 5, outcomes: [1, 1, 1, 1] } },
    ];
    for (const initialState of bad) {
      const restored = make({ name: 'api', initialState: initialState as BreakerSavedState });
      expect(restored.snapshot, JSON.stringify(initialState)).toMatchObject({ state: 'closed', failures: 0 });
    }
    const counts = countWindow({ size: 5, failureRate: 0.5 });
    for (const w of [
      { kind: 'count', size: 4, outcomes: [1, 1] },
      { kind: 'count', size: 5, outcomes: [1, 9] },
      { kind: 'count', size: 5, outcomes: [1, 1, 1, 1, 1, 1] },
    ]) {
      const restored = make({ name: 'api', window: counts, initialState: { ...saved, window: w } as never });
      expect(restored.snapshot.calls, JSON.stringify(w)).toBe(0);
    }
    const timed = timeWindow({ durationMs: 10_000, failureRate: 0.5 });
    const buckets = Array.from({ length: 30 }, () => 0);
    const epoch = Math.floor(T0 / 1_000);
    for (const w of [
      { kind: 'time', durationMs: 20_000, epoch, buckets: buckets.map((_, i) => (i % 3 === 0 ? 1 : 0)) },
      {
        kind: 'time',
        durationMs: 10_000,
        epoch: epoch + 100,
        buckets: buckets.map((_, i) => (i < 3 ? 1 : 0)),
      },
      { kind: 'time', durationMs: 10_000, epoch, buckets: buckets.map((_, i) => (i === 1 ? 1 : 0)) },
    ]) {
      const restored = make({ name: 'api', window: timed, initialState: { ...saved, window: w } as never });
      expect(restored.snapshot.calls, JSON.stringify(w)).toBe(0);
    }
  });

  it('never holds the breaker open longer than its own openForMs would', () => {
    const restored = make({
      name: 'api',
      openForMs: 1_000,
      initialState: {
        v: 1,
        state: 'open',
        opens: 1,
        at: T0,
        openedAt: T0,
        openUntil: T0 + 1e12,
        window: { kind: 'consecutive', failures: 0, slowCalls: 0, calls: 0 },
      },
    });
    expect(restored.snapshot.openUntil).toBe(T0 + 1_000);
  });
});
