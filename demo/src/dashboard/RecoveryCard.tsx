import type { RecoveryStats } from '@bulletproof/core';
import { useProtection } from '@bulletproof/react';
import { percent, timeOfDay } from './format.js';

/** Recovery actions the app ran by itself, their success rates, and the latest runs. */
export function RecoveryCard({ stats }: { stats: RecoveryStats }) {
  const protection = useProtection();
  // History is read when the status changes, which every recovery run makes it do.
  const history = protection.recovery.history().slice(-5).reverse();
  return (
    <div className="card">
      <h3>Recovery</h3>
      <p>
        {stats.runs} runs, {stats.succeeded} recovered
      </p>
      <ul className="compact">
        {Object.entries(stats.actions).map(([name, a]) => (
          <li key={name}>
            {name}: {a.runs} runs{a.successRate === null ? '' : `, ${percent(a.successRate)} recovered`}
          </li>
        ))}
      </ul>
      {history.length > 0 && (
        <ol className="compact history" aria-label="Latest recovery runs">
          {history.map((h) => (
            <li key={`${h.action}-${h.at}`}>
              {timeOfDay(h.at)} {h.action} after {h.category}: {h.ok ? 'recovered' : 'no luck'} (
              {h.durationMs} ms)
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
