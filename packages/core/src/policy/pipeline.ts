import { Emitter, observable, type Observable, type Subscription } from '../observable.js';
import { asPolicy, chainOf, runNext, type Link } from './base.js';
import type { Policy, PolicyEvent } from './types.js';
import { DEV } from '../dev.js';

/** Runs a policy that is not one of ours as a chain link, through its public `execute`. */
const foreignLink =
  (policy: Policy): Link =>
  (fn, signal, attempt, chain, index, call) =>
    // A foreign policy that is not a retry knows nothing of the attempt number: keep ours
    // unless it counts attempts itself.
    policy.execute(
      (ctx) =>
        runNext(
          fn,
          ctx.signal,
          typeof ctx.attempt === 'number' && ctx.attempt > 1 ? ctx.attempt : attempt,
          chain,
          index + 1,
          call,
        ),
      { signal },
    );

const notOutcome = (e: PolicyEvent) => e.type !== 'success' && e.type !== 'failure';

/**
 * Composes policies into one: the first is the outermost. `pipeline(retry(), circuitBreaker(…),
 * timeout(5_000))` retries calls that the breaker admits, each bounded by the timeout.
 */
export function pipeline(...policies: Policy[]): Policy {
  // A misuse the type checker already rejects: production builds leave it to the first call.
  if (DEV) {
    for (const [i, p] of policies.entries()) {
      if (typeof (p as Partial<Policy> | undefined)?.execute !== 'function') {
        throw new TypeError(`pipeline(): argument ${i} must be a Policy (an object with execute())`);
      }
    }
  }
  // Nested pipelines flatten into one chain: one level of dispatch per policy, no more.
  const flat: Policy[] = [];
  const chain: Link[] = [];
  for (const p of policies) {
    const own = chainOf.get(p);
    flat.push(...((own && (p as { policies?: Policy[] }).policies) || [p]));
    chain.push(...(own ?? [foreignLink(p)]));
  }
  const events = new Emitter<PolicyEvent>();
  // The policies' own events, plus this pipeline's 'success'/'failure' (each policy's
  // outcome events belong to its own direct executions).
  const events$: Observable<PolicyEvent> = observable((subscriber) => {
    const subscriptions: Subscription[] = [events.observable.subscribe(subscriber)];
    for (const p of flat) {
      subscriptions.push(
        p.events$.subscribe((e) => {
          if (notOutcome(e)) subscriber.next(e);
        }),
      );
    }
    return () => {
      for (const s of subscriptions) s.unsubscribe();
    };
  });
  return asPolicy({ policies: flat, events$ }, chain, events);
}
