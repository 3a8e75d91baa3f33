import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify.js';
import { CircuitOpenError, HttpError, TimeoutError } from './errors.js';

const http = (status: number, headers?: HeadersInit) => new HttpError(status, headers ? { headers } : {});

describe('classifyFailure', () => {
  it('fetch TypeError → network, or offline when the caller knows the device is offline', () => {
    for (const message of [
      'Failed to fetch',
      'NetworkError when attempting to fetch resource.',
      'Load failed',
      'fetch failed',
    ]) {
      const f = classifyFailure(new TypeError(message));
      expect(f).toMatchObject({ category: 'network', retryable: true, message });
    }
    expect(classifyFailure(new TypeError('Failed to fetch'), { online: false })).toMatchObject({
      category: 'offline',
      retryable: true,
    });
    expect(classifyFailure(new TypeError('Failed to fetch'), { online: true }).category).toBe('network');
  });

  it('a TypeError that is a programming bug is not a network failure (retrying a bug hides it)', () => {
    const f = classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(f).toMatchObject({ category: 'unknown', retryable: false });
  });

  it('TimeoutError (ours or the DOM one) → timeout', () => {
    expect(classifyFailure(new TimeoutError())).toMatchObject({ category: 'timeout', retryable: true });
    expect(classifyFailure(new DOMException('signal timed out', 'TimeoutError')).category).toBe('timeout');
  });

  it('AbortError or an aborted signal → aborted, not retryable', () => {
    expect(classifyFailure(new DOMException('aborted', 'AbortError'))).toMatchObject({
      category: 'aborted',
      retryable: false,
      impact: 'negligible',
    });
    const controller = new AbortController();
    controller.abort('user left');
    expect(
      classifyFailure(new Error('whatever the operation threw'), { signal: controller.signal }).category,
    ).toBe('aborted');
    const timed = new AbortController();
    timed.abort(new TimeoutError());
    expect(classifyFailure(new Error('x'), { signal: timed.signal }).category).toBe('timeout');
    // fetch implementations that reject with a plain AbortError when a deadline aborts them
    expect(
      classifyFailure(new DOMException('aborted', 'AbortError'), { signal: timed.signal }).category,
    ).toBe('timeout');
    // a response that arrived before the abort keeps its own category
    expect(classifyFailure(new HttpError(503), { signal: controller.signal }).category).toBe('server');
  });

  it('HTTP 5xx → server, except 501', () => {
    for (const status of [500, 502, 503, 504, 599]) {
      expect(classifyFailure(http(status))).toMatchObject({ category: 'server', retryable: true, status });
    }
    expect(classifyFailure(http(501))).toMatchObject({ category: 'client', retryable: false, status: 501 });
  });

  it('429 → rate-limited with Retry-After in ms', () => {
    expect(classifyFailure(http(429))).toMatchObject({
      category: 'rate-limited',
      retryable: true,
      status: 429,
    });
    expect(classifyFailure(http(429, { 'retry-after': '7' })).retryAfterMs).toBe(7_000);
  });

  it('503 with Retry-After → rate-limited; an HTTP date is read against hints.now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    const f = classifyFailure(http(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), { now });
    expect(f).toMatchObject({ category: 'rate-limited', retryAfterMs: 10_000, status: 503 });
    expect(classifyFailure(http(503, { 'retry-after': 'garbage' })).category).toBe('server');
  });

  it('409 to a keyed request, or with Retry-After, is a write still in progress: try again later', () => {
    expect(classifyFailure(http(409), { keyed: true })).toMatchObject({
      category: 'rate-limited',
      retryable: true,
    });
    expect(classifyFailure(http(409, { 'retry-after': '1' }))).toMatchObject({
      category: 'rate-limited',
      retryAfterMs: 1_000,
    });
    // Without either, a conflict is the server's refusal.
    expect(classifyFailure(http(409)).category).toBe('client');
  });

  it('401/403 → auth; other 4xx → client; 408 → timeout', () => {
    expect(classifyFailure(http(401))).toMatchObject({ category: 'auth', retryable: false });
    expect(classifyFailure(http(403)).category).toBe('auth');
    for (const status of [400, 404, 409, 410, 422]) {
      expect(classifyFailure(http(status))).toMatchObject({ category: 'client', retryable: false, status });
    }
    expect(classifyFailure(http(408))).toMatchObject({ category: 'timeout', retryable: true });
  });

  it('CircuitOpenError → circuit-open, retryable, with its wait; an infinite wait is left out', () => {
    expect(classifyFailure(new CircuitOpenError('api', 2_000))).toMatchObject({
      category: 'circuit-open',
      retryable: true,
      retryAfterMs: 2_000,
    });
    expect(classifyFailure(new CircuitOpenError('api', Infinity))).not.toHaveProperty('retryAfterMs');
  });

  it('QuotaExceededError and IndexedDB errors → storage, critical, not retryable', () => {
    expect(classifyFailure(new DOMException('full', 'QuotaExceededError'))).toMatchObject({
      category: 'storage',
      retryable: false,
      impact: 'critical',
    });
    for (const name of ['TransactionInactiveError', 'VersionError', 'ConstraintError', 'InvalidStateError']) {
      expect(classifyFailure(new DOMException('idb', name)).category).toBe('storage');
    }
  });

  it('anything else → unknown, never throws', () => {
    expect(classifyFailure(new Error('boom'))).toMatchObject({
      category: 'unknown',
      retryable: false,
      message: 'boom',
    });
    expect(classifyFailure('a string')).toMatchObject({ category: 'unknown', message: 'a string' });
    expect(classifyFailure(undefined).category).toBe('unknown');
    expect(classifyFailure(null).category).toBe('unknown');
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(classifyFailure(hostile).message).toBe('Unknown error');
  });

  it('reads status from error shapes of other HTTP clients', () => {
    expect(classifyFailure({ status: 503, message: 'x' }).category).toBe('server');
    expect(
      classifyFailure({ response: { status: 429, headers: new Headers({ 'retry-after': '2' }) } }),
    ).toMatchObject({
      category: 'rate-limited',
      retryAfterMs: 2_000,
    });
  });

  it("knows the package's errors by name, so one made by another copy of the package is classified alike", () => {
    const copyOf = (name: string, fields: object) => Object.assign(new Error('copy'), { name, ...fields });
    const controller = new AbortController();
    controller.abort('user left');
    const http = copyOf('HttpError', {
      status: 503,
      headers: new Headers({ 'retry-after': '3' }),
      detail: 'Down for maintenance',
    });
    expect(classifyFailure(http, { signal: controller.signal })).toMatchObject({
      category: 'rate-limited',
      status: 503,
      retryAfterMs: 3_000,
      detail: 'Down for maintenance',
    });
    expect(classifyFailure(copyOf('CircuitOpenError', { retryAfterMs: 500 }))).toMatchObject({
      category: 'circuit-open',
      retryAfterMs: 500,
    });
    expect(classifyFailure(copyOf('TimeoutError', {})).category).toBe('timeout');
  });

  it('keeps the original error as cause and returns an already-classified failure as is', () => {
    const error = http(500);
    const f = classifyFailure(error);
    expect(f.cause).toBe(error);
    expect(classifyFailure(f)).toBe(f);
  });

  it('gives every category an impact', () => {
    const samples: unknown[] = [
      new TypeError('Failed to fetch'),
      new TimeoutError(),
      http(500),
      http(429),
      http(401),
      http(400),
      new CircuitOpenError('x', 1),
      new DOMException('a', 'AbortError'),
      new DOMException('q', 'QuotaExceededError'),
      new Error('?'),
    ];
    for (const sample of samples) {
      expect(['critical', 'high', 'medium', 'low', 'negligible']).toContain(classifyFailure(sample).impact);
    }
  });
});
