import type { Observable } from '../observable.js';
import type { Clock } from '../clock.js';
import type { TemplateId, Templates } from './templates.js';

/** What kind of news a message is; it sets the default `priority` and which messages stay until dismissed. */
export type Tone = 'info' | 'success' | 'warning' | 'error';
/** `banner`: a lasting situation, shown until it is over; `toast`: an event, shown for a while. */
export type Placement = 'banner' | 'toast';
/** How a screen reader announces the message: `assertive` interrupts, `polite` waits its turn. */
export type Politeness = 'polite' | 'assertive';

/** A button on a message: `id` names it in `act(key, id)`, `label` is the text shown. */
export interface MessageAction {
  id: string;
  label: string;
  /** Runs when the user picks the action; its errors are reported, never thrown at the center. */
  run?: () => void | Promise<void>;
}

/** A message to post to the message center; only `key`, `tone` and `text` are required. */
export interface MessageInput {
  /** One message per key: posting the same key again updates it in place. */
  key: string;
  tone: Tone;
  /** Plain text, never HTML. */
  text: string;
  title?: string;
  /** Default `'toast'`. Banners are persistent states, toasts are events. */
  placement?: Placement;
  /** Higher shows first. Default from the tone: error 3, warning 2, info 1, success 0. */
  priority?: number;
  /**
   * Time on screen before it dismisses itself; `null` keeps it until dismissed.
   * Default: banners `null`; toasts 6 000 ms, except errors and toasts with actions,
   * which stay until dismissed so nobody loses a message they must act on.
   */
  ttlMs?: number | null;
  actions?: readonly MessageAction[];
  /**
   * A message still held back by the caps this long after it was posted is dropped
   * instead of shown: news of a moment ("You're back online") is stale by then.
   * Default: kept until it shows.
   */
  staleAfterMs?: number;
  /** Default `'polite'`; `'assertive'` is honoured only for `error` tone, otherwise it becomes polite. */
  politeness?: Politeness;
}

/** A message as the center holds it: every default resolved, immutable (a change is a new object). */
export interface Message extends MessageInput {
  placement: Placement;
  priority: number;
  ttlMs: number | null;
  politeness: Politeness;
  actions: readonly MessageAction[];
  createdAt: number;
  updatedAt: number;
  /** How many times this key was posted since it appeared. */
  count: number;
}

/** What is on screen now: the banners and the toasts the caps let through, highest priority first. */
export interface VisibleMessages {
  banners: readonly Message[];
  toasts: readonly Message[];
}

/** Options of `createMessageCenter`: how many messages show at once and the texts they are written with. */
export interface MessageCenterOptions {
  /**
   * Toasts visible at once; default 1, so the user hears one event at a time. The rest
   * wait by priority (a waiting toast keeps its whole time on screen for when it shows).
   */
  maxToasts?: number;
  /** Banners visible at once; default 1: one lasting situation at a time. */
  maxBanners?: number;
  /** Replace some or all of the default English texts. */
  templates?: Partial<Templates>;
  /** Language of the templates, for plural rules and number formatting. Default `'en'`. */
  locale?: string;
  clock?: Clock;
  /**
   * Where an action's error goes. Default: `reportError` (the browser's way to
   * surface an error without breaking the caller), else `console.error`.
   */
  onActionError?: (error: unknown, context: { key: string; actionId: string }) => void;
}

/**
 * Every message the app shows the people using it, one per key, capped so they hear one story
 * at a time (made by `createMessageCenter`).
 */
export interface MessageCenter {
  /** Shows or updates the message with `m.key`; returns the key. */
  post(m: MessageInput): string;
  /** Removes the message with `key`, shown or queued, and lets the next queued one show; an unknown key does nothing. */
  dismiss(key: string): void;
  /** Removes every message, shown and queued. */
  clear(): void;
  /**
   * Runs an action of a visible or queued message. The message is dismissed at
   * once (acting answers it, and a double click cannot run it twice); when `run`
   * fails the message comes back so the user can try again, and the error goes to
   * `onActionError`. Resolves in every case; a key or action that no longer exists
   * (the message expired or changed under the user's pointer) does nothing.
   */
  act(key: string, actionId: string): Promise<void>;
  /** Emits a new object only when what is visible changed. */
  readonly visible$: Observable<VisibleMessages>;
  /** The current value of `visible$`, for synchronous readers (`useSyncExternalStore`). */
  readonly visible: VisibleMessages;
  /** Messages held back by the caps. */
  readonly queued: number;
  /** A template's text with params filled in. */
  template(id: TemplateId, params?: Record<string, string | number>): string;
  /** Stops every timer and completes `visible$`; later posts are ignored. */
  dispose(): void;
}
