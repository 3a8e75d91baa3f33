import * as z from 'zod/mini';
import type { Policy } from '../policy/types.js';
import { clockSchema, methodsSchema, nonEmptyStringSchema, parseOptions } from '../validate.js';
import type { ProtectionOptions, ProtectOptions } from './types.js';

const WHERE = 'createProtection()';

/** A section handed to another factory, which checks its fields (and names them, see `withinSection`). */
const section = z.looseObject({});

const dependencySchema = z.strictObject({
  policy: z.optional(methodsSchema<Policy>(['execute'], 'must be a Policy ({ execute })')),
  critical: z.optional(z.boolean()),
});

const optionsSchema = z.optional(
  z.strictObject({
    dependencies: z.optional(z.record(z.string(), dependencySchema)),
    connectivity: z.optional(z.union([z.literal(false), section])),
    outbox: z.optional(z.union([z.literal(false), section])),
    predictor: z.optional(z.union([z.literal(false), section])),
    degradation: z.optional(section),
    messages: z.optional(section),
    clock: z.optional(clockSchema),
    // Checked by the connectivity monitor, which uses it.
    window: z.optional(z.unknown()),
  }),
);

/**
 * Checks `createProtection`'s own options: the top level strictly (unknown keys refused by
 * name), each dependency, and that every section is an object or `false`. What is inside a
 * section is checked by the factory it goes to, through `withinSection`.
 */
export function parseProtectionOptions(o: ProtectionOptions | undefined): ProtectionOptions {
  parseOptions(optionsSchema, o, WHERE);
  // Checked: the caller's own objects go on to the factories, as given.
  return o ?? {};
}

/**
 * Runs a factory on the options of one section, so that its option error names the full
 * path: `createProtection(): option "outbox.maxAttempts" must be ≥ 1 (received 0)`.
 */
export function withinSection<T>(path: string, build: () => T): T {
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

const protectOptionsSchema = z.optional(
  z.strictObject({
    // Checked where they are used, with errors of their own.
    dependency: z.optional(z.unknown()),
    idempotent: z.optional(z.boolean()),
    idempotencyKey: z.optional(nonEmptyStringSchema),
    fallback: z.optional(z.unknown()),
    signal: z.optional(z.unknown()),
    kind: z.optional(z.enum(['read', 'write'])),
    offline: z.optional(
      z.strictObject({ type: z.unknown(), payload: z.unknown(), channel: z.optional(z.string()) }),
    ),
    silent: z.optional(z.boolean()),
  }),
);

/**
 * Checks one `protect()` call's options for what its own checks do not cover: unknown keys
 * (a misspelt `offline` would let the write fail instead of queueing it), `kind`, `silent`,
 * `idempotent` and `idempotencyKey`.
 */
export function checkProtectOptions<T>(name: string, o: ProtectOptions<T> | undefined): void {
  parseOptions(protectOptionsSchema, o, `protect(${JSON.stringify(name)})`);
}
