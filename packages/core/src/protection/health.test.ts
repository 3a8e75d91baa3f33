import { describe, expect, it } from 'vitest';
import type { ConnectivitySnapshot } from '../connectivity/index.js';
import type { OutboxStats } from '../outbox/index.js';
import { healthScore } from './health.js';

const online: ConnectivitySnapshot = { status: 'online', quality: 'good', since: 0 };
const outbox: OutboxStats = {
  pending: 0,
  inFlight: 0,
  dead: 0,
  draining: false,
  paused: false,
  storage: 'indexeddb',
};

describe('health score', () => {
  it('is 100 when all is well', () => {
    expect(
      healthScore({ connectivity: online, dependencies: [{ critical: true, breaker: 'closed' }], outbox }),
    ).toBe(100);
  });

  it('follows connectivity', () => {
    expect(healthScore({ connectivity: { ...online, status: 'offline' }, dependencies: [] })).toBe(20);
    expect(healthScore({ connectivity: { ...online, status: 'unreachable' }, dependencies: [] })).toBe(30);
    expect(healthScore({ connectivity: { ...online, status: 'unknown' }, dependencies: [] })).toBe(90);
    expect(healthScore({ connectivity: { ...online, quality: 'slow' }, dependencies: [] })).toBe(85);
  });

  it('weighs open breakers by criticality and compounds independent troubles', () => {
    expect(healthScore({ connectivity: online, dependencies: [{ critical: true, breaker: 'open' }] })).toBe(
      50,
    );
    expect(healthScore({ connectivity: online, dependencies: [{ critical: false, breaker: 'open' }] })).toBe(
      80,
    );
    expect(
      healthScore({ connectivity: online, dependencies: [{ critical: false, breaker: 'half-open' }] }),
    ).toBe(90);
    expect(
      healthScore({
        connectivity: online,
        dependencies: [
          { critical: true, breaker: 'open' },
          { critical: false, breaker: 'open' },
        ],
      }),
    ).toBe(40);
  });

  it('lowers with predicted risk and outbox trouble', () => {
    expect(healthScore({ connectivity: online, dependencies: [{ critical: false, riskScore: 1 }] })).toBe(50);
    expect(healthScore({ connectivity: online, dependencies: [{ critical: false, riskScore: 0.2 }] })).toBe(
      90,
    );
    expect(healthScore({ connectivity: online, dependencies: [], outbox: { ...outbox, dead: 2 } })).toBe(90);
    expect(
      healthScore({ connectivity: online, dependencies: [], outbox: { ...outbox, storage: 'memory' } }),
    ).toBe(80);
    expect(healthScore({ connectivity: online, dependencies: [], outbox: { ...outbox, paused: true } })).toBe(
      90,
    );
  });

  it('stays within 0..100 for out-of-range risk', () => {
    expect(healthScore({ connectivity: online, dependencies: [{ critical: false, riskScore: 7 }] })).toBe(50);
    expect(healthScore({ connectivity: online, dependencies: [{ critical: false, riskScore: -1 }] })).toBe(
      100,
    );
  });
});
