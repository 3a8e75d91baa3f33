import { Subscription } from 'rxjs';
import type { Clock } from '../clock.js';
import type { ConnectivityMonitor, Reachability } from '../connectivity/index.js';
import type { Degradation } from '../degrade/index.js';
import type { Failure } from '../failure/types.js';
import type { MessageCenter } from '../messages/index.js';
import type { Outbox, OutboxStats } from '../outbox/index.js';
import type { Predictor } from '../predict/index.js';
import type { Dependency } from './dependencies.js';
import { LIKELY_TO_FAIL, SLOW_CONNECTION_REASON } from './degradation-rules.js';

/** Message keys: one per situation, so a situation is told once and updated in place. */
export const MESSAGE_KEYS = {
  connectivity: 'connectivity',
  backOnline: 'back-online',
  outbox: 'outbox',
  savingTrouble: 'saving-trouble',
  rejected: 'outbox-rejected',
  storage: 'storage',
  degraded: 'degraded',
  predicted: 'predicted-trouble',
  circuitOpen: (dependency: string) => `circuit-open:${dependency}`,
  callFailed: (kind: 'read' | 'write') => `call-failed:${kind}`,
} as const;

/** Priorities: what puts data at risk first, then what explains the most. */
const PRIORITY = {
  storage: 100,
  rejected: 95,
  connectivity: 90,
  savingTrouble: 70,
  outbox: 60,
  circuit: 55,
  degraded: 50,
  call: 40,
  predicted: 30,
  backOnline: 20,
};

const SYNCED_TTL_MS = 5_000;
const BACK_ONLINE_TTL_MS = 4_000;
const PREDICTED_TTL_MS = 8_000;
const CALL_FAILED_TTL_MS = 6_000;
/** How late another context's relayed deliveries may arrive after this tab saw the queue empty. */
const LATE_RELAY_MS = 2_000;

interface Sources {
  messages: MessageCenter;
  connectivity: ConnectivityMonitor;
  outbox?: Outbox;
  degradation: Degradation;
  predictor?: Predictor;
  dependencies: ReadonlyMap<string, Dependency>;
  clock: Clock;
  /** Asks the app to show its outbox panel (the "Review" action of rejected writes). */
  requestReview: () => void;
}

/**
 * Turns the state of every subsystem into the few messages a person needs:
 * one banner per lasting situation, one updating toast for the queue, and
 * short toasts for events. State drives messages; calls do not add up.
 */
export class UserMessages {
  private readonly subscriptions = new Subscription();
  private reachability: Reachability = 'unknown';
  /** Writes delivered since the queue was last empty, for "All N changes synced." */
  private deliveredSinceEmpty = 0;
  private waitingShown = false;
  /**
   * When the queue last emptied, and the count the "synced" message gave then. Another
   * tab's (or the service worker's) deliveries are relayed in batches, so this tab may read
   * the emptied store before it hears of all of them: the late ones still count.
   */
  private emptiedAt: number | undefined;
  private syncedCount = 0;

  constructor(private readonly s: Sources) {
    this.subscriptions.add(
      s.connectivity.state$.subscribe((snapshot) => this.onReachability(snapshot.status)),
    );
    if (s.outbox) {
      const outbox = s.outbox;
      this.subscriptions.add(outbox.stats$.subscribe((stats) => this.onOutboxStats(stats)));
      this.subscriptions.add(
        outbox.events$.subscribe((event) => {
          if (event.type === 'delivered') this.onDelivered(outbox.stats);
          else if (event.type === 'retry-scheduled' && this.reachability === 'online')
            this.onSavingTrouble(outbox.stats);
          else if (event.type === 'dead-lettered') void this.onDead(outbox);
          else if (event.type === 'storage-fallback') this.onStorageFallback();
        }),
      );
    }
    this.subscriptions.add(
      s.degradation.state$.subscribe((state) => this.onDegradation(state.level, state.reasons)),
    );
    for (const dependency of s.dependencies.values()) {
      const breaker = dependency.breaker;
      if (!breaker) continue;
      this.subscriptions.add(
        breaker.state$.subscribe((snapshot) => {
          const key = MESSAGE_KEYS.circuitOpen(dependency.name);
          if (snapshot.state === 'open' && snapshot.openUntil !== undefined) {
            const seconds = Math.max(1, Math.ceil((snapshot.openUntil - s.clock.now()) / 1000));
            s.messages.post({
              key,
              tone: 'warning',
              placement: 'toast',
              priority: PRIORITY.circuit,
              ttlMs: null,
              text: s.messages.template('circuitOpen', { seconds }),
            });
          } else {
            s.messages.dismiss(key);
          }
        }),
      );
    }
    if (s.predictor) {
      this.subscriptions.add(
        s.predictor.predictions$.subscribe(() => {
          s.messages.post({
            key: MESSAGE_KEYS.predicted,
            tone: 'info',
            placement: 'toast',
            priority: PRIORITY.predicted,
            ttlMs: PREDICTED_TTL_MS,
            text: s.messages.template('predictedTrouble'),
          });
        }),
      );
    }
  }

  /** A call the app made failed for good (not queued, no fallback), and it asked to be told. */
  callFailed(kind: 'read' | 'write', failure: Failure): void {
    if (failure.category === 'aborted') return;
    const { messages } = this.s;
    // Connectivity trouble is already told by the connectivity banner.
    if (kind === 'read' && (this.reachability === 'offline' || this.reachability === 'unreachable')) return;
    const text =
      kind === 'write' && (failure.category === 'client' || failure.category === 'auth')
        ? messages.template('rejected', { count: 1, reason: failure.message })
        : messages.template('unreachable');
    messages.post({
      key: MESSAGE_KEYS.callFailed(kind),
      tone: kind === 'write' ? 'error' : 'warning',
      placement: 'toast',
      priority: PRIORITY.call,
      ttlMs: CALL_FAILED_TTL_MS,
      text,
    });
  }

  dispose(): void {
    this.subscriptions.unsubscribe();
  }

  private onReachability(status: Reachability): void {
    const { messages } = this.s;
    const previous = this.reachability;
    this.reachability = status;
    if (status === 'offline' || status === 'unreachable') {
      messages.post({
        key: MESSAGE_KEYS.connectivity,
        tone: 'warning',
        placement: 'banner',
        priority: PRIORITY.connectivity,
        ttlMs: null,
        text: messages.template(status === 'offline' ? 'offline' : 'unreachable'),
      });
      messages.dismiss(MESSAGE_KEYS.backOnline);
    } else if (status === 'online') {
      messages.dismiss(MESSAGE_KEYS.connectivity);
      if (previous === 'offline' || previous === 'unreachable') {
        messages.post({
          key: MESSAGE_KEYS.backOnline,
          tone: 'success',
          placement: 'toast',
          priority: PRIORITY.backOnline,
          ttlMs: BACK_ONLINE_TTL_MS,
          text: messages.template('backOnline'),
        });
      }
    }
  }

  private onOutboxStats(stats: OutboxStats): void {
    const { messages } = this.s;
    // New writes are stored on disk again (the outbox recovered): the warning no longer holds.
    if (stats.storage === 'indexeddb') messages.dismiss(MESSAGE_KEYS.storage);
    const waiting = stats.pending + stats.inFlight;
    if (waiting > 0) {
      this.emptiedAt = undefined;
      // While online and draining, a write is on its way, not waiting: say nothing unless
      // it has been waiting (offline, trouble) — a normal save must not flash a toast.
      if (!this.waitingShown && this.reachability === 'online' && !stats.paused) return;
      this.waitingShown = true;
      messages.post({
        key: MESSAGE_KEYS.outbox,
        tone: 'info',
        placement: 'toast',
        priority: PRIORITY.outbox,
        ttlMs: null,
        text: messages.template('queued', { count: waiting }),
      });
      return;
    }
    // The drain reports its last deliveries as it finishes: count them all before saying "synced".
    if (stats.draining) return;
    if (this.waitingShown) {
      this.waitingShown = false;
      messages.dismiss(MESSAGE_KEYS.savingTrouble);
      this.emptiedAt = this.s.clock.now();
      this.syncedCount = this.deliveredSinceEmpty;
      if (this.syncedCount > 0) this.postSynced(this.syncedCount);
      else messages.dismiss(MESSAGE_KEYS.outbox);
    }
    this.deliveredSinceEmpty = 0;
  }

  private onDelivered(stats: OutboxStats): void {
    const emptiedAt = this.emptiedAt;
    const late =
      emptiedAt !== undefined &&
      this.s.clock.now() - emptiedAt <= LATE_RELAY_MS &&
      stats.pending + stats.inFlight === 0;
    if (!late) {
      this.deliveredSinceEmpty += 1;
      return;
    }
    // The queue is already empty here: this is one of the deliveries that emptied it.
    this.syncedCount += 1;
    this.postSynced(this.syncedCount);
  }

  private postSynced(count: number): void {
    this.s.messages.post({
      key: MESSAGE_KEYS.outbox,
      tone: 'success',
      placement: 'toast',
      priority: PRIORITY.outbox,
      ttlMs: SYNCED_TTL_MS,
      text: this.s.messages.template('synced', { count }),
    });
  }

  private onSavingTrouble(stats: OutboxStats): void {
    const { messages } = this.s;
    messages.post({
      key: MESSAGE_KEYS.savingTrouble,
      tone: 'warning',
      placement: 'toast',
      priority: PRIORITY.savingTrouble,
      ttlMs: null,
      text: messages.template('savingTrouble'),
    });
    // The queue is now worth showing even though the device is online.
    this.waitingShown = true;
    this.onOutboxStats(stats);
  }

  private async onDead(outbox: Outbox): Promise<void> {
    const dead = await outbox.list({ state: 'dead' });
    const { messages } = this.s;
    if (dead.length === 0) return;
    messages.post({
      key: MESSAGE_KEYS.rejected,
      tone: 'error',
      placement: 'toast',
      // Changes the server refused are lost unless the user acts: say so assertively.
      politeness: 'assertive',
      priority: PRIORITY.rejected,
      ttlMs: null,
      text: messages.template('rejected', { count: dead.length }),
      actions: [
        { id: 'review', label: 'Review', run: this.s.requestReview },
        { id: 'retry', label: 'Retry', run: () => outbox.retry('dead').then(() => undefined) },
        {
          id: 'discard',
          label: 'Discard',
          run: () => outbox.discard(dead.map((e) => e.id)).then(() => undefined),
        },
      ],
    });
  }

  private onStorageFallback(): void {
    const { messages } = this.s;
    messages.post({
      key: MESSAGE_KEYS.storage,
      tone: 'error',
      placement: 'banner',
      politeness: 'assertive',
      priority: PRIORITY.storage,
      ttlMs: null,
      text: messages.template('storageFallback'),
    });
  }

  private onDegradation(level: string, reasons: readonly string[]): void {
    const { messages } = this.s;
    // Offline and unreachable have their own banner; this one explains the rest.
    if (level === 'none' || this.reachability === 'offline' || this.reachability === 'unreachable') {
      messages.dismiss(MESSAGE_KEYS.degraded);
      return;
    }
    const slow = reasons.some((r) => r === SLOW_CONNECTION_REASON || r.includes(LIKELY_TO_FAIL));
    messages.post({
      key: MESSAGE_KEYS.degraded,
      tone: 'info',
      placement: 'banner',
      priority: PRIORITY.degraded,
      ttlMs: null,
      text: messages.template(slow ? 'slow' : 'degraded'),
    });
  }
}
