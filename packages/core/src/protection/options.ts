import {
  boolean,
  custom,
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
/** A part the app passes in: the function that makes it (`createOutbox`, `createPredictor`), or `false`. */
const partOrFalse = () =>
  optional(
    union(
      literal(false),
      custom<never>((v) => typeof v === 'function', 'a function that makes the part, such as createOutbox'),
    ),
  );

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
      outbox: partOrFalse(),
      predictor: partOrFalse(),
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
