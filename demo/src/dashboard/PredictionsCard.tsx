import type { ProtectionStatus } from '@bulletproof/core';
import { useSyncExternalStore } from 'react';
import { useDemo } from '../app/demo-context.js';
import { percent, plural, seconds } from './format.js';

/**
 * Predictions in force and how well past ones held up. A prediction is confirmed when
 * failures really started within its horizon, a false alarm otherwise; failures nobody
 * predicted a second ahead are missed.
 */
export function PredictionsCard({ predictions }: { predictions: ProtectionStatus['predictions'] }) {
  const { frustration } = useDemo();
  const counts = useSyncExternalStore(frustration.subscribe, frustration.counts);
  const { active, accuracy } = predictions;
  return (
    <div className="card">
      <h3>Predictions</h3>
      {active.length === 0 ? (
        <p className="hint">No trouble predicted.</p>
      ) : (
        <ul data-testid="active-predictions">
          {active.map((p) => (
            <li key={p.id}>
              <strong>{p.key}</strong> likely to fail within {seconds(p.horizonMs)} ({percent(p.confidence)})
              {p.reasons[0] && <span className="hint"> — {p.reasons[0]}</span>}
            </li>
          ))}
        </ul>
      )}
      <dl>
        <dt>Made</dt>
        <dd data-testid="predictions-made">{accuracy.predictions}</dd>
        <dt>Confirmed</dt>
        <dd>{accuracy.confirmed}</dd>
        <dt>False alarms</dt>
        <dd>{accuracy.falseAlarms}</dd>
        <dt>Missed</dt>
        <dd>{accuracy.missed}</dd>
        <dt>Precision · recall</dt>
        <dd>
          {percent(accuracy.precision)} · {percent(accuracy.recall)}
        </dd>
        <dt>Mean warning</dt>
        <dd>{accuracy.confirmed > 0 ? `${seconds(accuracy.meanLeadTimeMs)} ahead` : '—'}</dd>
        <dt>Frustration</dt>
        <dd data-testid="frustration">
          {plural(counts.rageClicks, 'rage click', 'rage clicks')},{' '}
          {plural(counts.repeatSubmits, 'repeated submit', 'repeated submits')}
        </dd>
      </dl>
    </div>
  );
}
