import { describe, expect, it } from 'vitest';
import type { ConnectivitySnapshot } from '../connectivity/index.js';
import { proposeDegradation, type DegradationInputs } from './degradation-rules.js';

const online: ConnectivitySnapshot = { status: 'online', quality: 'good', since: 0 };

function inputs(over: Partial<DegradationInputs> = {}): DegradationInputs {
  return { connectivity: online, dependencies: [], storage: 'indexeddb', ...over };
}

describe('default degradation rules', () => {
  it('stays at none when everything is fine', () => {
    expect(proposeDegradation(inputs())).toEqual({ level: 'none', reasons: [], causes: [] });
  });

  it.each([
    ['offline', 'severe'],
    ['unreachable', 'severe'],
  ] as const)('%s → %s', (status, level) => {
    const result = proposeDegradation(inputs({ connectivity: { ...online, status } }));
    expect(result.level).toBe(level);
    expect(result.reasons).toHaveLength(1);
  });

  it('a slow connection → minimal', () => {
    expect(proposeDegradation(inputs({ connectivity: { ...online, quality: 'slow' } })).level).toBe(
      'minimal',
    );
  });

  it("a critical dependency's open breaker → moderate; another's → minimal", () => {
    const critical = proposeDegradation(
      inputs({ dependencies: [{ name: 'api', critical: true, breaker: 'open' }] }),
    );
    expect(critical.level).toBe('moderate');
    expect(critical.reasons[0]).toMatch(/api/);
    const other = proposeDegradation(
      inputs({ dependencies: [{ name: 'search', critical: false, breaker: 'open' }] }),
    );
    expect(other.level).toBe('minimal');
    const isolated = proposeDegradation(
      inputs({ dependencies: [{ name: 'api', critical: true, breaker: 'isolated' }] }),
    );
    expect(isolated.level).toBe('moderate');
    const halfOpen = proposeDegradation(
      inputs({ dependencies: [{ name: 'api', critical: true, breaker: 'half-open' }] }),
    );
    expect(halfOpen.level).toBe('none');
  });

  it('high predicted risk → minimal, critical or not, with the reasons', () => {
    const risk = { key: 'api', score: 0.9, level: 'high' as const, reasons: ['latency is 4× normal'] };
    const plain = proposeDegradation(inputs({ dependencies: [{ name: 'api', critical: false, risk }] }));
    expect(plain.level).toBe('minimal');
    expect(plain.reasons[0]).toContain('latency is 4× normal');
    expect(proposeDegradation(inputs({ dependencies: [{ name: 'api', critical: true, risk }] })).level).toBe(
      'minimal',
    );
    expect(
      proposeDegradation(
        inputs({ dependencies: [{ name: 'api', critical: true, risk: { ...risk, level: 'elevated' } }] }),
      ).level,
    ).toBe('none');
  });

  it('storage fallback raises the result one level, up to critical', () => {
    expect(proposeDegradation(inputs({ storage: 'memory' })).level).toBe('minimal');
    const offlineInMemory = proposeDegradation(
      inputs({ storage: 'memory', connectivity: { ...online, status: 'offline' } }),
    );
    expect(offlineInMemory.level).toBe('critical');
    expect(offlineInMemory.reasons).toHaveLength(2);
  });

  it('keeps the worst level when several rules apply, and every reason', () => {
    const result = proposeDegradation(
      inputs({
        connectivity: { ...online, quality: 'slow' },
        dependencies: [{ name: 'api', critical: true, breaker: 'open' }],
      }),
    );
    expect(result.level).toBe('moderate');
    expect(result.reasons).toHaveLength(2);
  });
});
