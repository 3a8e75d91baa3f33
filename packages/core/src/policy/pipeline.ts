import { observable, type Observable, type Subscription } from '../observable.js';
import { ChainPolicy, PolicyBase, runNext, type Call, type ChainLink } from './base.js';
import type { Operation, Policy, PolicyEvent } from './types.js';
import { DEV } from '../dev.js';

/** Runs a policy that is not one of ours as a chain link, through its public `execute`. */
class ForeignLink implements ChainLink {
  readonly #policy: Policy;

  constructor(policy: Policy) {
    this.#policy = policy;
  }

  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    // A foreign policy that is not a retry knows nothing of the attempt number: keep ours
    // unless it counts attempts itself.
    return this.#policy.execute(
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
  }
}

const notOutcome = (e: PolicyEvent) => e.type !== 'success' && e.type !== 'failure';

class PipelinePolicy extends PolicyBase {
  override readonly events$: Observable<PolicyEvent>;
  readonly policies: readonly Policy[];

  constructor(policies: readonly Policy[]) {
    super(undefined);
    // Nested pipelines flatten into one chain: one level of dispatch per policy, no more.
    const flat: Policy[] = [];
    for (const p of policies) {
      if (p instanceof PipelinePolicy) flat.push(...p.policies);
      else flat.push(p);
    }
    this.policies = flat;
    this.chain = flat.map((p) => (p instanceof ChainPolicy ? p : new ForeignLink(p)));
    // The policies' own events, plus this pipeline's 'success'/'failure' (each policy's
    // outcome events belong to its own direct executions).
    this.events$ = observable<PolicyEvent>((subscriber) => {
      const subscriptions: Subscription[] = [this.events.observable.subscribe(subscriber)];
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
  }

  run<T>(
    fn: Operation<T>,
    signal: AbortSignal,
    attempt: number,
    chain: readonly ChainLink[],
    index: number,
    call: Call,
  ): Promise<T> {
    // Only reached when a pipeline is used as a link by something else: run the inner chain, then continue.
    return Promise.resolve(
      runNext(
        (ctx) => runNext(fn, ctx.signal, ctx.attempt, chain, index + 1, call),
        signal,
        attempt,
        this.chain,
        0,
        call,
      ),
    );
  }
}

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
  return new PipelinePolicy(policies);
}
