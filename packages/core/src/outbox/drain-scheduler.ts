import { setTimer } from '../clock.js';
import { drainQueue, type DrainListener } from './drain.js';
import { lockName, type LeaderLock } from './leader-lock.js';
import type { ResolvedOutboxOptions } from './options.js';
import type { EntryQueue } from './queue.js';
import type { DrainReport, OutboxHandler } from './types.js';

/** What the scheduler reads of the outbox it drains for. */
export interface DrainSchedulerDeps {
  o: ResolvedOutboxOptions;
  queue: EntryQueue;
  lock: LeaderLock;
  /** Shared with the outbox, which sets them (`close()`, an `auth` failure, `resume()`). */
  state: { closed: boolean; paused: boolean };
  /** Aborted by `close()`: deliveries under way are cancelled. */
  closing: AbortSignal;
  handler: (type: string) => OutboxHandler<never> | undefined;
  deliverable: (type: string) => boolean;
  isOnline: () => boolean;
  ensureLoaded(): Promise<void>;
  on: DrainListener;
  /**
   * Starts a drain the way callers do, through the outbox's own `drain` (what runs a
   * scheduled drain, and a joiner's own when the one it joined was aborted).
   */
  publicDrain(o?: { signal?: AbortSignal }): Promise<DrainReport>;
  /** A drain started or ended (the counts show it). */
  drainingChanged(): void;
  /** A drain ran to its end. */
  drained(): void;
}

export interface DrainScheduler {
  /** Drains now, or joins the drain under way in this page. */
  drain: (o?: { signal?: AbortSignal }) => Promise<DrainReport>;
  /** A drain soon (next macrotask); during a drain, another pass of it. Bursts share one. */
  schedule(): void;
  readonly draining: boolean;
  /** The drain under way, if any. */
  readonly running: Promise<DrainReport> | undefined;
  close(): void;
}

const EMPTY_REPORT: DrainReport = { delivered: 0, retried: 0, dead: 0 };
const skipped = (reason: DrainReport['skipped']): DrainReport => ({ ...EMPTY_REPORT, skipped: reason });

/**
 * The drain under way in this page, per outbox name, whichever outbox object runs it: a page
 * may hold two outboxes of one name (an app's own beside `createProtection`'s, or one a
 * component made), and a "Sync now" through either must join the drain the other started
 * rather than report that this page is not the leader.
 */
const drainsInPage = new Map<
  string,
  { report: Promise<DrainReport>; rescan: () => void; signal: AbortSignal | undefined }
>();

/**
 * When drains run: one at a time per page and outbox name (joined, not repeated), another
 * pass for whatever changes while one runs, a timer for the moment backoff or a lease allows
 * the next one, and nothing while closed, paused or offline.
 */
export function createDrainScheduler(d: DrainSchedulerDeps): DrainScheduler {
  const { o, state } = d;
  const { clock } = o;
  const key = lockName(o.name);
  let draining = false;
  /** Something changed during the drain that another pass should see (an enqueue). */
  let rescan = false;
  let running: Promise<DrainReport> | undefined;
  /** The signal the caller who started the running drain gave, if any. */
  let runningSignal: AbortSignal | undefined;
  let scheduled = false;
  let drainTimer: unknown;
  let wakeTimer: unknown;

  const drain = (options?: { signal?: AbortSignal }): Promise<DrainReport> => {
    if (state.closed) return Promise.reject(new Error('drain(): the outbox is closed'));
    if (state.paused) return Promise.resolve(skipped('paused'));
    if (!d.isOnline()) return Promise.resolve(skipped('offline'));
    if (running) {
      // Joining the drain under way: it makes another pass for whatever is new.
      rescan = true;
      return join(running, runningSignal, options);
    }
    const inPage = drainsInPage.get(key);
    if (inPage) {
      inPage.rescan();
      return join(inPage.report, inPage.signal, options);
    }
    const signal = options?.signal;
    const report = run(signal).finally(() => {
      running = runningSignal = undefined;
      if (drainsInPage.get(key)?.report === report) drainsInPage.delete(key);
    });
    running = report;
    runningSignal = signal;
    drainsInPage.set(key, { report, rescan: () => (rescan = true), signal });
    return report;
  };

  /**
   * The report of a drain joined. Its starter may abort it with its own signal: that cancels
   * its request, not the joiner's, who then gets a drain of its own.
   */
  const join = (
    report: Promise<DrainReport>,
    startersSignal: AbortSignal | undefined,
    options: { signal?: AbortSignal } | undefined,
  ): Promise<DrainReport> =>
    startersSignal
      ? report.then((done) => (startersSignal.aborted && !state.closed ? d.publicDrain(options) : done))
      : report;

  const run = async (signal: AbortSignal | undefined): Promise<DrainReport> => {
    await d.ensureLoaded();
    const attempt = await d.lock.tryRun(async () => {
      draining = true;
      rescan = false;
      d.drainingChanged();
      try {
        return await drainQueue(
          {
            ...o,
            queue: d.queue,
            handler: d.handler,
            deliverable: d.deliverable,
            exclusive: d.lock.spansContexts,
            isOnline: d.isOnline,
            takeRescan: () => {
              const again = rescan;
              rescan = false;
              return again;
            },
            on: d.on,
          },
          signal ? anySignal([signal, d.closing]) : d.closing,
        );
      } finally {
        draining = false;
        d.drainingChanged();
      }
    });
    if (!attempt.acquired) return skipped('not-leader');
    const { report, stopped, wakeAt } = attempt.value;
    armWake(wakeAt);
    // Aborted by its caller's signal while an enqueue asked for another pass: that request
    // was not the caller's to cancel.
    if (stopped === 'aborted' && rescan && o.autoDrain) schedule();
    if (
      (stopped === 'offline' || stopped === 'paused') &&
      report.delivered + report.retried + report.dead === 0
    )
      report.skipped = stopped;
    d.drained();
    return report;
  };

  const schedule = (): void => {
    if (state.closed) return;
    if (draining) {
      rescan = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    drainTimer = setTimer(
      clock,
      () => {
        scheduled = false;
        if (state.closed || state.paused || !d.isOnline()) return;
        // A background drain has nobody to report to: its outcome is in events$ and stats$.
        d.publicDrain().catch(() => undefined);
      },
      0,
    );
  };

  /** Backoff and leases end without any event to notice it: a timer starts the drain they allow. */
  const armWake = (wakeAt: number | undefined): void => {
    clock.clearTimeout(wakeTimer);
    if (wakeAt === undefined || !o.autoDrain || state.closed) return;
    wakeTimer = setTimer(clock, schedule, Math.max(0, wakeAt - clock.now()));
  };

  return {
    drain,
    schedule,
    get draining() {
      return draining;
    },
    get running() {
      return running;
    },
    close() {
      clock.clearTimeout(drainTimer);
      clock.clearTimeout(wakeTimer);
    },
  };
}

/** `AbortSignal.any` where it exists (Chrome 116, Safari 17.4, Node 20), a linked controller elsewhere. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
