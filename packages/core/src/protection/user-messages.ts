import { systemClock, type Clock } from '../clock.js';
import { savedAtText } from '../last-good/saved-at-text.js';
import { oneAtATime } from '../one-at-a-time.js';
import type { Reachability } from '../connectivity/index.js';
import { meaningOf } from '../failure/meaning.js';
import type { Failure } from '../failure/types.js';
import type { MessageCenter, MessageInput, TemplateId, Tone } from '../messages/index.js';
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
  /** The toast about a failed call, one for reads and one for writes. */
  callFailed: (kind: 'read' | 'write') => `call-failed:${kind}`,
  /** A failed read shows the copy saved from its last success. */
  savedCopy: 'saved-copy',
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
  /** Tells a copy saved today ("10:42") from an older one (with its date). Default: the system clock. */
  clock?: Clock;
  outbox?: Outbox;
  /** Asks the app to show its outbox panel (the "Review" action of rejected writes). */
  requestReview: () => void;
}

export interface UserMessages {
  /** The protection's status changed: the situation banner and "back online" follow it. */
  onStatus(status: ProtectionStatus): void;
  /** A call the app made failed for good (not queued, no fallback), and it asked to be told. */
  callFailed(kind: 'read' | 'write', failure: Failure): void;
  /** A call the app made failed and answers with the copy saved at `savedAt` (a `lastGood()` fallback). */
  savedCopy(savedAt: number): void;
  dispose(): void;
}

const isOut = (reach: Reachability) => reach === 'offline' || reach === 'unreachable';

/**
 * Turns the protection's status into the few messages a person needs: one banner for the
 * lasting situation (read from the same status everything else reads, so nothing
 * contradicts), one updating toast for the queue's story, and short toasts for events.
 */
export function createUserMessages({
  messages,
  clock = systemClock,
  outbox,
  requestReview,
}: Sources): UserMessages {
  const subscriptions: Array<{ unsubscribe(): void }> = [];
  let reachability: Reachability = 'unknown';
  let situation: SituationKind = 'checking';
  /** The situation the banner was last posted for. */
  let bannerFor: SituationKind | undefined;
  /** Whether the queue's story is being told: it waited (offline, trouble) or was left from before. */
  let telling = false;
  /** Saves kept failing while online: the queue's toast says so until the queue empties. */
  let trouble = false;
  /** Entries this page has told the user about, to count "All N changes synced" by id. */
  const told = new Set<string>();
  const delivered = new Set<string>();
  const discarded = new Set<string>();
  /** The waiting count since ids were last noted: only growth brings ids not yet known. */
  let notedWaiting = 0;
  /** "Synced" was said while the page still saw no network: the end of this outage is told already. */
  let syncedDuringOutage = false;
  let disposed = false;
  // Read through a function: it changes while an awaited read runs.
  const isTelling = () => telling;
  const text = (id: TemplateId, count?: number) =>
    messages.template(id, count === undefined ? undefined : { count });
  /** A toast; `ttlMs` null keeps it until dismissed. */
  const toast = (
    key: string,
    tone: Tone,
    priority: number,
    ttlMs: number | null,
    body: string,
    more?: Partial<MessageInput>,
  ) => {
    messages.post({ key, tone, placement: 'toast', priority, ttlMs, text: body, ...more });
  };
  /** News of a moment: it goes stale while it waits behind other toasts. */
  const news = { staleAfterMs: EVENT_STALE_MS };

  /** Reads the ids of the entries waiting now, one read at a time (see `onOutboxStats`). */
  const noting = oneAtATime(async () => {
    if (!outbox || disposed) return;
    try {
      const entries = await outbox.list();
      if (!isTelling()) return;
      for (const e of entries) if (e.state !== 'dead') told.add(e.id);
    } catch {
      // Unreadable now: the delivered events still count.
    }
  });

  function onOutboxStats(stats: OutboxStats): void {
    if (disposed) return;
    const waiting = stats.pending + stats.inFlight;
    if (waiting > 0) {
      // While online and delivering, a write is on its way, not waiting: a normal save must
      // not flash a toast. It is told once it waits: offline, trouble, or paused for sign-in.
      if (!telling && !WRITES_WAIT.has(situation) && !stats.paused) return;
      telling = true;
      // Notes the ids of the entries waiting now, so the synced count is exact whoever delivers
      // them. Reads the store only when the count grew, one read at a time: a drain of a long
      // queue must not read it once per delivery. The count is followed down too: a write added
      // after others were delivered elsewhere grows it again, and must be noted even though the
      // count stays under its earlier peak.
      if (waiting > notedWaiting) void noting.run();
      notedWaiting = waiting;
      toast(
        MESSAGE_KEYS.outbox,
        trouble ? 'warning' : 'info',
        PRIORITY.outbox,
        null,
        text(trouble ? 'savingTrouble' : 'queued', waiting),
      );
      return;
    }
    // The drain reports its last deliveries as it finishes: count them all before saying "synced".
    if (stats.draining || !telling) return;
    void tellSynced();
  }

  async function tellSynced(): Promise<void> {
    if (!outbox) return;
    telling = false;
    trouble = false;
    notedWaiting = 0;
    await noting.idle();
    const ids = new Set([...told, ...delivered]);
    told.clear();
    delivered.clear();
    try {
      for (const e of await outbox.list()) ids.delete(e.id);
    } catch {
      // Unreadable: whatever is gone counts as delivered, as the events said.
    }
    for (const id of discarded) ids.delete(id);
    discarded.clear();
    // A new wait may have started while the store was read: its story is told later.
    if (disposed || isTelling()) return;
    if (ids.size === 0) {
      messages.dismiss(MESSAGE_KEYS.outbox);
      return;
    }
    // Synced says more than "back online", and says it is over: one toast, not two.
    messages.dismiss(MESSAGE_KEYS.backOnline);
    if (isOut(reachability)) syncedDuringOutage = true;
    toast(MESSAGE_KEYS.outbox, 'success', PRIORITY.outbox, SYNCED_TTL_MS, text('synced', ids.size));
  }

  async function onDead(queue: Outbox): Promise<void> {
    const dead = await queue.list({ state: 'dead' });
    if (disposed || dead.length === 0) return;
    toast(MESSAGE_KEYS.rejected, 'error', PRIORITY.rejected, null, text('rejected', dead.length), {
      // Changes the server refused are lost unless the user acts: say so assertively.
      politeness: 'assertive',
      actions: [
        { id: 'review', label: text('actionReview'), run: requestReview },
        { id: 'retry', label: text('actionRetry'), run: () => queue.retry('dead').then(() => undefined) },
        {
          id: 'discard',
          label: text('actionDiscard'),
          run: () => queue.discard(dead.map((e) => e.id)).then(() => undefined),
        },
      ],
    });
  }

  if (outbox) {
    subscriptions.push(
      outbox.stats$.subscribe(onOutboxStats),
      outbox.events$.subscribe((event) => {
        if (event.type === 'delivered') {
          if (telling) delivered.add(event.entry.id);
        } else if (event.type === 'retry-scheduled') {
          if (reachability === 'online') {
            trouble = true;
            // The queue is now worth showing even though the device is online.
            telling = true;
            onOutboxStats(outbox.stats);
          }
        } else if (event.type === 'dead-lettered') {
          void onDead(outbox);
        } else if (event.type === 'discarded') {
          for (const id of event.ids) discarded.add(id);
        }
      }),
    );
    // Writes left from before this page (queued offline, then reloaded) are part of its story.
    void outbox.list().then(
      (entries) => {
        const waiting = entries.filter((e) => e.state !== 'dead');
        if (disposed || waiting.length === 0) return;
        for (const e of waiting) told.add(e.id);
        telling = true;
        onOutboxStats(outbox.stats);
      },
      () => undefined,
    );
  }

  return {
    onStatus(status) {
      if (disposed) return;
      const previous = reachability;
      reachability = status.connectivity.status;
      situation = status.situation.kind;

      const banner = BANNERS[situation];
      // Posted when the situation changes, not on every status: a banner the user dismissed
      // stays dismissed until there is something new to say.
      if (banner && bannerFor !== situation) {
        bannerFor = situation;
        const storage = situation === 'storage';
        messages.post({
          key: MESSAGE_KEYS.situation,
          tone: banner.tone,
          placement: 'banner',
          priority: storage ? PRIORITY.storage : PRIORITY.situation,
          // Losing the device's copy of changes is the one situation worth interrupting for.
          politeness: storage ? 'assertive' : 'polite',
          ttlMs: null,
          text: text(banner.template),
        });
      } else if (!banner) {
        bannerFor = undefined;
        messages.dismiss(MESSAGE_KEYS.situation);
      }

      if (isOut(reachability)) {
        messages.dismiss(MESSAGE_KEYS.backOnline);
        if (previous === 'online') syncedDuringOutage = false;
      } else if (reachability === 'online' && isOut(previous)) {
        // Delivered before this page saw the network back (by the service worker, say):
        // "synced" already said it is over, and "back online" after it would be old news.
        if (!syncedDuringOutage) {
          toast(
            MESSAGE_KEYS.backOnline,
            'success',
            PRIORITY.backOnline,
            BACK_ONLINE_TTL_MS,
            text('backOnline'),
            news,
          );
        }
        syncedDuringOutage = false;
      }
      if (outbox) onOutboxStats(outbox.stats);
    },

    callFailed(kind, failure) {
      if (disposed || failure.category === 'aborted') return;
      // A lasting situation already explains a failed read; a failed write still needs saying.
      if (kind === 'read' && BANNERS[situation]) return;
      // The server answered and refused the write (a 4xx): saying it failed would invite a retry.
      const refused = kind === 'write' && !failure.retryable && meaningOf(failure).signal === 'alive';
      toast(
        MESSAGE_KEYS.callFailed(kind),
        kind === 'write' ? 'error' : 'warning',
        PRIORITY.call,
        CALL_FAILED_TTL_MS,
        refused ? text('rejected', 1) : text(kind === 'write' ? 'saveFailed' : 'loadFailed'),
        news,
      );
    },

    savedCopy(savedAt) {
      // Like a failed read: a lasting situation already explains why what shows is not live.
      // Otherwise the one thing worth saying is that it is a saved copy, and from when: the
      // call did not fail for the person, who sees their data, so nothing says "didn't load".
      if (disposed || BANNERS[situation]) return;
      toast(
        MESSAGE_KEYS.savedCopy,
        'info',
        PRIORITY.call,
        CALL_FAILED_TTL_MS,
        messages.template('savedCopy', { time: savedAtText(savedAt, clock.now()) }),
        news,
      );
    },

    dispose() {
      disposed = true;
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}
