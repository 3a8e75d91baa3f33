import { clampDelay, type Clock } from '../clock.js';
import { isKeyInProgress } from '../failure/ambiguous.js';
import { classifyFailure } from '../failure/classify.js';
import type { Failure } from '../failure/types.js';
import type { Backoff, Policy } from '../policy/types.js';
import type { EntryQueue } from './queue.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_TIMEOUT_MS } from './options.js';
import { ageFrom, dueAt, toEntry, type OutboxRecord } from './schema.js';
import type { DeadReason, DrainReport, OutboxEntry, OutboxFailureSummary, OutboxHandler } from './types.js';

export interface DrainDeps {
  queue: EntryQueue;
  handler(type: string): OutboxHandler<never> | undefined;
  /** False for types this context must leave to another (the service worker delivers only `http`). */
  deliverable(type: string): boolean;
  /** Wraps each attempt; undefined: each attempt gets `DEFAULT_TIMEOUT_MS` (`withDeadline`). */
  policy: Policy | undefined;
  backoff: Backoff;
  maxAttempts: number;
  maxAgeMs: number;
  /** Cap on a server's `Retry-After`. */
  maxRetryAfterMs: number;
  concurrency: number;
  leaseMs: number;
  clock: Clock;
  /** The lock held excludes every other drainer: in-flight entries found are orphans. */
  exclusive: boolean;
  isOnline(): boolean;
  /** Called between passes; true when something changed that a new pass should see (an enqueue). */
  takeRescan(): boolean;
  on: DrainListener;
}

export interface DrainListener {
  delivered(entry: OutboxEntry): void;
  retryScheduled(entry: OutboxEntry, delayMs: number, failure: Failure): void;
  deadLettered(entry: OutboxEntry, reason: DeadReason, failure: Failure | undefined): void;
  /** An `auth` failure: the outbox must pause until `resume()`. */
  authRequired(entry: OutboxEntry, failure: Failure): void;
}

export interface DrainOutcome {
  report: DrainReport;
  /** Why the drain ended early, if it did. */
  stopped?: 'offline' | 'paused' | 'aborted';
  /** The earliest time a blocked channel becomes deliverable (backoff or lease), if any. */
  wakeAt?: number;
}

/** Enough passes for entries enqueued during a drain; a bound so a drain always ends. */
const MAX_PASSES = 64;

/**
 * One drain: deliver everything that is due, channel by channel.
 *
 * Order. Each channel is a FIFO in key (commit) order with at most one entry in flight; a
 * channel whose head is not due yet (backoff, a live lease) stops there, so nothing overtakes
 * an earlier write. A dead entry does not block its channel. Up to `concurrency` channels are
 * delivered in parallel.
 *
 * Never lost. An entry is marked in flight (with a lease) before it is sent — under the Web
 * Lock, which keeps every other drainer away, while it is sent, in the transaction that
 * deletes the entry before it — and deleted only after its handler resolved. Whatever happens
 * in between — a crash, a closed tab — leaves it stored, and it is delivered again (same
 * idempotency key) once its lease runs out, or at once by a drainer holding a Web Lock, which
 * proves that its previous holder is gone.
 */
export async function drainQueue(deps: DrainDeps, signal: AbortSignal): Promise<DrainOutcome> {
  const report: DrainReport = { delivered: 0, retried: 0, dead: 0 };
  const { queue, clock } = deps;
  // Set from inside the channel workers; read through `halted()` (a closure's writes are
  // invisible to the narrowing of the code that reads them).
  let stopped: DrainOutcome['stopped'];
  let wakeAt = Infinity;
  /** Claims lost to another context in the current pass. */
  let conflicts = 0;
  const halted = (): boolean => stopped !== undefined || signal.aborted;

  const failureSummary = (failure: Failure): OutboxFailureSummary => {
    const summary: OutboxFailureSummary = { category: failure.category, message: failure.message };
    if (failure.status !== undefined) summary.status = failure.status;
    if (failure.detail !== undefined) summary.detail = failure.detail;
    return summary;
  };

  const deadLetter = async (seq: number, reason: DeadReason, failure?: Failure, attempts?: number) => {
    const patch: { attempts?: number; lastFailure?: OutboxFailureSummary } = {};
    if (attempts !== undefined) patch.attempts = attempts;
    if (failure) patch.lastFailure = failureSummary(failure);
    const dead = await queue.deadLetter(seq, reason, patch);
    if (!dead) return;
    report.dead++;
    deps.on.deadLettered(toEntry(dead), reason, failure);
  };

  /** Runs one attempt of a claimed entry: undefined when the handler resolved, else what it threw. */
  const attemptDelivery = async (
    record: OutboxRecord,
    handler: OutboxHandler<never>,
  ): Promise<{ error: unknown } | undefined> => {
    const send = (attemptSignal: AbortSignal) =>
      handler(record.payload as never, {
        signal: attemptSignal,
        idempotencyKey: record.idempotencyKey,
        attempt: record.attempts + 1,
        entry: toEntry(record) as OutboxEntry<never>,
      });
    try {
      await (deps.policy
        ? deps.policy.execute((ctx) => send(ctx.signal), { signal })
        : withDeadline(send, signal, DEFAULT_TIMEOUT_MS, clock));
      return undefined;
    } catch (error) {
      return { error };
    }
  };

  const settleFailure = async (record: OutboxRecord, attempt: number, error: unknown): Promise<boolean> => {
    if (signal.aborted) {
      // Closed or cancelled here: the attempt says nothing about the entry.
      await queue.release(record.seq);
      stopped = 'aborted';
      return false;
    }
    const online = deps.isOnline();
    const failure = classifyFailure(error, { online, now: clock.now() });
    if (failure.category === 'offline' || !online) {
      // Every other channel would fail the same way; the attempt is not held against the entry.
      await queue.release(record.seq);
      stopped = 'offline';
      return false;
    }
    if (failure.category === 'auth') {
      await queue.release(record.seq);
      stopped = 'paused';
      deps.on.authRequired(toEntry(record), failure);
      return false;
    }
    // An abort the drain did not ask for (a handler's own controller) is worth another try,
    // and so is a key the server is still processing: an earlier attempt sent it, or the
    // caller's own attempts did before queuing the write (a key that is not the entry's id).
    if (
      !failure.retryable &&
      failure.category !== 'aborted' &&
      !isKeyInProgress(failure, attempt > 1 || record.idempotencyKey !== record.id)
    ) {
      await deadLetter(record.seq, 'rejected', failure, attempt);
      return true;
    }
    if (attempt >= deps.maxAttempts) {
      await deadLetter(record.seq, 'max-attempts', failure, attempt);
      return true;
    }
    // A server's Retry-After is capped (a hostile or broken one may ask for years), and so is
    // any delay, by what a timer can hold.
    const retryAfterMs = Math.min(failure.retryAfterMs ?? 0, deps.maxRetryAfterMs);
    const delayMs = clampDelay(Math.max(deps.backoff.delay(attempt, record.lastDelayMs), retryAfterMs));
    const now = clock.now();
    if (now + delayMs - ageFrom(record) >= deps.maxAgeMs) {
      // It would be expired by its next attempt: say so now instead of keeping the user waiting.
      await deadLetter(record.seq, 'expired', failure, attempt);
      return true;
    }
    const patch: Parameters<EntryQueue['reschedule']>[1] = {
      attempts: attempt,
      nextAttemptAt: now + delayMs,
      lastDelayMs: delayMs,
      lastFailure: failureSummary(failure),
    };
    const rescheduled = await queue.reschedule(record.seq, patch);
    if (rescheduled) {
      report.retried++;
      wakeAt = Math.min(wakeAt, rescheduled.nextAttemptAt);
      deps.on.retryScheduled(toEntry(rescheduled), delayMs, failure);
    }
    return false;
  };

  /** What to do with a channel's next record, before any write. */
  const verdict = (record: OutboxRecord, now: number): 'deliver' | 'wait' | 'expired' | 'unknown-type' => {
    if (!deps.deliverable(record.type)) return 'wait';
    if (record.state === 'in-flight' && !deps.exclusive && (record.leaseUntil ?? 0) > now) {
      wakeAt = Math.min(wakeAt, record.leaseUntil ?? now);
      return 'wait';
    }
    const due = dueAt(record, now);
    if (due > now) {
      wakeAt = Math.min(wakeAt, due);
      return 'wait';
    }
    if (now - ageFrom(record) >= deps.maxAgeMs) return 'expired';
    return deps.handler(record.type) ? 'deliver' : 'unknown-type';
  };

  const drainChannel = async (records: OutboxRecord[]): Promise<void> => {
    /** The next record, already claimed in the transaction that completed the previous one. */
    let claimed: OutboxRecord | undefined;
    /** That transaction, when the delivery of `claimed` may start before it commits. */
    let claiming: Promise<OutboxRecord | undefined> | undefined;
    for (let i = 0; i < records.length; i++) {
      if (halted()) {
        // Claimed but not sent: it goes back as it was.
        if (claiming) await claiming;
        if (claimed) await queue.release(claimed.seq);
        return;
      }
      const record = records[i] as OutboxRecord;
      if (!claimed) {
        const now = clock.now();
        const next = verdict(record, now);
        if (next === 'wait') return;
        if (next !== 'deliver') {
          await deadLetter(record.seq, next);
          continue;
        }
        claimed = await queue.claim(record.seq, now + deps.leaseMs, deps.exclusive);
        if (!claimed) {
          // Changed by another context since it was read: look again in the next pass.
          conflicts++;
          return;
        }
      }
      const current = claimed;
      const confirming = claiming;
      claimed = undefined;
      claiming = undefined;
      const delivery = attemptDelivery(current, deps.handler(current.type) as OutboxHandler<never>);
      if (confirming && !(await confirming)) {
        // Discarded from another tab before its claim committed (this tab had not heard of
        // it yet): there is nothing left here to settle. What was sent carried the entry's
        // idempotency key, like any delivery.
        await delivery;
        conflicts++;
        return;
      }
      const failed = await delivery;
      if (failed) {
        if (await settleFailure(current, current.attempts + 1, failed.error)) continue;
        return;
      }
      report.delivered++;
      const following = records[i + 1];
      const now = clock.now();
      if (following && !halted() && verdict(following, now) === 'deliver') {
        const leaseUntil = now + deps.leaseMs;
        const completing = queue.completeAndClaim(current.seq, following.seq, leaseUntil, deps.exclusive);
        const latest = queue.peek(following.seq);
        if (deps.exclusive && latest !== undefined && latest.state !== 'dead') {
          // Under the Web Lock no other context delivers, so the claim need not be on disk
          // before the next send: it commits while that delivery runs, sharing a transaction
          // with other channels' changes (IdbRecordStore.update), and the delivery's outcome
          // waits for it. A crash before it commits leaves the delivered entry stored and the
          // next one pending: both are delivered again with their idempotency keys, as after a
          // crash at the same point with the claim awaited. An entry discarded since the pass
          // began (`peek` knows) is not sent: the claim finds it gone.
          claiming = completing.then((next) => {
            deps.on.delivered(toEntry(current));
            return next;
          });
          claimed = { ...latest, state: 'in-flight', leaseUntil };
          continue;
        }
        claimed = await completing;
        deps.on.delivered(toEntry(current));
        if (!claimed) {
          conflicts++;
          return;
        }
      } else {
        await queue.complete(current.seq);
        deps.on.delivered(toEntry(current));
      }
    }
  };

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    conflicts = 0;
    const channels = new Map<string, OutboxRecord[]>();
    for (const record of await queue.load()) {
      if (record.state === 'dead') continue;
      // A record newer code wrote holds its channel: what came after it waits for that code.
      const held = queue.heldFrom(record.channel);
      if (held !== undefined && record.seq > held) continue;
      const list = channels.get(record.channel);
      if (list) list.push(record);
      else channels.set(record.channel, [record]);
    }
    const lists = [...channels.values()];
    let next = 0;
    const worker = async () => {
      while (next < lists.length && !halted()) {
        await drainChannel(lists[next++] as OutboxRecord[]);
      }
    };
    const workers = Array.from({ length: Math.min(deps.concurrency, lists.length) }, worker);
    const results = await Promise.allSettled(workers);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (halted()) break;
    // `takeRescan` always runs, so a request made during this pass is consumed here.
    if (!deps.takeRescan() && conflicts === 0) break;
  }
  if (signal.aborted && stopped === undefined) stopped = 'aborted';
  const outcome: DrainOutcome = { report };
  if (stopped !== undefined) outcome.stopped = stopped;
  if (wakeAt !== Infinity) outcome.wakeAt = wakeAt;
  return outcome;
}
