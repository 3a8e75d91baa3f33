import type { Clock } from '../clock.js';
import { circuitBreaker, pipeline, retry, timeout } from '../policy/index.js';
import type { CircuitBreaker, Policy } from '../policy/index.js';
import { hasMethods } from '../validate.js';
import type { DependencyOptions } from './types.js';
import { countWindow } from '../policy/breaker/windows.js';

/** A dependency as the façade tracks it: its policy and, when there is one, the breaker inside. */
export interface Dependency {
  name: string;
  policy: Policy;
  breaker?: CircuitBreaker;
  critical: boolean;
  /** The `kind` of its calls that name none and queue nothing (`DependencyOptions.kind`). */
  kind: 'read' | 'write';
  /** Whether its calls tell the user nothing unless they say otherwise (`DependencyOptions.silent`). */
  silent: boolean;
  /** Breakers the façade made itself are disposed with it; a caller's are left alone. */
  owned: boolean;
}

/** Three 10 s attempts with their backoff fit; a minute's `Retry-After` does not. */
const DEFAULT_MAX_ELAPSED_MS = 30_000;

/**
 * Ten seconds per attempt, three attempts, behind a breaker on the failure rate of the last 20
 * calls. No wait that would end past 30 s from the first attempt: a server asking to come back
 * in a minute or an hour (`Retry-After`) gets the fallback or the queue at once, rather than
 * holding the user's call for two capped waits.
 */
function defaultPolicy(name: string, clock: Clock): { policy: Policy; breaker: CircuitBreaker } {
  const breaker = circuitBreaker({
    name,
    window: countWindow({ size: 20, failureRate: 0.5, minimumCalls: 5 }),
    clock,
  });
  return {
    breaker,
    policy: pipeline(
      breaker,
      retry({ maxAttempts: 3, maxElapsedMs: DEFAULT_MAX_ELAPSED_MS, clock }),
      timeout(10_000, { clock }),
    ),
  };
}

function isBreaker(value: unknown): value is CircuitBreaker {
  return (
    hasMethods(value, 'isolate', 'reset') && 'snapshot' in (value as object) && 'state$' in (value as object)
  );
}

/** The first circuit breaker in a policy, looking inside pipelines (which list their `policies`). */
export function findBreaker(policy: Policy): CircuitBreaker | undefined {
  if (isBreaker(policy)) return policy;
  const inner = (policy as { policies?: unknown }).policies;
  if (!Array.isArray(inner)) return undefined;
  for (const p of inner as Policy[]) {
    const found = findBreaker(p);
    if (found) return found;
  }
  return undefined;
}

export function createDependencies(
  options: Record<string, DependencyOptions> | undefined,
  clock: Clock,
): Map<string, Dependency> {
  const dependencies = new Map<string, Dependency>();
  // Checked already, by the option schema.
  for (const [name, o] of Object.entries<DependencyOptions>({ default: {}, ...options })) {
    const made = o.policy ? { policy: o.policy, breaker: findBreaker(o.policy) } : defaultPolicy(name, clock);
    dependencies.set(name, {
      name,
      ...made,
      critical: o.critical ?? false,
      kind: o.kind ?? 'read',
      silent: o.silent ?? false,
      owned: !o.policy,
    });
  }
  return dependencies;
}
