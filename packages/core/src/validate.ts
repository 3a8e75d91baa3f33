import * as z from 'zod/mini';
import { MAX_TIMER_MS, type Clock } from './clock.js';

// zod/mini ships without English messages (they would cost bundle size), so every
// message is built here from the issue's structured data, in one wording for the
// whole package.

type Issue = z.core.$ZodIssue;

const OPTIONS = 'options';

/**
 * Validates a value against a `zod/mini` schema and returns the parsed value. A bad
 * value throws one `TypeError` that names the function, the path of every bad field,
 * what was expected and what was received, e.g.
 * `retry(): option "maxAttempts" must be ≥ 1 (received 0)` or, with `name` `'message'`,
 * `post(): message field "actions[0].label" must be a string (received undefined)`.
 *
 * @param where the function being called, e.g. `'retry()'`.
 * @param name what the value is to the caller: factory `'options'` by default, or an
 *   argument such as `'message'`, `'failure'` or `'ms'`.
 */
export function parseOptions<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  where: string,
  name: string = OPTIONS,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, value, name));
  throw new TypeError(`${where}: ${problems.join('; ')}`);
}

function describeIssue(issue: Issue, root: unknown, name: string): string {
  const field = name === OPTIONS ? 'option' : `${name} field`;
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(path ? `${path}.${key}` : key));
    return `unknown ${field}${keys.length === 1 ? '' : 's'} ${keys.join(', ')}`;
  }
  const subject = path ? `${field} "${path}"` : name;
  return `${subject} ${expectation(issue)} (received ${preview(valueAt(root, issue.path))})`;
}

/** `actions[0].label`: dots between names, brackets around array indexes. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A short, safe rendering of a received value: never a whole object, never a long string. */
function preview(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'function':
      return 'a function';
    case 'symbol':
      return value.toString();
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}

const NUMERIC_ORIGINS: ReadonlySet<string> = new Set(['number', 'int', 'bigint']);

/** What the value must be, phrased to follow the field: `must be ≥ 1`. */
function expectation(issue: Issue): string {
  // A schema's own message (`must be a Clock …`) says it best.
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${typeName(issue.expected)}`;
    case 'too_small':
      if (NUMERIC_ORIGINS.has(issue.origin)) {
        return `must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
      }
      if (Number(issue.minimum) === 1 && issue.inclusive !== false) return 'must not be empty';
      return `must have at least ${String(issue.minimum)} ${sizeUnit(issue.origin)}`;
    case 'too_big':
      return NUMERIC_ORIGINS.has(issue.origin)
        ? `must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`
        : `must have at most ${String(issue.maximum)} ${sizeUnit(issue.origin)}`;
    case 'invalid_value':
      return `must be ${choices(issue.values)}`;
    case 'invalid_union': {
      const alternatives = unionAlternatives(issue);
      return alternatives ? `must be ${alternatives.join(' or ')}` : 'does not match any accepted shape';
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return 'is invalid';
  }
}

function typeName(expected: string): string {
  if (expected === 'number') return 'a finite number';
  if (expected === 'int') return 'an integer';
  if (expected === 'undefined' || expected === 'null') return expected;
  return `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}

function sizeUnit(origin: string): string {
  return origin === 'string' ? 'character(s)' : 'item(s)';
}

function choices(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  return shown.length === 1 ? `${shown[0]}` : `one of ${shown.join(', ')}`;
}

/**
 * `false or a Window`, `one of "a", "b"`: what each branch of a union accepts, when
 * every branch failed on the value itself (not on a field inside it); else undefined.
 */
function unionAlternatives(issue: Extract<Issue, { code: 'invalid_union' }>): string[] | undefined {
  if (issue.errors.length === 0) return undefined; // more than one branch matched
  const literals: unknown[] = [];
  const others: string[] = [];
  for (const branch of issue.errors) {
    const [only, ...rest] = branch;
    if (!only || rest.length > 0 || only.path.length > 0) return undefined;
    if (only.code === 'invalid_value') {
      literals.push(...only.values);
      continue;
    }
    const nested = only.code === 'invalid_union' ? unionAlternatives(only) : undefined;
    if (nested) {
      others.push(...nested);
      continue;
    }
    const expected = expectation(only);
    if (!expected.startsWith('must be ')) return undefined;
    others.push(expected.slice('must be '.length));
  }
  return literals.length > 0 ? [choices(literals), ...others] : others;
}

/** True when `value` is an object whose `names` are all functions (duck typing for injected globals). */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

/** A schema for an injected object known by its methods, e.g. an `IDBFactory` by `open`. */
export function methodsSchema<T>(names: readonly string[], message: string): z.ZodMiniCustom<T, T> {
  return z.custom<T>((v: unknown) => hasMethods(v, ...names), { message });
}

/** A schema for a function-valued option (callbacks such as `retryIf`). */
export function fnSchema<F extends (...args: never[]) => unknown>(): z.ZodMiniCustom<F, F> {
  return z.custom<F>((v: unknown) => typeof v === 'function', { message: 'must be a function' });
}

/** A schema for an injected `Clock`. */
export const clockSchema = methodsSchema<Clock>(
  ['now', 'setTimeout', 'clearTimeout'],
  'must be a Clock ({ now, setTimeout, clearTimeout })',
);

/** A string with at least one character: names, keys, types. */
export const nonEmptyStringSchema = z.string().check(z.minLength(1));

/** A delay or duration option: a non-negative number of milliseconds that a timer can hold (≤ `MAX_TIMER_MS`). */
export const msSchema = z.number().check(z.gte(0), z.lte(MAX_TIMER_MS));

/** A delay or duration option that must be above zero (≤ `MAX_TIMER_MS`). */
export const positiveMsSchema = z.number().check(z.gt(0), z.lte(MAX_TIMER_MS));

/** A fraction in (0, 1]. */
export const rateSchema = z.number().check(z.gt(0), z.lte(1));
