import {
  boolean,
  isRecord,
  literal,
  object,
  optional,
  record,
  string,
  union,
  unknown,
  type Schema,
} from '../check/schema.js';
import type { Policy } from '../policy/types.js';
import { clockSchema, methodsSchema, nonEmptyStringSchema, parseOptions } from '../validate.js';
import type { DependencyOptions, ProtectionOptions, ProtectOptions } from './types.js';
import { DEV } from '../dev.js';

const WHERE = 'createProtection()';

/** A section handed to another factory, which checks its fields (and names them, see `withinSection`). */
const section = /* @__PURE__ */ object<object>({}, true) as Schema<never>;
const sectionOrFalse = () => optional(union(literal(false), section));
/**
 * A part the app passes in: `factory` itself, a function that calls it, or `false`. The options
 * object the part took before it was passed in is refused with the form that replaces it.
 */
const partOrFalse = (factory: string) =>
  optional<never>((value, path, issues) => {
    if (value === false || typeof value === 'function') return;
    issues.push({
      path,
      message: isRecord(value)
        ? `must be ${factory} or a function that calls it, (parts) => ${factory}({ ...parts, ...options }): the options object form was removed`
        : `must be false, ${factory} or a function that calls it`,
    });
  });

const dependencySchema = () =>
  record(
    object<DependencyOptions>({
      policy: optional(methodsSchema<Policy>(['execute'], 'a Policy ({ execute })')),
      critical: optional(boolean),
      kind: optional(literal('read', 'write')),
      silent: optional(boolean),
    }),
  );

const optionsSchema = () =>
  optional(
    object<ProtectionOptions>({
      dependencies: optional((value, path, issues) => {
        if (isRecord(value)) dependencySchema()(value, path, issues);
        else issues.push({ path, message: 'must be a record' });
      }),
      connectivity: sectionOrFalse(),
      outbox: partOrFalse('createOutbox'),
      predictor: partOrFalse('createPredictor'),
      degradation: optional(section),
      messages: optional(section),
      clock: optional(clockSchema),
      // Checked by the connectivity monitor, which uses it.
      window: optional(unknown as Schema<NonNullable<ProtectionOptions['window']>>),
    }),
  );

/**
 * Checks `createProtection`'s own options: the top level strictly (unknown keys refused by
 * name), each dependency, and that every section is an object or `false`. What is inside a
 * section is checked by the factory it goes to, through `withinSection`.
 */
export function parseProtectionOptions(o: ProtectionOptions | undefined): ProtectionOptions {
  if (DEV) parseOptions(optionsSchema(), o, WHERE);
  // Checked: the caller's own objects go on to the factories, as given.
  return o ?? {};
}

/**
 * Runs a factory on the options of one section, so that its option error names the full
 * path: `createProtection(): option "outbox.maxAttempts" must be ≥ 1 (received 0)`.
 */
export function withinSection<T>(path: string, build: () => T): T {
  // Option errors are the development build's (see dev.ts): in production there is none to name.
  if (!DEV) return build();
  try {
    return build();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const message = error.message.replace(/^[\w.]+\(\): /, '');
    if (message === error.message) throw error;
    const named = message.replace(/option(s?) "([^"]+)"/g, `option$1 "${path}.$2"`);
    throw new TypeError(`${WHERE}: ${named}`, { cause: error });
  }
}

/** What a part function returned, for the development build's error. */
const made = (value: unknown): string =>
  value == null
    ? `${String(value)}: is a return missing?`
    : typeof (value as { then?: unknown }).then === 'function'
      ? 'a Promise: make the part synchronously'
      : typeof value === 'object'
        ? 'an object'
        : typeof value;

/**
 * Makes a part the app passed in (`option` is `createOutbox`, say, or a function calling it) from
 * `parts`, in both builds: what it makes must have `method`, else it is refused here, by name,
 * rather than failing later where the protection first uses it. `undefined` when there is none.
 */
export function makePart<T>(
  name: 'outbox' | 'predictor',
  option: ((parts: never) => T) | false | undefined,
  parts: object,
  method: keyof T & string,
): T | undefined {
  if (!option) return undefined;
  // Unchecked in production: an options object where the function goes (the removed form) ends up here.
  const part = typeof option === 'function' ? withinSection(name, () => option(parts as never)) : undefined;
  if (typeof (part as Record<string, unknown> | undefined)?.[method] === 'function') return part;
  // A part made asynchronously is not used: it must not stay open (a database, a tab channel).
  void (part as Partial<PromiseLike<{ close?: () => unknown } | undefined>> | undefined)?.then?.(
    (later) => later?.close?.(),
    () => undefined,
  );
  throw new TypeError(
    DEV
      ? `${WHERE}: option "${name}" must return ${name === 'outbox' ? 'an outbox, as createOutbox' : 'a predictor, as createPredictor'} does (it returned ${made(part)})`
      : `${WHERE}: bad option "${name}"`,
  );
}

// Checked where they are used, with errors of their own.
const checkedLater = () => optional(unknown as Schema<never>);

const protectOptionsSchema = () =>
  optional(
    object<ProtectOptions<unknown>>({
      dependency: checkedLater(),
      idempotent: optional(boolean),
      idempotencyKey: optional(nonEmptyStringSchema),
      // A value (any at all), a function of the failure or a `lastGood()` tier: nothing to refuse.
      fallback: optional(unknown as Schema<never>),
      signal: checkedLater(),
      kind: optional(literal('read', 'write')),
      offline: optional(
        object<NonNullable<ProtectOptions<unknown>['offline']>>({
          type: unknown as Schema<string>,
          payload: optional(unknown),
          channel: optional(string()),
        }),
      ),
      silent: optional(boolean),
    }),
  );

/**
 * Checks one `protect()` call's options for what its own checks do not cover: unknown keys
 * (a misspelt `offline` would let the write fail instead of queueing it), `kind`, `silent`,
 * `idempotent` and `idempotencyKey`.
 */
export function checkProtectOptions<T>(name: string, o: ProtectOptions<T> | undefined): void {
  if (DEV) parseOptions(protectOptionsSchema(), o, `protect(${JSON.stringify(name)})`);
}
