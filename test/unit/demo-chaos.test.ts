import { describe, expect, it } from 'vitest';
import {
  ChaosController,
  decideChaos,
  flappingPhase,
  rampLatencyMs,
  type ChaosDecision,
  type ChaosRequest,
  type ChaosRuntime,
} from '../../demo/server/chaos.js';
import type { ChaosSettings } from '../../demo/server/chaos-settings.js';
import { mulberry32 } from '../../demo/server/prng.js';
import { controlledClock } from './demo-server-support.js';

const GET: ChaosRequest = { method: 'GET', path: '/api/notes' };
const POST: ChaosRequest = { method: 'POST', path: '/api/notes' };

/** A random source that fails the test if a decision draws from it. */
const noDraws = () => {
  throw new Error('drew a random number');
};

function runtime(overrides: Partial<ChaosRuntime> = {}): ChaosRuntime {
  return { now: 0, random: noDraws, flappingSince: 0, rampSince: 0, rejectsLeft: 0, ...overrides };
}

function decide(
  settings: ChaosSettings,
  request = GET,
  overrides: Partial<ChaosRuntime> = {},
): ChaosDecision {
  return decideChaos(settings, request, runtime(overrides));
}

describe('decideChaos', () => {
  it('passes everything untouched without settings, drawing no random number', () => {
    expect(decide({})).toEqual({ action: 'pass', delayMs: 0 });
    expect(decide({}, POST)).toEqual({ action: 'pass', delayMs: 0 });
  });

  it('never touches the control endpoints, whatever the settings', () => {
    const everything: ChaosSettings = { hang: true, drop: true, errorRate: 1, latency: { fixedMs: 500 } };
    for (const path of ['/api/_chaos', '/api/_stats', '/api/_reset']) {
      expect(decide(everything, { method: 'PUT', path })).toEqual({ action: 'pass', delayMs: 0 });
    }
  });

  it('adds fixed latency plus jitter drawn from the random source', () => {
    expect(decide({ latency: { fixedMs: 100 } })).toEqual({ action: 'pass', delayMs: 100 });
    expect(decide({ latency: { fixedMs: 100, jitterMs: 50 } }, GET, { random: () => 0.5 })).toEqual({
      action: 'pass',
      delayMs: 125,
    });
    expect(decide({ latency: { jitterMs: 50 } }, GET, { random: () => 0.999 })).toEqual({
      action: 'pass',
      delayMs: 50,
    });
  });

  it('fails at the error rate with the chosen status and Retry-After', () => {
    const settings: ChaosSettings = { errorRate: 0.3, errorStatus: 429, retryAfterSeconds: 7 };
    expect(decide(settings, GET, { random: () => 0.29 })).toEqual({
      action: 'error',
      delayMs: 0,
      status: 429,
      retryAfterSeconds: 7,
      cause: 'error-rate',
    });
    expect(decide(settings, GET, { random: () => 0.3 })).toEqual({ action: 'pass', delayMs: 0 });
    expect(decide({ errorRate: 1 })).toMatchObject({ action: 'error', status: 503 });
  });

  it('hangs, drops, and loses responses of writes only', () => {
    expect(decide({ hang: true })).toEqual({ action: 'hang', cause: 'hang' });
    expect(decide({ drop: true, latency: { fixedMs: 20 } })).toEqual({
      action: 'drop',
      delayMs: 20,
      cause: 'drop',
    });
    expect(decide({ loseResponse: true }, POST)).toEqual({ action: 'lose-response', delayMs: 0 });
    expect(decide({ loseResponse: true }, GET)).toEqual({ action: 'pass', delayMs: 0 });
    expect(decide({ drop: 0.5 }, GET, { random: () => 0.49 }).action).toBe('drop');
    expect(decide({ drop: 0.5 }, GET, { random: () => 0.5 }).action).toBe('pass');
  });

  it('applies the documented precedence: hang before drop before errors before lose-response', () => {
    const all: ChaosSettings = { hang: true, drop: true, errorRate: 1, loseResponse: true };
    expect(decide(all, POST).action).toBe('hang');
    expect(decide({ ...all, hang: false }, POST).action).toBe('drop');
    expect(decide({ ...all, hang: false, drop: false }, POST).action).toBe('error');
    expect(decide({ loseResponse: true, reject: {} }, POST, { rejectsLeft: 1 }).action).toBe('reject');
  });

  it('limits chaos to the given methods and path prefixes', () => {
    const postsOnly: ChaosSettings = { errorRate: 1, methods: ['POST'] };
    expect(decide(postsOnly, GET).action).toBe('pass');
    expect(decide(postsOnly, POST).action).toBe('error');
    const notesOnly: ChaosSettings = { errorRate: 1, paths: ['/api/notes'] };
    expect(decide(notesOnly, { method: 'GET', path: '/api/health' }).action).toBe('pass');
    expect(decide(notesOnly, { method: 'GET', path: '/api/notes/42' }).action).toBe('error');
  });

  it('rejects matching writes while the budget lasts, with the chosen status and message', () => {
    const reject: ChaosSettings = {
      reject: { status: 409, match: '/api/notes/', message: 'Version conflict' },
    };
    const put: ChaosRequest = { method: 'PUT', path: '/api/notes/1' };
    expect(decide(reject, put, { rejectsLeft: 1 })).toEqual({
      action: 'reject',
      delayMs: 0,
      status: 409,
      message: 'Version conflict',
    });
    expect(decide(reject, put, { rejectsLeft: 0 }).action).toBe('pass');
    expect(decide(reject, POST, { rejectsLeft: 1 }).action).toBe('pass'); // does not match the prefix
    expect(decide(reject, { method: 'GET', path: '/api/notes/1' }, { rejectsLeft: 1 }).action).toBe('pass');
    expect(decide({ reject: {} }, POST, { rejectsLeft: Infinity })).toMatchObject({ status: 422 });
  });

  it('follows the flapping schedule: down first, then up, repeating', () => {
    const settings: ChaosSettings = { flapping: { downMs: 1_000, upMs: 3_000 } };
    const at = (now: number) => decide(settings, GET, { now, flappingSince: 10_000 }).action;
    expect([at(10_000), at(10_999), at(11_000), at(13_999), at(14_000), at(15_000)]).toEqual([
      'error',
      'error',
      'pass',
      'pass',
      'error',
      'pass',
    ]);
    expect(decide(settings, GET, { now: 0, flappingSince: 0 })).toMatchObject({
      status: 503,
      cause: 'flapping',
    });
    const dropping: ChaosSettings = { flapping: { downMs: 1, upMs: 1, mode: 'drop' } };
    expect(decide(dropping).action).toBe('drop');
    expect(decide({ flapping: { downMs: 1, upMs: 1, mode: 'hang' } }).action).toBe('hang');
    expect(decide({ flapping: { downMs: 1, upMs: 1, status: 502 } })).toMatchObject({ status: 502 });
  });

  it('raises latency along the ramp, then fails or hangs once it is over', () => {
    const ramp = { durationMs: 10_000, startLatencyMs: 100, peakLatencyMs: 1_100 };
    const at = (now: number, then?: 'error' | 'hang') =>
      decide({ ramp: { ...ramp, ...(then && { then }) }, latency: { fixedMs: 5 } }, GET, {
        now,
        rampSince: 1_000,
      });
    expect(at(1_000)).toEqual({ action: 'pass', delayMs: 105 });
    expect(at(6_000)).toEqual({ action: 'pass', delayMs: 605 });
    expect(at(10_999)).toEqual({ action: 'pass', delayMs: 1_105 });
    expect(at(11_000)).toMatchObject({ action: 'error', status: 503, cause: 'ramp' });
    expect(at(11_000, 'hang')).toEqual({ action: 'hang', cause: 'ramp' });
    expect(rampLatencyMs({ durationMs: 100, peakLatencyMs: 50 }, 50)).toBe(25);
    expect(flappingPhase({ downMs: 10, upMs: 10 }, -5)).toBe('down');
  });

  it('draws from a seeded source, so the same seed gives the same faults', () => {
    const settings: ChaosSettings = { errorRate: 0.5, drop: 0.1, latency: { jitterMs: 100 } };
    const sequence = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 50 }, () => decide(settings, GET, { random }));
    };
    expect(sequence(42)).toEqual(sequence(42));
    expect(sequence(42)).not.toEqual(sequence(43));
    const actions = new Set(sequence(42).map((decision) => decision.action));
    expect(actions).toEqual(new Set(['pass', 'error', 'drop']));
  });
});

describe('ChaosController', () => {
  it('starts schedules when set and keeps them running when other controls change', () => {
    const timers = controlledClock('manual', 0);
    const chaos = new ChaosController(timers.clock, 1);
    timers.advance(5_000);
    chaos.apply({ flapping: { downMs: 1_000, upMs: 1_000 } });
    expect(chaos.decide(GET).action).toBe('error'); // down at once, although 5 s passed since creation
    timers.advance(1_000);
    expect(chaos.decide(GET).action).toBe('pass');
    chaos.apply({ flapping: { downMs: 1_000, upMs: 1_000 }, latency: { fixedMs: 1 } });
    expect(chaos.decide(GET).action).toBe('pass'); // unchanged schedule: not restarted
    chaos.apply({ flapping: { downMs: 2_000, upMs: 1_000 } });
    expect(chaos.decide(GET).action).toBe('error'); // changed schedule: restarted, down again
    expect(chaos.status()).toEqual({ flapping: { phase: 'down', since: 6_000 }, rejectsLeft: null });
  });

  it('counts down the reject budget and re-arms it only when the reject settings change', () => {
    const chaos = new ChaosController(controlledClock('manual').clock, 1);
    chaos.apply({ reject: { count: 2 } });
    expect([chaos.decide(POST), chaos.decide(POST), chaos.decide(POST)].map((d) => d.action)).toEqual([
      'reject',
      'reject',
      'pass',
    ]);
    expect(chaos.status().rejectsLeft).toBe(0);
    chaos.apply({ reject: { count: 1 } });
    expect(chaos.decide(POST).action).toBe('reject');
    chaos.apply({ reject: {} });
    expect(chaos.status().rejectsLeft).toBe(-1);
  });

  it('restarts the random sequence on every seed, and on reset from the creation seed', () => {
    const chaos = new ChaosController(controlledClock('manual').clock, 9);
    const run = () => Array.from({ length: 30 }, () => chaos.decide(GET).action);
    chaos.apply({ errorRate: 0.5 });
    const fromCreationSeed = run();
    chaos.apply({ errorRate: 0.5, seed: 7 });
    const first = run();
    chaos.apply({ errorRate: 0.5, seed: 7 });
    expect(run()).toEqual(first);
    chaos.reset();
    expect(chaos.settings).toEqual({});
    chaos.apply({ errorRate: 0.5 });
    expect(run()).toEqual(fromCreationSeed);
  });

  it('reports the ramp progress', () => {
    const timers = controlledClock('manual', 0);
    const chaos = new ChaosController(timers.clock, 1);
    chaos.apply({ ramp: { durationMs: 1_000, peakLatencyMs: 400 } });
    timers.advance(500);
    expect(chaos.status().ramp).toEqual({ since: 0, latencyMs: 200, failing: false });
    timers.advance(500);
    expect(chaos.status().ramp).toMatchObject({ failing: true });
  });
});
