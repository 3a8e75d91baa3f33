import {
  array,
  fn,
  literal,
  nullable,
  number,
  object,
  optional,
  record,
  string,
  union,
  unknown,
  type Schema,
} from '../check/schema.js';
import { systemClock, setTimer } from '../clock.js';
import { ValueEmitter } from '../observable.js';
import { clockSchema, nonEmptyStringSchema, parseOptions, positiveMsSchema } from '../validate.js';
import { createTemplateFormatter, type TemplateParams } from './format-template.js';
import { defaultTemplates, templateIds, type TemplateId, type Templates } from './templates.js';
import { usableTemplates, validateTemplates } from './validate-templates.js';
import type {
  Message,
  MessageAction,
  MessageCenter,
  MessageCenterOptions,
  MessageInput,
  Politeness,
  Tone,
  VisibleMessages,
} from './types.js';
import { DEV } from '../dev.js';

/** Toasts are events: long enough to read a sentence or two, short enough not to pile up. */
export const DEFAULT_TOAST_TTL_MS = 6_000;

/** Without an explicit priority, what matters more to the user shows first. */
const TONE_PRIORITY: Readonly<Record<Tone, number>> = { error: 3, warning: 2, info: 1, success: 0 };

const count = () => optional(number({ int: true, gte: 0 }));

const optionsSchema = () =>
  object<MessageCenterOptions>({
    maxToasts: count(),
    maxBanners: count(),
    // Checked by validateTemplates, for field-precise errors.
    templates: optional(unknown as Schema<Partial<Templates>>),
    locale: optional(nonEmptyStringSchema),
    clock: optional(clockSchema),
    onActionError: optional(fn()),
  });

const inputSchema = object<MessageInput>({
  key: nonEmptyStringSchema,
  tone: literal('info', 'success', 'warning', 'error'),
  text: nonEmptyStringSchema,
  title: optional(string()),
  placement: optional(literal('banner', 'toast')),
  priority: optional(number()),
  ttlMs: optional(nullable(positiveMsSchema)),
  actions: optional(
    array(
      object<MessageAction>({ id: nonEmptyStringSchema, label: nonEmptyStringSchema, run: optional(fn()) }),
    ),
  ),
  staleAfterMs: optional(number({ gt: 0 })),
  politeness: optional(literal('polite', 'assertive')),
});

const paramsSchema = record(union(string(), number()));

interface Entry {
  message: Message;
  /** Order of the latest post: "newest" means the most recently posted or updated. */
  seq: number;
}

interface TtlTimer {
  handle: unknown;
  /** The version of the message the timer was started for; an update restarts it. */
  message: Message;
}

/**
 * One place every part of the app reports to. Messages are keyed (a repeated
 * situation updates one message and bumps its count()), capped per placement, and
 * queued beyond the caps; the highest priority, then the newest, is shown.
 */
export function createMessageCenter(options: MessageCenterOptions = {}): MessageCenter {
  if (DEV) parseOptions(optionsSchema(), options, 'createMessageCenter()');
  const o = options;
  const maxToasts = o.maxToasts ?? 1;
  const maxBanners = o.maxBanners ?? 1;
  const clock = o.clock ?? systemClock;
  const locale = canonicalLocale(o.locale ?? 'en');
  const templates: Templates = {
    ...defaultTemplates,
    ...(DEV ? validateTemplates(o.templates, 'createMessageCenter()') : usableTemplates(o.templates)),
  };
  const format = createTemplateFormatter(locale);
  const reportActionError = o.onActionError ?? reportError;

  const entries = new Map<string, Entry>();
  const timers = new Map<string, TtlTimer>();
  let seq = 0;
  let queued = 0;
  let disposed = false;
  const visibleSubject = new ValueEmitter<VisibleMessages>(Object.freeze({ banners: [], toasts: [] }));

  const rank = (a: Entry, b: Entry): number => b.message.priority - a.message.priority || b.seq - a.seq;

  /** Recomputes what shows, keeps TTL timers in step with it, and emits only on change. */
  const refresh = (): void => {
    const banners: Entry[] = [];
    const toasts: Entry[] = [];
    const onScreen = visibleSubject.value;
    const shownKeys = new Set([...onScreen.banners, ...onScreen.toasts].map((m) => m.key));
    const now = clock.now();
    for (const [key, entry] of entries) {
      const { staleAfterMs, updatedAt } = entry.message;
      // Old news is dropped rather than shown late; what is on screen already stays its TTL.
      if (staleAfterMs !== undefined && !shownKeys.has(key) && now - updatedAt >= staleAfterMs) {
        entries.delete(key);
        continue;
      }
      (entry.message.placement === 'banner' ? banners : toasts).push(entry);
    }
    const shownBanners = banners
      .sort(rank)
      .slice(0, maxBanners)
      .map((e) => e.message);
    const shownToasts = toasts
      .sort(rank)
      .slice(0, maxToasts)
      .map((e) => e.message);
    queued = entries.size - shownBanners.length - shownToasts.length;
    syncTimers(shownBanners, shownToasts);

    const previous = visibleSubject.value;
    if (sameMessages(previous.banners, shownBanners) && sameMessages(previous.toasts, shownToasts)) return;
    visibleSubject.next(
      Object.freeze({ banners: Object.freeze(shownBanners), toasts: Object.freeze(shownToasts) }),
    );
  };

  // A TTL counts time on screen: a queued message keeps its whole TTL until it shows.
  const syncTimers = (banners: readonly Message[], toasts: readonly Message[]): void => {
    const shown = new Set<Message>([...banners, ...toasts]);
    for (const [key, timer] of timers) {
      if (!shown.has(timer.message)) {
        clock.clearTimeout(timer.handle);
        timers.delete(key);
      }
    }
    for (const message of shown) {
      if (message.ttlMs === null || timers.has(message.key)) continue;
      const handle = setTimer(
        clock,
        () => {
          if (timers.get(message.key)?.message !== message) return;
          timers.delete(message.key);
          remove(message.key);
        },
        message.ttlMs,
      );
      timers.set(message.key, { handle, message });
    }
  };

  const remove = (key: string): boolean => {
    if (!entries.delete(key)) return false;
    refresh();
    return true;
  };

  const toMessage = (input: MessageInput, previous: Message | undefined, now: number): Message => {
    const placement = input.placement ?? 'toast';
    const actions = Object.freeze((input.actions ?? []).map((a) => Object.freeze({ ...a })));
    const ttlMs =
      input.ttlMs !== undefined
        ? input.ttlMs
        : placement === 'banner' || input.tone === 'error' || actions.length > 0
          ? null
          : DEFAULT_TOAST_TTL_MS;
    // Assertive interrupts a screen reader mid-sentence: reserved for errors. Coerced
    // rather than thrown, because posts happen on failure paths where a throw would
    // hide the very problem the message is about.
    const politeness: Politeness =
      input.politeness === 'assertive' && input.tone === 'error' ? 'assertive' : 'polite';
    const message: Message = {
      key: input.key,
      tone: input.tone,
      text: input.text,
      placement,
      priority: input.priority ?? TONE_PRIORITY[input.tone],
      ttlMs,
      actions,
      politeness,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      count: (previous?.count ?? 0) + 1,
    };
    if (input.title !== undefined) message.title = input.title;
    if (input.staleAfterMs !== undefined) message.staleAfterMs = input.staleAfterMs;
    return Object.freeze(message);
  };

  return {
    post(m) {
      const input = parseOptions(inputSchema, m, 'post()', 'message');
      const ids = new Set<string>();
      for (const action of input.actions ?? []) {
        if (ids.has(action.id))
          throw new TypeError(`post(): message field "actions" has the id "${action.id}" twice`);
        ids.add(action.id);
      }
      if (disposed) return input.key;
      const previous = entries.get(input.key)?.message;
      entries.set(input.key, { message: toMessage(input, previous, clock.now()), seq: ++seq });
      refresh();
      return input.key;
    },

    dismiss(key) {
      remove(key);
    },

    clear() {
      if (entries.size === 0) return;
      entries.clear();
      refresh();
    },

    async act(key, actionId) {
      const entry = entries.get(key);
      const action = entry?.message.actions.find((a) => a.id === actionId);
      if (!entry || !action) return;
      remove(key);
      try {
        await action.run?.();
      } catch (error) {
        // Put the message back so the user can try again, unless something newer took its key.
        if (!disposed && !entries.has(key)) {
          entries.set(key, { message: Object.freeze({ ...entry.message }), seq: ++seq });
          refresh();
        }
        try {
          reportActionError(error, { key, actionId });
        } catch {
          // A failing error reporter must not turn a handled action error into a rejection.
        }
      }
    },

    visible$: visibleSubject.observable,

    get visible() {
      return visibleSubject.value;
    },

    get queued() {
      return queued;
    },

    template(id: TemplateId, params?: Record<string, string | number>) {
      if (!templateIds.includes(id)) {
        throw new TypeError(
          `template(): unknown template id ${JSON.stringify(id)}; known: ${templateIds.join(', ')}`,
        );
      }
      const checked: TemplateParams | undefined =
        params === undefined ? undefined : parseOptions(paramsSchema, params, `template("${id}")`, 'params');
      return format(templates[id], checked);
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      for (const timer of timers.values()) clock.clearTimeout(timer.handle);
      timers.clear();
      entries.clear();
      queued = 0;
      visibleSubject.complete();
    },
  };
}

function sameMessages(a: readonly Message[], b: readonly Message[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

function canonicalLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical) return canonical;
  } catch {
    // reported below with the option's name
  }
  throw new TypeError(
    `createMessageCenter(): option "locale" must be a BCP 47 language tag (received ${JSON.stringify(locale)})`,
  );
}

function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else console.error(error);
}
