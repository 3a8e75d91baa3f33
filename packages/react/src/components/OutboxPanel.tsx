import type { DeadReason, OutboxEntry } from '@bulletproof/core';
import { useEffect, useId, useRef, useState } from '../react.js';
import type { ReactNode } from 'react';
import { useProtection } from '../context/BulletproofProvider.js';
import { useOutbox } from '../hooks/useOutbox.js';
import { useText, type TextOf } from '../hooks/useText.js';

/** Every text the panel shows; by default from the message templates (`outbox*`, `actionRetry`, `actionDiscard`). */
export interface OutboxPanelLabels {
  heading: string;
  empty: string;
  pending: string;
  dead: string;
  selectAll: string;
  retry: string;
  discard: string;
  /** The question asked before discarding `count` changes. */
  confirmDiscard: (count: number) => string;
  confirm: string;
  cancel: string;
  /** Said once `count` changes were queued to be sent again. */
  retried: (count: number) => string;
  /** Said once `count` changes were discarded. */
  discarded: (count: number) => string;
  failed: string;
  waiting: string;
  sending: string;
  lastFailure: string;
  memory: string;
  paused: string;
  deadReasons: Record<DeadReason, string>;
}

function labelsFrom(text: TextOf): OutboxPanelLabels {
  return {
    heading: text('outboxHeading'),
    empty: text('outboxEmpty'),
    pending: text('outboxPending'),
    dead: text('outboxDead'),
    selectAll: text('outboxSelectAll'),
    retry: text('actionRetry'),
    discard: text('actionDiscard'),
    confirmDiscard: (count) => text('outboxConfirmDiscard', { count }),
    confirm: text('outboxConfirm'),
    cancel: text('outboxCancel'),
    retried: (count) => text('outboxRetried', { count }),
    discarded: (count) => text('outboxDiscarded', { count }),
    failed: text('outboxActionFailed'),
    waiting: text('outboxWaiting'),
    sending: text('outboxSending'),
    lastFailure: text('outboxLastFailure'),
    memory: text('outboxMemory'),
    paused: text('outboxPaused'),
    deadReasons: {
      rejected: text('outboxDeadRejected'),
      expired: text('outboxDeadExpired'),
      'max-attempts': text('outboxDeadMaxAttempts'),
      invalid: text('outboxDeadInvalid'),
      'unknown-type': text('outboxDeadUnknownType'),
    },
  };
}

/** Props of `OutboxPanel`: its texts, its heading level, how entries are described and when it shows. */
export interface OutboxPanelProps {
  className?: string;
  labels?: Partial<OutboxPanelLabels>;
  /** Level of the panel's heading; its two groups use the next level. Default 2. */
  headingLevel?: 1 | 2 | 3 | 4 | 5;
  /**
   * What an entry is, for people: say what the change was ("Save “Nest count”"). Default: the
   * `outboxEntry` template with the time it was made, since the SDK cannot know what a request
   * means to the user (and a method and URL mean nothing to them).
   */
  describe?: (entry: OutboxEntry) => ReactNode;
  /** Render nothing while the outbox is empty. Default false. */
  hideWhenEmpty?: boolean;
  /**
   * When the user picks "Review" on a message about refused changes
   * (`review-requested`), scroll the panel into view and focus its heading. Default true.
   */
  focusOnReview?: boolean;
}

/** The developer's description of an entry (type, or method and URL, and time): for dashboards and logs. */
export function describeEntry(entry: OutboxEntry): string {
  const p = entry.payload as { method?: unknown; url?: unknown } | null;
  const what =
    entry.type === 'http' && typeof p?.url === 'string' ? `${String(p.method)} ${p.url}` : entry.type;
  return `${what} · ${new Date(entry.createdAt).toLocaleString()}`;
}

/**
 * Why an entry is where it is, in the user's words: the server's own explanation when it gave
 * one ("Title must not be empty"), never the developer's message with its status and URL.
 */
function reasonOf(entry: OutboxEntry, l: OutboxPanelLabels): string {
  const detail = entry.lastFailure?.detail;
  if (entry.state === 'dead') {
    const why = l.deadReasons[entry.deadReason ?? 'rejected'];
    return detail ? `${why}: ${detail}` : why;
  }
  if (entry.state === 'in-flight') return l.sending;
  return entry.lastFailure ? l.lastFailure : l.waiting;
}

/**
 * The outbox for people: writes still waiting and writes given up on, each with
 * its reason; select some or all, retry them or discard them. Discarding asks
 * for confirmation inline first. Results are announced in a status region.
 */
export function OutboxPanel({
  className,
  labels,
  headingLevel = 2,
  describe,
  hideWhenEmpty = false,
  focusOnReview = true,
}: OutboxPanelProps): ReactNode {
  const text = useText();
  const l = { ...labelsFrom(text), ...labels };
  const protection = useProtection();
  const { stats, pending, dead, retry, discard } = useOutbox();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const id = useId();
  const rootRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const discardRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Where focus goes when the confirm step closes; null = leave it alone.
  const returnFocus = useRef(false);

  const all = [...pending, ...dead];
  // The selection never names entries that are gone (delivered, discarded elsewhere).
  const chosen = all.filter((e) => selected.has(e.id)).map((e) => e.id);
  const none = chosen.length === 0;

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (returnFocus.current) discardRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  useEffect(() => {
    if (!focusOnReview) return;
    const subscription = protection.events$.subscribe((event) => {
      if (event.type !== 'review-requested') return;
      // The user asked to see the panel: this is the one time it takes focus.
      // Optional call: jsdom and some embedded browsers have no scrollIntoView.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      rootRef.current?.scrollIntoView?.({ block: 'nearest' });
      headingRef.current?.focus();
    });
    return () => {
      subscription.unsubscribe();
    };
  }, [protection, focusOnReview]);

  if (hideWhenEmpty && all.length === 0 && !notice) return null;

  const toggle = (entryId: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(entryId)) next.add(entryId);
      return next;
    });
  };

  const apply = async (what: 'retry' | 'discard') => {
    returnFocus.current = confirming;
    setConfirming(false);
    setBusy(true);
    try {
      const n = await (what === 'retry' ? retry(chosen) : discard(chosen));
      setNotice(what === 'retry' ? l.retried(n) : l.discarded(n));
      setSelected(new Set());
    } catch {
      setNotice(l.failed);
    } finally {
      setBusy(false);
    }
  };

  const Heading = `h${headingLevel}` as 'h2';
  const GroupHeading = `h${headingLevel + 1}` as 'h3';
  const group = (key: 'pending' | 'dead', entries: OutboxEntry[]) =>
    entries.length > 0 && (
      <div data-bp-group={key}>
        <GroupHeading>{l[key]}</GroupHeading>
        <ul>
          {entries.map((e) => (
            <li key={e.id} data-bp-entry={e.state}>
              <input
                type="checkbox"
                id={`${id}${e.id}`}
                checked={selected.has(e.id)}
                onChange={() => {
                  toggle(e.id);
                }}
                aria-describedby={`${id}${e.id}-why`}
              />
              <label htmlFor={`${id}${e.id}`}>
                {describe
                  ? describe(e)
                  : text('outboxEntry', { time: new Date(e.createdAt).toLocaleString() })}
              </label>
              <span id={`${id}${e.id}-why`} data-bp-reason="">
                {reasonOf(e, l)}
              </span>
            </li>
          ))}
        </ul>
      </div>
    );

  // aria-disabled rather than disabled: a button that turns disabled under the user's
  // focus drops that focus to the page; this one stays focused and does nothing.
  const inert = none || busy;
  return (
    <section ref={rootRef} className={className} data-bp-outbox="" aria-labelledby={`${id}h`}>
      <Heading id={`${id}h`} ref={headingRef} tabIndex={-1}>
        {l.heading}
      </Heading>
      {stats.storage === 'memory' && <p data-bp-warning="memory">{l.memory}</p>}
      {stats.paused && <p data-bp-warning="paused">{l.paused}</p>}
      {all.length === 0 ? (
        <p data-bp-empty="">{l.empty}</p>
      ) : (
        <>
          <div data-bp-actions="">
            <label>
              <input
                type="checkbox"
                checked={chosen.length === all.length}
                ref={(el) => {
                  if (el) el.indeterminate = !none && chosen.length < all.length;
                }}
                onChange={() => {
                  setSelected(new Set(chosen.length === all.length ? [] : all.map((e) => e.id)));
                }}
              />
              {l.selectAll}
            </label>
            <button
              type="button"
              data-bp-retry=""
              aria-disabled={inert}
              onClick={() => void (inert || apply('retry'))}
            >
              {l.retry}
              {none ? '' : ` (${chosen.length})`}
            </button>
            <button
              type="button"
              ref={discardRef}
              data-bp-discard=""
              aria-disabled={inert}
              aria-expanded={confirming}
              onClick={() => {
                if (!inert) setConfirming(true);
              }}
            >
              {l.discard}
              {none ? '' : ` (${chosen.length})`}
            </button>
          </div>
          {confirming && !none && (
            <div role="group" aria-labelledby={`${id}q`} data-bp-confirm="">
              <p id={`${id}q`}>{l.confirmDiscard(chosen.length)}</p>
              <button type="button" data-bp-confirm-discard="" onClick={() => void apply('discard')}>
                {l.confirm}
              </button>
              <button
                type="button"
                ref={cancelRef}
                onClick={() => {
                  returnFocus.current = true;
                  setConfirming(false);
                }}
              >
                {l.cancel}
              </button>
            </div>
          )}
          {group('pending', pending)}
          {group('dead', dead)}
        </>
      )}
      <p role="status" data-bp-notice="">
        {notice}
      </p>
    </section>
  );
}
