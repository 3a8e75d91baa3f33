import * as z from 'zod/mini';
import type { Clock } from '../clock.js';

/**
 * Turns a zod/mini validation failure into a `TypeError` that names the field and
 * says what was expected. zod/mini ships without English messages (they would cost
 * bundle size), so the wording is built here from the issue's structured data.
 */
export function parseOrThrow<T>(schema: z.ZodMiniType<T>, input: unknown, subject: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new TypeError(`${subject}: invalid input`);
  throw new TypeError(describeIssue(issue, input, subject));
}

/** `subject: "actions[0].label" expected string (got undefined)` */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, subject: string): string {
  const field = formatPath(issue.path);
  const where = field ? `${subject}: "${field}"` : `${subject}:`;
  const got = `(got ${preview(valueAt(input, issue.path))})`;
  switch (issue.code) {
    case 'invalid_type':
      return `${where} expected ${issue.expected === 'int' ? 'an integer' : issue.expected} ${got}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1
        ? `${where} must not be empty`
        : `${where} must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)} ${got}`;
    case 'too_big':
      return `${where} must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)} ${got}`;
    case 'invalid_value':
      return `${where} expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} ${got}`;
    case 'unrecognized_keys':
      return `${where} unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys
        .map((k) => `"${field ? `${field}.` : ''}${k}"`)
        .join(', ')}`;
    default:
      return `${where} ${issue.message === 'Invalid input' ? 'is invalid' : issue.message} ${got}`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

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

/** True when `value` is an object whose `names` are all functions (duck typing for injected globals). */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

export const functionSchema = <F>() =>
  z.custom<F>((value: unknown) => typeof value === 'function', 'expected a function');

export const clockSchema = z.custom<Clock>(
  (value: unknown) => hasMethods(value, 'now', 'setTimeout', 'clearTimeout'),
  'expected a Clock { now, setTimeout, clearTimeout }',
);
