import * as z from 'zod/mini';
import type { Clock } from '../clock.js';

type Issue = z.core.$ZodIssue;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function literals(issue: Issue): unknown[] | undefined {
  if (issue.code === 'invalid_value') return [...issue.values];
  if (issue.code !== 'invalid_union') return undefined;
  const values: unknown[] = [];
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const found = literals(inner);
      if (!found) return undefined;
      values.push(...found);
    }
  }
  return values;
}

function expectation(issue: Issue): string {
  const custom = issue.message && issue.message !== 'Invalid input' ? issue.message : undefined;
  if (custom) return custom;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'number' ? 'a finite number' : `of type ${issue.expected}`}`;
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`
        : `must have at least ${String(issue.minimum)} item(s)`;
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint'
        ? `must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`
        : `must have at most ${String(issue.maximum)} item(s)`;
    case 'invalid_value':
    case 'invalid_union': {
      const values = literals(issue);
      return values && values.length > 0
        ? `must be one of ${values.map((v) => describe(v)).join(', ')}`
        : 'does not match any accepted shape';
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return 'is invalid';
  }
}

/**
 * Validates factory options against a `zod/mini` schema and returns the parsed value.
 * A bad option throws a `TypeError` that names the factory, the option path, what was
 * expected and what was received, e.g.
 * `retry(): option "maxAttempts" must be ≥ 1 (received 0)`.
 */
export function parseOptions<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map((key) => String(key)).join('.');
    const subject = path ? `option "${path}"` : 'options';
    return `${subject} ${expectation(issue)} (received ${describe(valueAt(value, issue.path))})`;
  });
  return throwTypeError(`${where}: ${problems.join('; ')}`);
}

function throwTypeError(message: string): never {
  throw new TypeError(message);
}

/** A schema for a function-valued option (callbacks such as `retryIf`). */
export function fnSchema<F extends (...args: never[]) => unknown>(): z.ZodMiniCustom<F, F> {
  return z.custom<F>((v: unknown) => typeof v === 'function', { message: 'must be a function' });
}

/** A schema for an injected `Clock`. */
export const clockSchema = z.custom<Clock>(
  (v: unknown) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Partial<Clock>).now === 'function' &&
    typeof (v as Partial<Clock>).setTimeout === 'function' &&
    typeof (v as Partial<Clock>).clearTimeout === 'function',
  { message: 'must be a Clock ({ now, setTimeout, clearTimeout })' },
);

/** A non-negative, finite number of milliseconds. */
export const msSchema = z.number().check(z.gte(0));

/** A fraction in (0, 1]. */
export const rateSchema = z.number().check(z.gt(0), z.lte(1));
