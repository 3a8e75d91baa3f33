import { custom, fn, literal, number, object, optional, union, unknown } from '../check/schema.js';
import { systemClock, type Clock } from '../clock.js';
import { DEV } from '../dev.js';
import { clockSchema, hasMethods, nonEmptyStringSchema, parseOptions } from '../validate.js';

/** The slice of `localStorage` a last-good tier uses. */
export type LastGoodStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** How long a saved answer is served, where it is kept and how it is checked when read back. */
export interface LastGoodOptions<T> {
  /** The oldest saved answer still served, in ms. Default 24 hours. */
  maxAgeMs?: number;
  /**
   * Where answers are kept: `localStorage` by default (so they survive a reload and a crash),
   * any `Storage`-like object, or `false` for this page's memory only. A storage that refuses
   * (privacy modes, a full quota) leaves the answer in memory, and the copy it holds (another
   * tab's, perhaps) in place: the newer of the two is served. A copy written by a newer version
   * of the app is left alone and not served.
   */
  storage?: LastGoodStorage | false;
  /**
   * Turns what was read back into a `T`, throwing when it is not one: stored data outlives
   * the code that wrote it. A saved answer it refuses is dropped. Default: taken as it is.
   */
  parse?: (saved: unknown) => T;
  /** The longest answer kept, in characters of JSON; a longer one is not saved. Default 200 000. */
  maxChars?: number;
  clock?: Clock;
}

/** An answer saved from an earlier success. */
export interface SavedAnswer<T> {
  value: T;
  /** When it was saved (clock time): "saved copy from 10:42". */
  savedAt: number;
}

/**
 * The last successful answer for one key, kept across reloads: the tier between a live
 * answer and a fixed one. Give it as `protect()`'s `fallback` and every success is saved and
 * every failure answered with the saved copy, while it is younger than `maxAgeMs`; the result
 * says `savedAt` so the UI can say how old it is.
 */
export interface LastGood<T> {
  readonly key: string;
  /** Saves `value` as the last good answer (JSON: dates become strings, functions are left out). */
  remember(value: T): void;
  /** The saved answer, if there is one younger than `maxAgeMs`. */
  recall(): SavedAnswer<T> | undefined;
  /** Drops the saved answer (say, when the user signs out). */
  forget(): void;
}

const DAY_MS = 86_400_000;
/** A saved time this far ahead of the clock was written by a clock that was wrong, or by someone else. */
const FUTURE_SKEW_MS = 60_000;
const PREFIX = 'bulletproof:last-good:';
const VERSION = 1;

const optionsSchema = () =>
  optional(
    object<LastGoodOptions<unknown>>({
      maxAgeMs: optional(number({ gt: 0 })),
      storage: optional(
        union(
          literal(false),
          custom<LastGoodStorage>(
            (v) => hasMethods(v, 'getItem', 'setItem', 'removeItem'),
            'a Storage ({ getItem, setItem, removeItem })',
          ),
        ),
      ),
      parse: optional(fn()),
      maxChars: optional(number({ int: true, gte: 1 })),
      clock: optional(clockSchema),
    }),
  );

/** The stored envelope, checked field by field when read back (another tab or version may have written it). */
type Envelope = { v: number; at: number; value?: unknown };
const envelopeSchema = object<Envelope>(
  { v: literal(VERSION), at: number({ gte: 0 }), value: optional(unknown) },
  true,
);

function defaultStorage(): LastGoodStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Reading `localStorage` itself throws in sandboxed frames with storage blocked.
    return undefined;
  }
}

/** Every last-good tier made, so `protect()` tells one from a fallback value that happens to look like one. */
const tiers = new WeakSet<object>();

/** Memory for keys whose storage refused: the answer still serves this page. */
const memory = new Map<string, string>();

/**
 * A last-good tier for `key` (see `LastGood`). Tiers with the same key share the saved
 * answer, across tabs too when the storage is `localStorage`.
 */
export function lastGood<T>(key: string, options?: LastGoodOptions<T>): LastGood<T> {
  parseOptions(nonEmptyStringSchema, key, 'lastGood()', 'key');
  if (DEV) parseOptions(optionsSchema(), options, 'lastGood()');
  const maxAgeMs = options?.maxAgeMs ?? DAY_MS;
  const maxChars = options?.maxChars ?? 200_000;
  const clock = options?.clock ?? systemClock;
  const parse = options?.parse ?? ((saved: unknown) => saved as T);
  const storage = options?.storage === false ? undefined : (options?.storage ?? defaultStorage());
  const storageKey = PREFIX + key;

  const readStored = (): string | null => {
    try {
      return storage?.getItem(storageKey) ?? null;
    } catch {
      return null; // A storage that throws has nothing to give: memory may.
    }
  };
  const removeStored = () => {
    try {
      storage?.removeItem(storageKey);
    } catch {
      // Nothing more to do: a storage that cannot remove cannot be read back either.
    }
  };
  const removeKept = () => void memory.delete(storageKey);
  const forget = () => {
    removeKept();
    removeStored();
  };

  /**
   * The envelope `raw` holds, checked; undefined when there is none to serve. One that can never
   * be served (unreadable, from a wrong clock) is removed with `drop`; one written by a newer
   * version of the app (another tab, or before a downgrade) is left for it, unused.
   */
  const open = (raw: string | null | undefined, drop: () => void): Envelope | undefined => {
    // Longer than this tier saves: not worth parsing at every failure.
    if (raw === null || raw === undefined || raw.length > maxChars) return undefined;
    try {
      const envelope: unknown = JSON.parse(raw);
      const v = (envelope as { v?: unknown } | null)?.v;
      if (typeof v === 'number' && Number.isInteger(v) && v > VERSION) return undefined;
      const saved = parseOptions(envelopeSchema, envelope, 'lastGood()', 'saved answer');
      if (saved.at - clock.now() > FUTURE_SKEW_MS) throw new RangeError('saved in the future');
      return saved;
    } catch {
      drop();
      return undefined;
    }
  };

  const tier: LastGood<T> = {
    key,
    remember(value) {
      let json: string | undefined;
      try {
        json = JSON.stringify({ v: VERSION, at: clock.now(), value });
      } catch {
        return; // Not JSON (a cycle, a BigInt): there is nothing to keep.
      }
      if (json.length > maxChars) return;
      try {
        if (!storage) throw new Error('no storage');
        storage.setItem(storageKey, json);
        removeKept();
      } catch {
        // Kept for this page. The storage's older copy stays: another tab may have nothing else,
        // and `recall` serves whichever of the two is newer.
        memory.set(storageKey, json);
      }
    },
    recall() {
      const stored = open(readStored(), removeStored);
      const kept = open(memory.get(storageKey), removeKept);
      const newest = kept && (!stored || kept.at > stored.at) ? kept : stored;
      if (!newest || clock.now() - newest.at > maxAgeMs) return undefined;
      try {
        return { value: parse(newest.value), savedAt: newest.at };
      } catch {
        // Refused by `parse`: never served.
        if (newest === kept) removeKept();
        else removeStored();
        return undefined;
      }
    },
    forget,
  };
  tiers.add(tier);
  return tier;
}

/** Whether a `protect()` fallback is a last-good tier rather than a value or a function. */
export function isLastGood(value: unknown): value is LastGood<unknown> {
  return typeof value === 'object' && value !== null && tiers.has(value);
}
