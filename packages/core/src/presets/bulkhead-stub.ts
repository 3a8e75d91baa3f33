// Stand-in for policy/bulkhead.ts in this branch's tests until that file lands (same API); delete it then.
import { Emitter } from '../observable.js';
import type { ExecuteOptions, Operation, Policy, PolicyEvent } from '../policy/types.js';

export class BulkheadRejectedError extends Error {
  override name = 'BulkheadRejectedError';
}

export function bulkhead(o: { limit: number; queue?: number }) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const policy = {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    events$: new Emitter<PolicyEvent>().observable,
    async execute<T>(fn: Operation<T>, opts?: ExecuteOptions): Promise<T> {
      if (active < o.limit) active++;
      else if (waiting.length < (o.queue ?? 0)) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw new BulkheadRejectedError('bulkhead full');
      try {
        return await fn({
          signal: opts?.signal ?? new AbortController().signal,
          attempt: 1,
          idempotencyKey: 'k',
        });
      } finally {
        // The slot passes straight to the next in line.
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
  return policy satisfies Policy;
}
