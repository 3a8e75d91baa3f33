import { Subscription } from 'rxjs';
import type { Clock } from '../clock.js';
import { oneAtATime } from '../one-at-a-time.js';
import type { Reachability } from '../connectivity/index.js';
import type { Failure } from '../failure/types.js';
import type { MessageCenter, TemplateId, Tone } from '../messages/index.js';
import type { Outbox, OutboxStats } from '../outbox/index.js';
import type { SituationKind } from './situation.js';
import type { ProtectionStatus } from './types.js';

/** Message keys: one per situation, so a situation is told once and updated in place. */
export const MESSAGE_KEYS = {
  /** The one lasting situation (offline, server trouble, …): a banner. */
  situation: 'situation',
  backOnline: 'back-online',
  /** The queue's story: waiting, trouble saving, synced. */
  outbox: 'outbox',
  rejected: 'outbox-rejected',
  callFailed: (kind: 'read' | 'write') => `call-failed:${kind}`,
} as const;

/** Priorities: what puts data at risk first, then what explains the most. */
const PRIORITY = {
  storage: 100,
  rejected: 95,
  situation: 90,
  outbox: 60,
  call: 40,
  backOnline: 20,
};

const SYNCED_TTL_MS = 5_000;
const BACK_ONLINE_TTL_MS = 4_000;
const CALL_FAILED_TTL_MS = 6_000;
/** News of a moment that waited this long behind other toasts is no longer news. */
const EVENT_STALE_MS = 3_000;

/** Situations in which a write cannot go through now: a waiting write is worth telling about. */
const WRITES_WAIT: ReadonlySet<SituationKind> = new Set([
  'offline',
  'unreachable',
  'server-trouble',
  'storage',
]);

/** The banner each lasting situation shows; situations not listed show none. */
const BANNERS: Partial<Record<SituationKind, { template: TemplateId; tone: Tone }>> = {
  storage: { template: 'storageFallback', tone: 'error' },
  offline: { template: 'offline', tone: 'warning' },
  unreachable: { template: 'unreachable', tone: 'warning' },
  'server-trouble': { template: 'serverTrouble', tone: 'warning' },
  degraded: { template: 'degraded', tone: 'info' },
  'predicted-trouble': { template: 'predictedTrouble', tone: 'info' },
  slow: { template: 'slow', tone: 'info' },
};

interface Sources {
  messages: MessageCenter;
  outbox?: Outbox;
  clock: Clock;
  /** Asks the app to show its outbox panel (the "Review" action of rejected writes). */
  requestReview: () => void;
}

/**
 * Turns the protection's status into the few messages a person needs: one banner for the
 * lasting situation (read from the same status everything else reads, so nothing
 * contradicts), one updating toast for the queue's story, and short toasts for events.
 */
export class UserMessages {
  private readonly subscriptions = new Subscription();
  private reachability: Reachability = 'unknown';
  private situation: SituationKind = 'checking';
  /** The situation the banner was last posted for. */
  private bannerFor: SituationKind | undefined;
  /** Whether the queue's story is being told: it waited (offline, trouble) or was left from before. */
  private telling = false;
  /** Saves kept failing while online: the queue's toast says so until the queue empties. */
  private trouble = false;
  /** Entries this page has told the user about, to count "All N changes synced" by id. */
  private readonly told = new Set<string>();
  private readonly delivered = new Set<string>();
  private readonly discarded = new Set<string>();
  /** The waiting count since ids were last noted: only growth brings ids not yet known. */
  private notedWaiting = 0;
  /** Reads of the waiting ids, one at a time: a drain's stream of counts must not read the store per change. */
  private readonly noting = oneAtATime(() => this.noteIds());
  /** "Synced" was said while the page still saw no network: the end of this outage is told already. */
  private syncedDuringOutage = false;
  private disposed = false;

  constructor(private readonly s: Sources) {
    const outbox = s.outbox;
    if (!outbox) return;
    this.subscriptions.add(outbox.stats$.subscribe((stats) => this.onOutboxStats(stats)));
    this.subscriptions.add(
      outbox.events$.subscribe((event) => {
        if (event.type === 'delivered') {
          if (this.telling) this.delivered.add(event.entry.id);
        } else if (event.type === 'retry-scheduled') {
          if (this.reachability === 'online') this.onSavingTrouble(outbox.stats);
        } else if (event.type === 'dead-lettered') {
          void this.onDead(outbox);
        } else if (event.type === 'discarded') {
          for (const id of event.ids) this.discarded.add(id);
        }
      }),
    );
    // Writes left from before this page (queued offline, then reloaded) are part of its story.
    void outbox.list().then(
      (entries) => {
        const waiting = entries.filter((e) => e.state !== 'dead');
        if (this.disposed || waiting.length === 0) return;
        for (const e of waiting) this.told.add(e.id);
        this.telling = true;
        this.onOutboxStats(outbox.stats);
      },
      () => undefined,
    );
  }

  /** The protection's status changed: the situation banner and "back online" follow it. */
  onStatus(status: ProtectionStatus): void {
    if (this.disposed) return;
    const { messages } = this.s;
    const previous = this.reachability;
    this.reachability = status.connectivity.status;
    this.situation = status.situation.kind;

    const banner = BANNERS[this.situation];
    // Posted when the situation changes, not on every status: a banner the user dismissed
    // stays dismissed until there is something new to say.
    if (banner && this.bannerFor !== this.situation) {
      this.bannerFor = this.situation;
      messages.post({
        key: MESSAGE_KEYS.situation,
        tone: banner.tone,
        placement: 'banner',
        priority: this.situation === 'storage' ? PRIORITY.storage : PRIORITY.situation,
        // Losing the device's copy of changes is the one situation worth interrupting for.
        politeness: this.situation === 'storage' ? 'assertive' : 'polite',
        ttlMs: null,
        text: messages.template(banner.template),
      });
    } else if (!banner) {
      this.bannerFor = undefined;
      messages.dismiss(MESSAGE_KEYS.situation);
    }

    if (this.reachability === 'offline' || this.reachability === 'unreachable') {
      messages.dismiss(MESSAGE_KEYS.backOnline);
      if (previous === 'online') this.syncedDuringOutage = false;
    } else if (this.reachability === 'online' && (previous === 'offline' || previous === 'unreachable')) {
      // Delivered before this page saw the network back (by the service worker, say):
      // "synced" already said it is over, and "back online" after it would be old news.
      const told = this.syncedDuringOutage;
      this.syncedDuringOutage = false;
      if (!told)
        messages.post({
          key: MESSAGE_KEYS.backOnline,
          tone: 'success',
          placement: 'toast',
          priority: PRIORITY.backOnline,
          ttlMs: BACK_ONLINE_TTL_MS,
          staleAfterMs: EVENT_STALE_MS,
          text: messages.template('backOnline'),
        });
    }
    if (this.s.outbox) this.onOutboxStats(this.s.outbox.stats);
  }

  /** A call the app made failed for good (not queued, no fallback), and it asked to be told. */
  callFailed(kind: 'read' | 'write', failure: Failure): void {
    if (this.disposed || failure.category === 'aborted') return;
    const { messages } = this.s;
    // A lasting situation already explains a failed read; a failed write still needs saying.
    if (kind === 'read' && BANNERS[this.situation]) return;
    const refused =
      kind === 'write' &&
      !failure.retryable &&
      (failure.category === 'client' || failure.category === 'auth');
    messages.post({
      key: MESSAGE_KEYS.callFailed(kind),
      tone: kind === 'write' ? 'error' : 'warning',
      placement: 'toast',
      priority: PRIORITY.call,
      ttlMs: CALL_FAILED_TTL_MS,
      staleAfterMs: EVENT_STALE_MS,
      text: refused
        ? messages.template('rejected', { count: 1 })
        : messages.template(kind === 'write' ? 'saveFailed' : 'loadFailed'),
    });
  }

  dispose(): void {
    this.disposed = true;
    this.subscriptions.unsubscribe();
  }

  private onOutboxStats(stats: OutboxStats): void {
    if (this.disposed) return;
    const { messages } = this.s;
    const waiting = stats.pending + stats.inFlight;
    if (waiting > 0) {
      // While online and delivering, a write is on its way, not waiting: a normal save must
      // not flash a toast. It is told once it waits: offline, trouble, or paused for sign-in.
      if (!this.telling && !WRITES_WAIT.has(this.situation) && !stats.paused) return;
      this.telling = true;
      if (waiting > this.notedWaiting) this.noteWaiting(waiting);
      // Follow the count down too: a write added after others were delivered elsewhere grows
      // it again, and must be noted even though the count stays under its earlier peak.
      else this.notedWaiting = waiting;
      messages.post({
        key: MESSAGE_KEYS.outbox,
        tone: this.trouble ? 'warning' : 'info',
        placement: 'toast',
        priority: PRIORITY.outbox,
        ttlMs: null,
        text: messages.template(this.trouble ? 'savingTrouble' : 'queued', { count: waiting }),
      });
      return;
    }
    // The drain reports its last deliveries as it finishes: count them all before saying "synced".
    if (stats.draining || !this.telling) return;
    void this.tellSynced();
  }

  /**
   * Notes the ids of the entries waiting now, so the synced count is exact whoever delivers
   * them. Reads the store only when the count grew, one read at a time: a drain of a long
   * queue must not read it once per delivery.
   */
  private noteWaiting(waiting: number): void {
    this.notedWaiting = waiting;
    void this.noting.run();
  }

  /** Reads the ids of the entries waiting now; see `noteWaiting`. */
  private async noteIds(): Promise<void> {
    const outbox = this.s.outbox;
    if (!outbox || this.disposed) return;
    try {
      const entries = await outbox.list();
      if (!this.isTelling()) return;
      for (const e of entries) if (e.state !== 'dead') this.told.add(e.id);
    } catch {
      // Unreadable now: the delivered events still count.
    }
  }

  private async tellSynced(): Promise<void> {
    const outbox = this.s.outbox;
    if (!outbox) return;
    this.telling = false;
    this.trouble = false;
    this.notedWaiting = 0;
    await this.noting.idle();
    const ids = new Set([...this.told, ...this.delivered]);
    this.told.clear();
    this.delivered.clear();
    let remaining: Array<{ id: string; state: string }> = [];
    try {
      remaining = await outbox.list();
    } catch {
      // Unreadable: whatever is gone counts as delivered, as the events said.
    }
    for (const e of remaining) ids.delete(e.id);
    for (const id of this.discarded) ids.delete(id);
    this.discarded.clear();
    // A new wait may have started while the store was read: its story is told later.
    if (this.disposed || this.isTelling()) return;
    const { messages } = this.s;
    if (ids.size === 0) {
      messages.dismiss(MESSAGE_KEYS.outbox);
      return;
    }
    // Synced says more than "back online", and says it is over: one toast, not two.
    messages.dismiss(MESSAGE_KEYS.backOnline);
    if (this.reachability === 'offline' || this.reachability === 'unreachable')
      this.syncedDuringOutage = true;
    messages.post({
      key: MESSAGE_KEYS.outbox,
      tone: 'success',
      placement: 'toast',
      priority: PRIORITY.outbox,
      ttlMs: SYNCED_TTL_MS,
      text: messages.template('synced', { count: ids.size }),
    });
  }

  // Read through a method: it changes while an awaited read runs.
  private isTelling(): boolean {
    return this.telling;
  }

  private onSavingTrouble(stats: OutboxStats): void {
    this.trouble = true;
    // The queue is now worth showing even though the device is online.
    this.telling = true;
    this.onOutboxStats(stats);
  }

  private async onDead(outbox: Outbox): Promise<void> {
    const dead = await outbox.list({ state: 'dead' });
    const { messages } = this.s;
    if (this.disposed || dead.length === 0) return;
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
        { id: 'review', label: messages.template('actionReview'), run: this.s.requestReview },
        {
          id: 'retry',
          label: messages.template('actionRetry'),
          run: () => outbox.retry('dead').then(() => undefined),
        },
        {
          id: 'discard',
          label: messages.template('actionDiscard'),
          run: () => outbox.discard(dead.map((e) => e.id)).then(() => undefined),
        },
      ],
    });
  }
}
