import { custom, number, string, type Issue, type OptionalSchema, type Schema } from './check/schema.js';
import { MAX_TIMER_MS, type Clock } from './clock.js';

const OPTIONS = 'options';

/**
 * Checks a value against a schema and returns it. A bad value throws one `TypeError`
 * that names the function, the path of every bad field, what was expected and what was
 * received, e.g. `retry(): option "maxAttempts" must be ≥ 1 (received 0)` or, with
 * `name` `'message'`, `post(): message field "actions[0].label" must be a string (received undefined)`.
 *
 * @param where the function being called, e.g. `'retry()'`.
 * @param name what the value is to the caller: factory `'options'` by default, or an
 *   argument such as `'message'`, `'failure'` or `'ms'`.
 */
export function parseOptions<T>(
  schema: OptionalSchema<T>,
  value: unknown,
  where: string,
  name?: string,
): T | undefined;
export function parseOptions<T>(schema: Schema<T>, value: unknown, where: string, name?: string): T;
export function parseOptions<T>(schema: Schema<T>, value: unknown, where: string, name: string = OPTIONS): T {
  const issues: Issue[] = [];
  schema(value, [], issues);
  if (issues.length === 0) return value as T;
  throw new TypeError(`${where}: ${listed(issues, (issue) => describeIssue(issue, value, name), '; ')}`);
}

/** Most problems shown in one message: a huge bad array or object (say, foreign data) must not make a huge error. */
const SHOWN = 5;

/** The first `SHOWN` items, described and joined, then how many more there were. */
function listed<I>(items: readonly I[], describe: (item: I) => string, separator: string): string {
  const more = items.length - SHOWN;
  return items.slice(0, SHOWN).map(describe).join(separator) + (more > 0 ? ` … and ${more} more` : '');
}

function describeIssue(issue: Issue, root: unknown, name: string): string {
  const field = name === OPTIONS ? 'option' : `${name} field`;
  const path = clip(formatPath(issue.path), 100);
  if (issue.unknownKeys) {
    const keys = issue.unknownKeys;
    const named = listed(keys, (key) => JSON.stringify(clip(path ? `${path}.${key}` : key, 100)), ', ');
    return `unknown ${field}${keys.length === 1 ? '' : 's'} ${named}`;
  }
  const subject = path ? `${field} "${path}"` : name;
  return `${subject} ${issue.message} (received ${preview(valueAt(root, issue.path))})`;
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

/** `text`, cut to `max` characters: received strings, and names that come from the checked value. */
const clip = (text: string, max = 40): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A short, safe rendering of a received value: never a whole object, never a long string. */
function preview(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(clip(value));
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

/** True when `value` is an object whose `names` are all functions (duck typing for injected globals). */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

/** A schema for an injected object known by its methods, e.g. an `IDBFactory` by `open`; `expected` follows "must be". */
/* @__NO_SIDE_EFFECTS__ */
export function methodsSchema<T>(names: readonly string[], expected: string): Schema<T> {
  return custom<T>((v) => hasMethods(v, ...names), expected);
}

/** A schema for an injected `Clock`. */
export const clockSchema = /* @__PURE__ */ methodsSchema<Clock>(
  ['now', 'setTimeout', 'clearTimeout'],
  'a Clock ({ now, setTimeout, clearTimeout })',
);

/** A string with at least one character: names, keys, types. */
export const nonEmptyStringSchema = /* @__PURE__ */ string({ min: 1 });

/** A delay or duration option: a non-negative number of milliseconds that a timer can hold (≤ `MAX_TIMER_MS`). */
export const msSchema = /* @__PURE__ */ number({ gte: 0, lte: MAX_TIMER_MS });

/** A delay or duration option that must be above zero (≤ `MAX_TIMER_MS`). */
export const positiveMsSchema = /* @__PURE__ */ number({ gt: 0, lte: MAX_TIMER_MS });

/** A fraction in (0, 1]. */
export const rateSchema = /* @__PURE__ */ number({ gt: 0, lte: 1 });
