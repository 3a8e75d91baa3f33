import type { DependencyStatus } from '@bulletproof/core';
import { percent, seconds } from './format.js';
import { useNow } from './useNow.js';

/** Each dependency's circuit breaker (with a countdown while open) and its predicted risk. */
export function DependenciesCard({ dependencies }: { dependencies: Record<string, DependencyStatus> }) {
  // The built-in `default` dependency is shown only once something uses it.
  const shown = Object.entries(dependencies).filter(([name, d]) => name !== 'default' || d.breaker.calls > 0);
  const anyOpen = shown.some(([, d]) => d.breaker.state === 'open');
  const now = useNow(250, anyOpen);
  return (
    <div className="card">
      <h3>Dependencies</h3>
      <ul className="dependencies">
        {shown.map(([name, d]) => {
          const { breaker, risk } = d;
          const openFor =
            breaker.state === 'open' && breaker.openUntil !== undefined ? breaker.openUntil - now : 0;
          return (
            <li
              key={name}
              data-testid={`dependency-${name}`}
              data-breaker={breaker.state}
              data-calls={breaker.calls}
            >
              <strong>{name}</strong>
              {d.critical && <span className="badge">critical</span>}
              <span className="breaker" data-state={breaker.state}>
                breaker {breaker.state}
                {openFor > 0 ? ` — next try in ${seconds(openFor)}` : ''}
              </span>
              <span className="hint">
                {breaker.failures} failed of the last {breaker.calls}
              </span>
              {risk && (
                <span className="risk" data-level={risk.level}>
                  risk {risk.level} ({percent(risk.score)}){risk.reasons[0] ? ` — ${risk.reasons[0]}` : ''}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
