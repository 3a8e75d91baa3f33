import { describe, expect, it } from 'vitest';
import { connectivityState } from './connectivity-state.js';

const withProbe = { slowRttMs: 1_500, failuresToUnreachable: 2, hasProbe: true };
const withoutProbe = { ...withProbe, hasProbe: false };

describe('ConnectivityState', () => {
  it('starts from what the browser says, and unknown when a probe must confirm', () => {
    expect(connectivityState(withProbe, false, 0).status).toBe('offline');
    expect(connectivityState(withProbe, true, 0).status).toBe('unknown');
    expect(connectivityState(withoutProbe, true, 0).status).toBe('online');
    expect(connectivityState(withoutProbe, undefined, 0).status).toBe('unknown');
  });

  it('goes offline at once on the browser saying so, and records since', () => {
    const s = connectivityState(withoutProbe, true, 0);
    expect(s.browserWentOffline(50)).toBe(true);
    expect(s.snapshot).toMatchObject({ status: 'offline', since: 50 });
    expect(s.browserWentOffline(60)).toBe(false);
  });

  it('an online event waits for the probe when there is one', () => {
    const s = connectivityState(withProbe, false, 0);
    s.browserWentOnline(10);
    expect(s.status).toBe('unknown');
    s.success(20, 40, true);
    expect(s.snapshot).toMatchObject({
      status: 'online',
      since: 20,
      rttMs: 40,
      quality: 'good',
      lastCheckedAt: 20,
    });
  });

  it('becomes unreachable after failuresToUnreachable consecutive failures, and a success resets the count', () => {
    const s = connectivityState(withProbe, true, 0);
    s.success(1, 30, true);
    s.failure(2, false);
    expect(s.status).toBe('online');
    s.success(3, undefined, false);
    s.failure(4, true);
    expect(s.status).toBe('online');
    s.failure(5, false);
    expect(s.snapshot).toMatchObject({ status: 'unreachable', since: 5, quality: 'unknown' });
    s.success(6, 30, true);
    expect(s.status).toBe('online');
  });

  it('a captive-portal answer makes it unreachable at once', () => {
    const s = connectivityState(withProbe, true, 0);
    s.success(1, 30, true);
    s.portal(2);
    expect(s.snapshot).toMatchObject({ status: 'unreachable', lastCheckedAt: 2 });
  });

  it('while the browser says offline, a successful call does not override it, but a probe does', () => {
    const s = connectivityState(withProbe, false, 0);
    s.success(1, 20, false);
    expect(s.status).toBe('offline');
    s.failure(2, false);
    s.failure(3, false);
    expect(s.status).toBe('offline');
    s.success(4, 20, true);
    expect(s.status).toBe('online');
  });

  it('smooths RTT (RFC 6298 weight) and calls it slow above slowRttMs', () => {
    const s = connectivityState(withProbe, true, 0);
    s.success(1, 1_000, true);
    expect(s.snapshot).toMatchObject({ rttMs: 1_000, quality: 'good' });
    s.success(2, 5_000, true); // 1000 + (5000 − 1000) / 8 = 1500: not above
    expect(s.snapshot).toMatchObject({ rttMs: 1_500, quality: 'good' });
    s.success(3, 5_000, true);
    expect(s.snapshot.quality).toBe('slow');
  });

  it('uses the browser estimate until it has samples of its own; 0 means none', () => {
    const s = connectivityState(withoutProbe, true, 0);
    s.networkInformation({ effectiveType: '2g', saveData: true, rtt: 1_800 });
    expect(s.snapshot).toMatchObject({ effectiveType: '2g', saveData: true, rttMs: 1_800, quality: 'slow' });
    s.networkInformation({ effectiveType: '4g', rtt: 0 });
    expect(s.snapshot.rttMs).toBeUndefined();
    expect(s.snapshot.quality).toBe('unknown');
    s.networkInformation({ rtt: 1_800 });
    s.success(1, 100, false);
    expect(s.snapshot).toMatchObject({ rttMs: 100, quality: 'good' });
  });

  it('an online event does not clear unreachable: only a success does', () => {
    const s = connectivityState(withProbe, true, 0);
    s.portal(1);
    s.browserWentOnline(2);
    expect(s.status).toBe('unreachable');
  });
});
