import { fn, number, object, optional } from '../check/schema.js';
import { systemClock, type Clock } from '../clock.js';
import { clockSchema, parseOptions } from '../validate.js';
import { DEV } from '../dev.js';

/** What `watchFrustration` reports: the kind, the element it happened on and when (clock time). */
export interface FrustrationWatchSignal {
  kind: 'rage-click' | 'repeat-submit';
  target: Element;
  at: number;
}

/**
 * Options of `watchFrustration`. A rage click is by default 3 clicks within 1 000 ms and 30 px;
 * a repeated submit counts within 10 000 ms of the previous one.
 */
export interface FrustrationWatchOptions {
  /** ≥ `clicks` clicks within `withinMs`, all within `radiusPx` of the first (as PostHog and Datadog define it). */
  rageClick?: { clicks?: number; withinMs?: number; radiusPx?: number };
  repeatSubmit?: {
    /**
     * Whether the form's previous submission is still in flight. Default: the form's
     * `aria-busy="true"` or `data-bp-pending` attribute when the form uses either; otherwise
     * the same form submitted again with the same content within `withinMs`.
     */
    isPending?: (form: HTMLFormElement) => boolean;
    withinMs?: number;
  };
  clock?: Clock;
}

type RageClickOptions = NonNullable<FrustrationWatchOptions['rageClick']>;
type RepeatSubmitOptions = NonNullable<FrustrationWatchOptions['repeatSubmit']>;
const positiveMs = () => optional(number({ gt: 0 }));

const optionsSchema = () =>
  object<FrustrationWatchOptions>({
    rageClick: optional(
      object<RageClickOptions>({
        clicks: optional(number({ int: true, gte: 2 })),
        withinMs: positiveMs(),
        radiusPx: optional(number({ gte: 0 })),
      }),
    ),
    repeatSubmit: optional(
      object<RepeatSubmitOptions>({ isPending: optional(fn()), withinMs: positiveMs() }),
    ),
    clock: optional(clockSchema),
  });

interface Click {
  x: number;
  y: number;
  at: number;
}

interface Submission {
  at: number;
  content: string;
}

/**
 * Watches a document or element for signs that the user is frustrated, the kind that
 * usually means "nothing is happening": rage clicks and a form submitted again while its
 * previous submission is still pending. Feed what it reports to `predictor.signal()`.
 * Returns a function that stops watching.
 */
export function watchFrustration(
  root: Document | HTMLElement,
  onSignal: (s: FrustrationWatchSignal) => void,
  options: FrustrationWatchOptions = {},
): () => void {
  const rootGiven: unknown = root;
  const onSignalGiven: unknown = onSignal;
  if (
    typeof rootGiven !== 'object' ||
    rootGiven === null ||
    typeof (rootGiven as Partial<Record<'addEventListener', unknown>>).addEventListener !== 'function'
  ) {
    throw new TypeError('watchFrustration(): "root" must be a Document or an HTMLElement');
  }
  if (typeof onSignalGiven !== 'function')
    throw new TypeError('watchFrustration(): "onSignal" must be a function');
  if (DEV) parseOptions(optionsSchema(), options, 'watchFrustration()');
  const o = options;
  const clock = o.clock ?? systemClock;
  const clicksNeeded = o.rageClick?.clicks ?? 3;
  const withinMs = o.rageClick?.withinMs ?? 1_000;
  const radiusPx = o.rageClick?.radiusPx ?? 30;
  const submitWithinMs = o.repeatSubmit?.withinMs ?? 10_000;
  const isPending = o.repeatSubmit?.isPending;

  // The current run of nearby, quick clicks; bounded to the clicks a rage click needs.
  let run: Click[] = [];
  let firedForRun = false;
  const submissions = new WeakMap<HTMLFormElement, Submission>();

  function onClick(event: Event): void {
    const target = event.target;
    if (!isElement(target)) return;
    // Keyboard-activated clicks are MouseEvents at (0, 0): repeated Enter presses still count.
    const mouse = event as MouseEvent;
    const click: Click = { x: mouse.clientX, y: mouse.clientY, at: clock.now() };
    const first = run[0];
    const last = run[run.length - 1];
    const continues =
      first !== undefined &&
      last !== undefined &&
      click.at - last.at <= withinMs &&
      Math.hypot(click.x - first.x, click.y - first.y) <= radiusPx;
    if (!continues) {
      run = [];
      firedForRun = false;
    }
    run.push(click);
    // Only the clicks inside the time window matter; drop older ones so memory stays bounded.
    while (run.length > clicksNeeded || (run[0] !== undefined && click.at - run[0].at > withinMs))
      run.shift();
    if (!firedForRun && run.length >= clicksNeeded) {
      // One signal per burst: the tenth click of the same burst is not a new frustration.
      firedForRun = true;
      onSignal({ kind: 'rage-click', target, at: click.at });
    }
  }

  function onSubmit(event: Event): void {
    const form = event.target;
    if (!isForm(form)) return;
    const at = clock.now();
    const content = serialize(form);
    const previous = submissions.get(form);
    submissions.set(form, { at, content });
    if (previous === undefined) return;
    if (pending(form, previous, content, at)) onSignal({ kind: 'repeat-submit', target: form, at });
  }

  function pending(form: HTMLFormElement, previous: Submission, content: string, at: number): boolean {
    if (isPending) return isPending(form);
    const busy = form.getAttribute('aria-busy');
    const marker = form.getAttribute('data-bp-pending');
    // A form that tells its state is believed; otherwise "same content again, soon" stands in.
    if (busy !== null || marker !== null) return busy === 'true' || (marker !== null && marker !== 'false');
    return at - previous.at <= submitWithinMs && content === previous.content;
  }

  const listenerOptions = { capture: true, passive: true } as const;
  root.addEventListener('click', onClick, listenerOptions);
  root.addEventListener('submit', onSubmit, listenerOptions);
  return () => {
    root.removeEventListener('click', onClick, listenerOptions);
    root.removeEventListener('submit', onSubmit, listenerOptions);
    run = [];
  };
}

function isElement(value: EventTarget | null): value is Element {
  return value !== null && typeof (value as Element).tagName === 'string';
}

function isForm(value: EventTarget | null): value is HTMLFormElement {
  return isElement(value) && value.tagName === 'FORM';
}

/** The form's fields as text, to tell "submitted the same thing again" from "submitted something new". */
function serialize(form: HTMLFormElement): string {
  const parts: string[] = [];
  try {
    for (const [name, value] of new FormData(form)) {
      parts.push(`${name}=${typeof value === 'string' ? value : `[file ${value.name} ${value.size}]`}`);
    }
  } catch {
    return '';
  }
  return parts.join('&');
}
