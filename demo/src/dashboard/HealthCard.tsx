import type { ProtectionStatus } from '@bulletproof/core';

const LEVELS: Record<ProtectionStatus['degradation']['level'], string> = {
  none: 'Everything on',
  minimal: 'Minimal — live search paused',
  moderate: 'Moderate — photo uploads paused',
  severe: 'Severe — working from this device',
  critical: 'Critical — essentials only',
};

/**
 * The health score (docs/degradation.md, "Health") and the degradation level it goes with, with the
 * reasons behind the level: diagnostics for the developer, kept here rather than in the
 * page's notices, which speak to the user.
 */
export function HealthCard({ status }: { status: ProtectionStatus }) {
  const { health, degradation } = status;
  return (
    <div className="card health" data-testid="health">
      <h3>Health</h3>
      <p className="health-score">
        <span data-testid="health-score">{health}</span>
        <span className="hint"> / 100</span>
      </p>
      <meter min={0} max={100} low={50} high={80} optimum={100} value={health} aria-label="Health score" />
      <p>
        Degradation:{' '}
        <strong data-testid="degradation-level" data-level={degradation.level}>
          {degradation.level}
        </strong>
        <br />
        <span className="hint">{LEVELS[degradation.level]}</span>
      </p>
      {degradation.reasons.length > 0 && (
        <ul className="compact reasons" aria-label="Why">
          {degradation.reasons.map((reason, i) => (
            <li key={`${String(i)}:${reason}`}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
