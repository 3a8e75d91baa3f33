import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import { createDegradation, RECOVERING_REASON } from './create-degradation.js';
import type { DegradationState } from './types.js';

/** A clock whose timers never fire: what a throttled background tab looks like. */
function frozenTimerClock(start = 0): Clock & { set(t: number): void; pending: number } {
  let now = start;
  const clock = {
    pending: 0,
    now: () => now,
    set(t: number) {
      now = t;
    },
    setTimeout: () => {
      clock.pending += 1;
      return clock.pending;
    },
    clearTimeout: () => {},
  };
  return clock;
}

describe('createDegradation', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at none, not manual, with no reasons', () => {
    const d = createDegradation();
    expect(d.state).toEqual({ level: 'none', reasons: [], since: 1_000_000, manual: false });
  });

  it('escalates at once, even several levels', () => {
    const d = createDegradation();
    vi.advanceTimersByTime(500);
    d.propose('severe', ['server unreachable']);
    expect(d.state).toEqual({
      level: 'severe',
      reasons: ['server unreachable'],
      since: 1_000_500,
      manual: false,
    });
    d.propose('critical', ['offline']);
    expect(d.state.level).toBe('critical');
  });

  it('steps down one level per recoverAfterMs of calm, never jumping', () => {
    const d = createDegradation({ recoverAfterMs: 10_000 });
    const seen: string[] = [];
    d.state$.subscribe((s) => seen.push(s.level));
    d.propose('severe', ['server unreachable']);
    d.propose('none', []);
    expect(d.state.level).toBe('severe');
    expect(d.state.reasons).toEqual([RECOVERING_REASON]);
    vi.advanceTimersByTime(9_999);
    expect(d.state.level).toBe('severe');
    vi.advanceTimersByTime(1);
    expect(d.state.level).toBe('moderate');
    expect(d.state.since).toBe(1_010_000);
    vi.advanceTimersByTime(10_000);
    expect(d.state.level).toBe('minimal');
    vi.advanceTimersByTime(10_000);
    expect(d.state).toEqual({ level: 'none', reasons: [], since: 1_030_000, manual: false });
    // The second 'severe' is the same level with its reasons now saying it is recovering.
    expect(seen).toEqual(['none', 'severe', 'severe', 'moderate', 'minimal', 'none']);
  });

  it('stops stepping at the proposed level and takes its reasons', () => {
    const d = createDegradation({ recoverAfterMs: 1_000 });
    d.propose('critical', ['offline']);
    d.propose('moderate', ['slow network']);
    vi.advanceTimersByTime(5_000);
    expect(d.state).toMatchObject({ level: 'moderate', reasons: ['slow network'] });
  });

  it('restarts the calm when a proposal at or above the level in force arrives', () => {
    const d = createDegradation({ recoverAfterMs: 10_000 });
    d.propose('severe', ['a']);
    d.propose('none', []);
    vi.advanceTimersByTime(8_000);
    d.propose('severe', ['a again']);
    expect(d.state.reasons).toEqual(['a again']);
    d.propose('none', []);
    vi.advanceTimersByTime(8_000);
    expect(d.state.level).toBe('severe');
    vi.advanceTimersByTime(2_000);
    expect(d.state.level).toBe('moderate');
  });

  it('proposals between the target and the level in force do not restart the calm', () => {
    const d = createDegradation({ recoverAfterMs: 10_000 });
    d.propose('critical', ['x']);
    d.propose('none', []);
    vi.advanceTimersByTime(6_000);
    d.propose('minimal', ['y']);
    vi.advanceTimersByTime(4_000);
    expect(d.state.level).toBe('severe');
  });

  it('computes due step-downs from timestamps when timers never fire (throttled tab)', () => {
    const clock = frozenTimerClock(0);
    const d = createDegradation({ clock, recoverAfterMs: 10_000 });
    d.propose('critical', ['offline']);
    d.propose('none', []);
    expect(clock.pending).toBeGreaterThan(0);
    clock.set(25_000);
    // Two steps were due (at 10 s and 20 s); the third is not yet.
    expect(d.state).toMatchObject({ level: 'moderate', since: 20_000 });
    clock.set(1_000_000);
    expect(d.state).toEqual({ level: 'none', reasons: [], since: 40_000, manual: false });
  });

  it('a late subscriber never sees a level whose step-down fell due while timers slept', () => {
    const clock = frozenTimerClock(0);
    const d = createDegradation({ clock, recoverAfterMs: 1_000 });
    d.propose('severe', ['x']);
    d.propose('none', []);
    clock.set(60_000);
    const seen: DegradationState[] = [];
    d.state$.subscribe((s) => seen.push(s));
    expect(seen.map((s) => s.level)).toEqual(['none']);
  });

  it('gates features: off at their level and above', () => {
    const d = createDegradation({
      features: { search: 'moderate', upload: 'minimal', checkout: 'critical' },
    });
    expect(d.isAvailable('search')).toBe(true);
    expect(d.isAvailable('unknown-feature')).toBe(true);
    d.propose('minimal', ['slow']);
    expect([d.isAvailable('upload'), d.isAvailable('search'), d.isAvailable('checkout')]).toEqual([
      false,
      true,
      true,
    ]);
    d.propose('moderate', ['errors']);
    expect([d.isAvailable('upload'), d.isAvailable('search'), d.isAvailable('checkout')]).toEqual([
      false,
      false,
      true,
    ]);
    d.propose('critical', ['offline']);
    expect(d.isAvailable('checkout')).toBe(false);
  });

  it('feature gates follow the step-down as it falls due', () => {
    const clock = frozenTimerClock(0);
    const d = createDegradation({ clock, recoverAfterMs: 5_000, features: { search: 'moderate' } });
    d.propose('moderate', ['errors']);
    d.propose('none', []);
    expect(d.isAvailable('search')).toBe(false);
    clock.set(5_000);
    expect(d.isAvailable('search')).toBe(true);
  });

  it('a manual override wins over proposals until cleared', () => {
    const d = createDegradation({ recoverAfterMs: 1_000 });
    d.override('severe', 'maintenance window');
    expect(d.state).toEqual({
      level: 'severe',
      reasons: ['maintenance window'],
      since: 1_000_000,
      manual: true,
    });
    d.propose('critical', ['offline']);
    expect(d.state.level).toBe('severe');
    d.propose('none', []);
    vi.advanceTimersByTime(10_000);
    expect(d.state).toMatchObject({ level: 'severe', manual: true });
    // The computed level kept running underneath: it has recovered to none.
    d.override(null);
    expect(d.state).toMatchObject({ level: 'none', reasons: [], manual: false, since: 1_010_000 });
  });

  it('a manual override may also lower the level, with a default reason', () => {
    const d = createDegradation();
    d.propose('critical', ['offline']);
    d.override('none');
    expect(d.state).toMatchObject({ level: 'none', reasons: ['set manually'], manual: true });
    expect(d.isAvailable('anything')).toBe(true);
  });

  it('emits only on change', () => {
    const d = createDegradation();
    const seen: DegradationState[] = [];
    d.state$.subscribe((s) => seen.push(s));
    d.propose('none', []);
    d.propose('minimal', ['a']);
    d.propose('minimal', ['a']);
    d.propose('minimal', ['b']);
    expect(seen.map((s) => [s.level, s.reasons.join()])).toEqual([
      ['none', ''],
      ['minimal', 'a'],
      ['minimal', 'b'],
    ]);
  });

  it('does not share the caller reasons array', () => {
    const d = createDegradation();
    const reasons = ['a'];
    d.propose('minimal', reasons);
    reasons.push('mutated');
    expect(d.state.reasons).toEqual(['a']);
  });

  it('starts no timer while nothing is stepping down, and dispose clears the pending one', () => {
    const d = createDegradation();
    d.propose('moderate', ['x']);
    expect(vi.getTimerCount()).toBe(0);
    d.propose('none', []);
    expect(vi.getTimerCount()).toBe(1);
    let completed = false;
    d.state$.subscribe({ complete: () => (completed = true) });
    d.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(completed).toBe(true);
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => createDegradation({ recoverAfterMs: -1 })).toThrow(/recoverAfterMs/);
    expect(() => createDegradation({ recoverAfterMs: -1 })).toThrow(TypeError);
    expect(() => createDegradation({ features: { search: 'extreme' as never } })).toThrow(/features\.search/);
    expect(() => createDegradation({ clock: {} as never })).toThrow(/clock/);
    expect(() => createDegradation({ recoverAfterMs: Number.NaN })).toThrow(/recoverAfterMs/);
  });

  it('rejects bad propose and override arguments', () => {
    const d = createDegradation();
    expect(() => d.propose('bad' as never, [])).toThrow(TypeError);
    expect(() => d.propose('minimal', 'x' as never)).toThrow(/reasons/);
    expect(() => d.override('bad' as never)).toThrow(TypeError);
  });
});
