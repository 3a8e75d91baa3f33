// sendTelemetry: a beacon when it can, a keepalive POST when not, and never a throw.
import { describe, expect, it, vi } from 'vitest';
import { circuitBreaker } from '../policy/breaker/circuit-breaker.js';
import { KEEPALIVE_BYTES, sendTelemetry } from './send-telemetry.js';
import { consecutiveFailures } from '../policy/breaker/windows.js';

const okFetch = () => vi.fn((_url: string, _init: RequestInit) => Promise.resolve({ ok: true, status: 204 }));
const beacon = (accepts = true) => ({
  sendBeacon: vi.fn((_url: string, _data?: BodyInit | null) => accepts),
});

describe('sendTelemetry', () => {
  it('uses sendBeacon when there is one, with the data as JSON text', async () => {
    const navigator = beacon();
    const fetch = okFetch();
    expect(await sendTelemetry('/collect', { event: 'open' }, { navigator, fetch })).toBe(true);
    expect(navigator.sendBeacon).toHaveBeenCalledWith('/collect', '{"event":"open"}');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('falls back to a keepalive POST when the beacon is refused or missing', async () => {
    for (const navigator of [beacon(false), {}]) {
      const fetch = okFetch();
      expect(await sendTelemetry('/collect', 'line', { navigator, fetch })).toBe(true);
      expect(fetch).toHaveBeenCalledWith('/collect', { method: 'POST', body: 'line', keepalive: true });
    }
  });

  it('sends a body over the 64 KiB allowance by plain fetch, which outlives no unload', async () => {
    const navigator = beacon();
    const fetch = okFetch();
    const big = 'x'.repeat(KEEPALIVE_BYTES + 1);
    expect(await sendTelemetry('/collect', big, { navigator, fetch })).toBe(true);
    expect(navigator.sendBeacon).not.toHaveBeenCalled();
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ keepalive: false });
    // Counted in bytes, not characters.
    await sendTelemetry('/collect', 'é'.repeat(KEEPALIVE_BYTES / 2 + 1), { navigator, fetch });
    expect(navigator.sendBeacon).not.toHaveBeenCalled();
  });

  it('sends binary and form bodies as they are', async () => {
    const navigator = beacon();
    const bytes = new Uint8Array([1, 2, 3]);
    const form = new FormData();
    form.set('a', '1');
    const params = new URLSearchParams({ a: '1' });
    for (const data of [bytes, form, new Blob(['b'])]) {
      await sendTelemetry('/collect', data, { navigator });
      expect(navigator.sendBeacon).toHaveBeenLastCalledWith('/collect', data);
    }
    await sendTelemetry('/collect', params, { navigator });
    expect(navigator.sendBeacon).toHaveBeenLastCalledWith('/collect', 'a=1');
  });

  it('never throws: a failed, refused or unserialisable send resolves to false', async () => {
    const navigator = {};
    const down = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(await sendTelemetry('/collect', 1, { navigator, fetch: down })).toBe(false);
    const refusing = vi.fn(() => Promise.resolve({ ok: false, status: 500 }));
    expect(await sendTelemetry('/collect', 1, { navigator, fetch: refusing })).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await sendTelemetry('/collect', cyclic, { navigator, fetch: okFetch() })).toBe(false);
  });

  it('falls back to fetch when sendBeacon throws', async () => {
    const throwing = {
      sendBeacon: () => {
        throw new TypeError('Illegal invocation');
      },
    };
    const fetch = okFetch();
    expect(await sendTelemetry('/collect', 1, { navigator: throwing, fetch })).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('through a policy: a failing collector opens its breaker, and nothing is sent while open', async () => {
    const policy = circuitBreaker({ name: 'telemetry', window: consecutiveFailures(2) });
    const navigator = {};
    const fetch = vi.fn(() => Promise.resolve({ ok: false, status: 503 }));
    await sendTelemetry('/collect', 1, { navigator, fetch, policy });
    await sendTelemetry('/collect', 1, { navigator, fetch, policy });
    expect(policy.state).toBe('open');
    expect(await sendTelemetry('/collect', 1, { navigator, fetch, policy })).toBe(false);
    expect(fetch).toHaveBeenCalledTimes(2);
    // The fetch gets the policy's signal, so a timeout can end it.
    expect((fetch.mock.calls[0] as unknown[])[1]).toMatchObject({ signal: expect.any(AbortSignal) });
  });
});
