import { afterEach, describe, expect, it } from 'vitest';
import type { Failure } from '../failure/types.js';
import { createConnectivityMonitor, HEDGE_AFTER_MS, PROBE_GUARD_MS } from './create-connectivity-monitor.js';
import type { ConnectivityMonitor, ConnectivitySnapshot, ConnectivityWindow } from './types.js';
import { FakeConnection, FakeWindow } from '../test-support/fake-window.js';
import { manualClock } from '../test-support/manual-clock.js';
import { settleImmediates } from '../test-support/settle.js';

/** Lets promise chains (fetch → probe → state) run to completion. */
const settle = () => settleImmediates(10);

/** A manual clock whose `advance` lets those chains settle before each timer fires, and after. */
function settlingClock(start = 0) {
  const clock = manualClock(start);
  return { ...clock, advance: (ms: number) => clock.advanceAsync(ms, settle) };
}

type Answer = { status: number; body?: string; type?: ResponseType } | 'network-error' | 'hang';

/** A fetch that answers from a script and honours abort signals like the real one. */
function scriptedFetch(script: () => Answer) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fn = ((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: input instanceof Request ? input.url : input.toString(), init });
    const answer = script();
    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal;
      const abort = () => {
        reject(new DOMException('aborted', 'AbortError'));
      };
      if (signal?.aborted) {
        abort();
        return;
      }
      signal?.addEventListener('abort', abort);
      if (answer === 'hang') return;
      if (answer === 'network-error') {
        reject(new TypeError('Failed to fetch'));
        return;
      }
      const res = new Response(answer.status === 204 || answer.type ? null : (answer.body ?? ''), {
        status: answer.type ? 200 : answer.status,
      });
      if (answer.type) {
        // Responses a page can see but not construct, such as a manual redirect's `opaqueredirect`.
        Object.defineProperty(res, 'type', { value: answer.type });
        Object.defineProperty(res, 'status', { value: answer.status });
      }
      resolve(res);
    });
  }) as typeof fetch;
  return { fn, calls };
}

const networkFailure: Failure = {
  category: 'network',
  retryable: true,
  impact: 'high',
  message: 'Failed to fetch',
  cause: null,
};

let monitor: ConnectivityMonitor | undefined;
afterEach(() => monitor?.dispose());

function setup(
  opts: { initial?: Answer; probe?: boolean; online?: boolean; failuresToUnreachable?: number } = {},
) {
  const clock = settlingClock(1_000);
  const win = new FakeWindow();
  win.navigator.onLine = opts.online ?? true;
  let answer: Answer = opts.initial ?? { status: 204 };
  const fetch = scriptedFetch(() => answer);
  monitor = createConnectivityMonitor({
    clock,
    window: win as unknown as ConnectivityWindow,
    fetch: fetch.fn,
    ...(opts.probe === false ? {} : { probe: { url: '/api/health' } }),
    ...(opts.failuresToUnreachable ? { failuresToUnreachable: opts.failuresToUnreachable } : {}),
  });
  const seen: ConnectivitySnapshot[] = [];
  monitor.state$.subscribe((s) => seen.push(s));
  return {
    clock,
    win,
    fetch,
    monitor,
    seen,
    setAnswer(a: Answer) {
      answer = a;
    },
  };
}

describe('createConnectivityMonitor', () => {
  it('confirms online with a first probe: no-store, no redirects, same-origin', async () => {
    const { clock, fetch, monitor } = setup();
    expect(monitor.snapshot.status).toBe('unknown');
    await clock.advance(0);
    expect(monitor.snapshot).toMatchObject({ status: 'online', quality: 'good', lastCheckedAt: 1_000 });
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.url).toBe('/api/health');
    expect(fetch.calls[0]?.init).toMatchObject({
      cache: 'no-store',
      redirect: 'manual',
      credentials: 'same-origin',
    });
  });

  it('reports offline at once on the offline event, without waiting for anything', async () => {
    const { clock, win, monitor, seen } = setup();
    await clock.advance(0);
    win.goOffline();
    expect(monitor.snapshot).toMatchObject({ status: 'offline', since: 1_000 });
    expect(seen.at(-1)?.status).toBe('offline');
  });

  it('an online event is confirmed by a probe before online is reported', async () => {
    // While the device is offline, probes fail like every other request.
    const { clock, win, monitor, fetch, setAnswer } = setup({ online: false, initial: 'network-error' });
    await clock.advance(0);
    expect(monitor.snapshot.status).toBe('offline');
    setAnswer('hang');
    const callsBefore = fetch.calls.length;
    win.goOnline();
    expect(monitor.snapshot.status).toBe('unknown');
    await clock.advance(0);
    expect(fetch.calls.length).toBe(callsBefore + 1);
    expect(monitor.snapshot.status).toBe('unknown');
    // The hanging probe times out at 5 s, its hedge (started at 0.5 s) at 5.5 s: both count.
    await clock.advance(5_500);
    expect(monitor.snapshot.status).toBe('unreachable');
    setAnswer({ status: 204 });
    await clock.advance(5_000);
    expect(monitor.snapshot.status).toBe('online');
  });

  it('probes$ reports every probe that answered or failed, as evidence about the backend', async () => {
    const { clock, monitor, setAnswer } = setup();
    const results: Array<{ ok: boolean; latencyMs: number; at: number }> = [];
    monitor.probes$?.subscribe((r) => results.push(r));
    await clock.advance(0);
    expect(results).toEqual([{ ok: true, latencyMs: 0, at: 1_000 }]);
    setAnswer('network-error');
    await clock.advance(30_000);
    const refused = results.slice(1);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toEqual({ ok: false, latencyMs: 0, at: 31_000 });
    setAnswer('hang');
    results.length = 0;
    await clock.advance(10_000);
    // A probe that hangs is reported when it times out, with the timeout as its latency.
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r).toMatchObject({ ok: false, latencyMs: 5_000 });
  });

  it('without a probe, trusts the online event', () => {
    const { win, monitor } = setup({ probe: false, online: false });
    win.goOnline();
    expect(monitor.snapshot.status).toBe('online');
  });

  it('probes every intervalMs while online and every offlineIntervalMs while not', async () => {
    const { clock, win, fetch, setAnswer } = setup();
    await clock.advance(0);
    expect(fetch.calls).toHaveLength(1);
    await clock.advance(29_999);
    expect(fetch.calls).toHaveLength(1);
    await clock.advance(1);
    expect(fetch.calls).toHaveLength(2);
    setAnswer('network-error');
    win.goOffline();
    await clock.advance(5_000);
    expect(fetch.calls).toHaveLength(3);
    await clock.advance(5_000);
    expect(fetch.calls).toHaveLength(4);
    expect(win.navigator.onLine).toBe(false);
  });

  it('pauses probing while hidden and probes on return when one is due', async () => {
    const { clock, win, fetch } = setup();
    await clock.advance(0);
    win.document.setVisibility('hidden');
    expect(clock.pending()).toBe(0);
    await clock.advance(120_000);
    expect(fetch.calls).toHaveLength(1);
    win.document.setVisibility('visible');
    await clock.advance(0);
    expect(fetch.calls).toHaveLength(2);
  });

  it('on return from hidden before a probe is due, waits for the rest of the interval', async () => {
    const { clock, win, fetch } = setup();
    await clock.advance(0);
    win.document.setVisibility('hidden');
    await clock.advance(10_000);
    win.document.setVisibility('visible');
    await clock.advance(19_999);
    expect(fetch.calls).toHaveLength(1);
    await clock.advance(1);
    expect(fetch.calls).toHaveLength(2);
  });

  it('does not probe at start while hidden', async () => {
    const clock = settlingClock();
    const win = new FakeWindow();
    win.document.visibilityState = 'hidden';
    const fetch = scriptedFetch(() => ({ status: 204 }));
    monitor = createConnectivityMonitor({
      clock,
      window: win as unknown as ConnectivityWindow,
      fetch: fetch.fn,
      probe: { url: '/h' },
    });
    await clock.advance(60_000);
    expect(fetch.calls).toHaveLength(0);
  });

  it('lie-fi: a hanging backend is unreachable one timeout plus the 0.5 s hedge delay after the probe starts', async () => {
    const { clock, monitor, fetch, setAnswer } = setup();
    await clock.advance(0);
    setAnswer('hang');
    const started = clock.now();
    const result = monitor.check();
    await clock.advance(499);
    expect(fetch.calls).toHaveLength(2); // the first probe at start, and this one
    await clock.advance(1);
    expect(fetch.calls).toHaveLength(3); // the hedge joined at 0.5 s
    await clock.advance(4_500);
    expect(monitor.snapshot.status).toBe('online'); // one failure so far
    await clock.advance(500);
    const snapshot = await result;
    expect(snapshot).toMatchObject({ status: 'unreachable', since: started + 5_500 });
  });

  it('fast failures (connection refused or 503) are confirmed at once, not an interval later', async () => {
    const { clock, monitor, setAnswer, fetch } = setup();
    await clock.advance(0);
    setAnswer('network-error');
    await monitor.check();
    await clock.advance(0);
    expect(monitor.snapshot.status).toBe('unreachable');
    expect(fetch.calls).toHaveLength(3);

    setAnswer({ status: 204 });
    await clock.advance(5_000);
    expect(monitor.snapshot.status).toBe('online');
    setAnswer({ status: 503 });
    await monitor.check();
    await clock.advance(0);
    expect(monitor.snapshot.status).toBe('unreachable');
  });

  it('a captive portal (an answer expect rejects, or a redirect) is unreachable at once', async () => {
    let answer: Answer = { status: 200, body: '<html>Sign in to the Wi-Fi</html>' };
    const clock = settlingClock();
    const fetch = scriptedFetch(() => answer);
    monitor = createConnectivityMonitor({
      clock,
      window: new FakeWindow() as unknown as ConnectivityWindow,
      fetch: fetch.fn,
      probe: { url: '/generate_204', expect: (res) => res.status === 204 },
    });
    await clock.advance(0);
    expect(monitor.snapshot.status).toBe('unreachable');
    expect(fetch.calls).toHaveLength(1);
    answer = { status: 204 };
    await monitor.check();
    expect(monitor.snapshot.status).toBe('online');
    answer = { status: 0, type: 'opaqueredirect' };
    await monitor.check();
    expect(monitor.snapshot.status).toBe('unreachable');
  });

  it('an expect that throws (HTML where JSON was expected) counts as a portal', async () => {
    const clock = settlingClock();
    const fetch = scriptedFetch(() => ({ status: 200, body: '<html>login</html>' }));
    monitor = createConnectivityMonitor({
      clock,
      window: new FakeWindow() as unknown as ConnectivityWindow,
      fetch: fetch.fn,
      probe: { url: '/h', expect: (res) => res.json().then((body: { ok: boolean }) => body.ok) },
    });
    await clock.advance(0);
    expect(monitor.snapshot.status).toBe('unreachable');
  });

  it('reported network failures make it unreachable; 5xx and aborts do not count; a success resets', () => {
    const { monitor } = setup({ probe: false });
    monitor.report({ ok: false, latencyMs: 10, failure: networkFailure });
    monitor.report({
      ok: false,
      latencyMs: 10,
      failure: { ...networkFailure, category: 'server', status: 503 },
    });
    monitor.report({ ok: false, latencyMs: 10, failure: { ...networkFailure, category: 'aborted' } });
    expect(monitor.snapshot.status).toBe('online');
    monitor.report({ ok: false, latencyMs: 5_000, failure: { ...networkFailure, category: 'timeout' } });
    expect(monitor.snapshot.status).toBe('unreachable');
    monitor.report({ ok: true, latencyMs: 80 });
    expect(monitor.snapshot).toMatchObject({ status: 'online', rttMs: 80 });
  });

  it('a reported 5xx does not count, but asks the probe to look at the service; a 429 or 4xx does not', async () => {
    const { clock, monitor, fetch, setAnswer } = setup();
    await clock.advance(PROBE_GUARD_MS);
    const answered = (category: Failure['category'], status: number) =>
      monitor.report({ ok: false, latencyMs: 10, failure: { ...networkFailure, category, status } });
    answered('rate-limited', 429);
    answered('client', 404);
    expect(fetch.calls).toHaveLength(1);
    setAnswer({ status: 503 });
    answered('server', 503);
    expect(fetch.calls).toHaveLength(2);
    await clock.advance(0);
    // The whole service answers 503: an outage, seen now rather than at the next interval.
    expect(monitor.snapshot).toMatchObject({ status: 'unreachable', cause: 'server' });
  });

  it('a reported failure asks the probe at once', async () => {
    const { clock, monitor, fetch } = setup();
    await clock.advance(PROBE_GUARD_MS);
    monitor.report({ ok: false, latencyMs: 10, failure: networkFailure });
    expect(fetch.calls).toHaveLength(2);
  });

  describe('a hang is noticed within the probe timeout + 1 s of the first timed-out call', () => {
    const timedOut: Failure = { ...networkFailure, category: 'timeout' };
    const BOUND = 5_000 + 1_000; // the default probe timeout, plus the guard

    it('reported long after the last probe: probes at once (hedged) and is unreachable a timeout later', async () => {
      const { clock, monitor, fetch, setAnswer } = setup();
      await clock.advance(10_000);
      expect(monitor.snapshot.status).toBe('online');
      setAnswer('hang');
      const reportedAt = clock.now();
      monitor.report({ ok: false, latencyMs: 10_000, failure: timedOut });
      expect(fetch.calls).toHaveLength(2);
      await clock.advance(4_999);
      expect(monitor.snapshot.status).toBe('online');
      await clock.advance(1);
      expect(monitor.snapshot).toMatchObject({ status: 'unreachable', since: reportedAt + 5_000 });
      expect(monitor.snapshot.since - reportedAt).toBeLessThanOrEqual(BOUND);
    });

    it('reported just after a probe: probes when the guard ends, still within the bound', async () => {
      const { clock, monitor, fetch, setAnswer } = setup();
      await clock.advance(0);
      setAnswer('hang');
      const reportedAt = clock.now();
      monitor.report({ ok: false, latencyMs: 10_000, failure: timedOut });
      expect(fetch.calls).toHaveLength(1);
      await clock.advance(PROBE_GUARD_MS - 1);
      expect(fetch.calls).toHaveLength(1);
      await clock.advance(1);
      expect(fetch.calls).toHaveLength(2);
      await clock.advance(5_000);
      expect(monitor.snapshot.status).toBe('unreachable');
      expect(monitor.snapshot.since - reportedAt).toBeLessThanOrEqual(BOUND);
    });

    it('with more failures needed, the hedge keeps it within the bound', async () => {
      const { clock, monitor, fetch, setAnswer } = setup({ failuresToUnreachable: 3 });
      await clock.advance(10_000);
      setAnswer('hang');
      const reportedAt = clock.now();
      monitor.report({ ok: false, latencyMs: 10_000, failure: timedOut });
      await clock.advance(HEDGE_AFTER_MS);
      expect(fetch.calls).toHaveLength(3);
      await clock.advance(5_000);
      expect(monitor.snapshot.status).toBe('unreachable');
      expect(monitor.snapshot.since - reportedAt).toBeLessThanOrEqual(BOUND);
    });

    it('many failing calls cost at most one probe a second', async () => {
      const { clock, monitor, fetch } = setup();
      await clock.advance(10_000);
      // The probe answers: whatever fails the calls, the path is fine.
      for (let t = 0; t < 3_000; t += 100) {
        monitor.report({ ok: false, latencyMs: 50, failure: networkFailure });
        await clock.advance(100);
      }
      // Thirty failed calls over 3 s: probes at 0, 1, 2 and 3 s, no more.
      expect(fetch.calls.length - 1).toBe(4);
      expect(monitor.snapshot.status).toBe('online');
    });

    it('probeSoon() asks for the same probe; nothing while unreachable or without a probe', async () => {
      const { clock, monitor, fetch, setAnswer } = setup();
      await clock.advance(10_000);
      setAnswer('network-error');
      monitor.probeSoon();
      expect(fetch.calls).toHaveLength(2);
      await clock.advance(0);
      expect(monitor.snapshot.status).toBe('unreachable');
      const before = fetch.calls.length;
      await clock.advance(2_000);
      monitor.probeSoon();
      expect(fetch.calls).toHaveLength(before);
      monitor.dispose();
      const bare = setup({ probe: false });
      bare.monitor.probeSoon();
      expect(bare.fetch.calls).toHaveLength(0);
    });
  });

  it('check() joins a probe already under way', async () => {
    const { clock, monitor, fetch } = setup();
    const a = monitor.check();
    const b = monitor.check();
    await clock.advance(0);
    expect(await a).toBe(await b);
    expect(fetch.calls).toHaveLength(1);
  });

  it('reads the Network Information API and follows its changes', () => {
    const clock = settlingClock();
    const win = new FakeWindow();
    const connection = new FakeConnection();
    win.navigator.connection = connection;
    monitor = createConnectivityMonitor({ clock, window: win as unknown as ConnectivityWindow });
    expect(monitor.snapshot).toMatchObject({
      effectiveType: '4g',
      saveData: false,
      rttMs: 50,
      quality: 'good',
    });
    connection.effectiveType = '2g';
    connection.saveData = true;
    connection.rtt = 2_000;
    connection.dispatchEvent(new Event('change'));
    expect(monitor.snapshot).toMatchObject({
      effectiveType: '2g',
      saveData: true,
      rttMs: 2_000,
      quality: 'slow',
    });
  });

  it('without a window, starts unknown; check() without a probe returns the snapshot', async () => {
    monitor = createConnectivityMonitor({ clock: settlingClock() });
    expect(monitor.snapshot.status).toBe('unknown');
    expect(await monitor.check()).toBe(monitor.snapshot);
  });

  it('dispose removes every listener, aborts the probe in flight, and completes state$', async () => {
    const { clock, win, monitor, fetch, setAnswer } = setup();
    await clock.advance(0);
    setAnswer('hang');
    const pending = monitor.check();
    let completed = false;
    monitor.state$.subscribe({ complete: () => (completed = true) });
    const before = monitor.snapshot;
    monitor.dispose();
    expect(win.listeners).toBe(0);
    expect(fetch.calls.at(-1)?.init?.signal?.aborted).toBe(true);
    expect(completed).toBe(true);
    await clock.advance(10_000);
    expect(await pending).toEqual(before);
    expect(clock.pending()).toBe(0);
    win.goOffline();
    expect(monitor.snapshot.status).toBe('online');
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => createConnectivityMonitor({ slowRttMs: -1 })).toThrow(/slowRttMs/);
    expect(() => createConnectivityMonitor({ failuresToUnreachable: 0 })).toThrow(/failuresToUnreachable/);
    expect(() => createConnectivityMonitor({ probe: { url: '' } })).toThrow(/probe/);
    expect(() => createConnectivityMonitor({ probe: { url: '/h', timeoutMs: 0 } })).toThrow(TypeError);
    expect(() => createConnectivityMonitor({ window: {} as never })).toThrow(/window/);
    expect(() => createConnectivityMonitor({ probe: { url: '/h', expect: 'yes' as never } })).toThrow(
      /expect/,
    );
  });

  it('rejects a bad report', () => {
    const { monitor } = setup({ probe: false });
    expect(() => monitor.report({ ok: 'yes' as never, latencyMs: 1 })).toThrow(TypeError);
    expect(() => monitor.report({ ok: true, latencyMs: Number.NaN })).toThrow(/latencyMs/);
  });
});
