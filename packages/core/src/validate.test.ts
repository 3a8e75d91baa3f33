import { describe, expect, it } from 'vitest';
import * as s from './check/schema.js';
import { clockSchema, hasMethods, methodsSchema, msSchema, parseOptions, rateSchema } from './validate.js';

describe('parseOptions', () => {
  const schema = s.object<{ size: number; mode?: 'a' | 'b'; nested?: { ms: number } }>({
    size: s.number({ int: true, gte: 1 }),
    mode: s.optional(s.literal('a', 'b')),
    nested: s.optional(s.object({ ms: s.number() })),
  });

  it('returns the parsed value', () => {
    expect(parseOptions(schema, { size: 2, mode: 'a' }, 'thing()')).toEqual({ size: 2, mode: 'a' });
  });

  it('throws a TypeError naming the factory, the option path, the expectation and the value', () => {
    expect(() => parseOptions(schema, { size: 0 }, 'thing()')).toThrow(
      new TypeError('thing(): option "size" must be ≥ 1 (received 0)'),
    );
    expect(() => parseOptions(schema, { size: 1, mode: 'c' }, 'thing()')).toThrow(
      /option "mode" must be one of "a", "b" \(received "c"\)/,
    );
    expect(() => parseOptions(schema, { size: 1, nested: { ms: 'x' } }, 'thing()')).toThrow(
      /option "nested\.ms" must be a finite number \(received "x"\)/,
    );
    expect(() => parseOptions(schema, 'nope', 'thing()')).toThrow(
      new TypeError('thing(): options must be an object (received "nope")'),
    );
  });

  it('reports every bad option at once', () => {
    expect(() => parseOptions(schema, { size: 1.5, mode: 'z' }, 'thing()')).toThrow(
      new TypeError(
        'thing(): option "size" must be an integer (received 1.5); option "mode" must be one of "a", "b" (received "z")',
      ),
    );
  });

  it('writes array indexes in brackets', () => {
    const list = s.object({ actions: s.array(s.object({ label: s.string() })) });
    expect(() => parseOptions(list, { actions: [{ label: 'a' }, {}] }, 'thing()')).toThrow(
      new TypeError('thing(): option "actions[1].label" must be a string (received undefined)'),
    );
  });

  it('says "must not be empty" for a required string or list, and counts characters or items otherwise', () => {
    const sized = s.object<{ key?: string; code?: string; tags?: string[] }>({
      key: s.optional(s.string({ min: 1 })),
      code: s.optional(s.string({ min: 3, max: 4 })),
      tags: s.optional(s.array(s.string(), { min: 1, max: 2 })),
    });
    expect(() => parseOptions(sized, { key: '' }, 'f()')).toThrow(
      new TypeError('f(): option "key" must not be empty (received "")'),
    );
    expect(() => parseOptions(sized, { tags: [] }, 'f()')).toThrow(/option "tags" must not be empty/);
    expect(() => parseOptions(sized, { code: 'ab' }, 'f()')).toThrow(
      /option "code" must have at least 3 character\(s\) \(received "ab"\)/,
    );
    expect(() => parseOptions(sized, { code: 'abcde' }, 'f()')).toThrow(
      /option "code" must have at most 4 character\(s\)/,
    );
    expect(() => parseOptions(sized, { tags: ['a', 'b', 'c'] }, 'f()')).toThrow(
      /option "tags" must have at most 2 item\(s\) \(received an array\)/,
    );
  });

  it('bounds numbers with ≥, >, ≤ and <', () => {
    const bounded = s.object<{ a?: number; b?: number }>({
      a: s.optional(s.number({ gt: 0, lt: 10 })),
      b: s.optional(s.number({ lte: 5 })),
    });
    expect(() => parseOptions(bounded, { a: 0 }, 'f()')).toThrow(/option "a" must be > 0 \(received 0\)/);
    expect(() => parseOptions(bounded, { a: 10 }, 'f()')).toThrow(/option "a" must be < 10 \(received 10\)/);
    expect(() => parseOptions(bounded, { b: 6 }, 'f()')).toThrow(/option "b" must be ≤ 5 \(received 6\)/);
  });

  it('lists unknown keys with their full path, without a received value', () => {
    const strict = s.object<{ inner?: { ok?: number } }>({
      inner: s.optional(s.object<{ ok?: number }>({ ok: s.optional(s.number()) })),
    });
    expect(() => parseOptions(strict, { bogus: 1 }, 'f()')).toThrow(
      new TypeError('f(): unknown option "bogus"'),
    );
    expect(() => parseOptions(strict, { x: 1, y: 2 }, 'f()')).toThrow(
      new TypeError('f(): unknown options "x", "y"'),
    );
    expect(() => parseOptions(strict, { inner: { oops: 1 } }, 'f()')).toThrow(
      new TypeError('f(): unknown option "inner.oops"'),
    );
  });

  it('names a value that is not options, and its fields', () => {
    const message = s.object({ key: s.string(), actions: s.array(s.object({ label: s.string() })) });
    expect(() => parseOptions(message, null, 'post()', 'message')).toThrow(
      new TypeError('post(): message must be an object (received null)'),
    );
    expect(() => parseOptions(message, { key: 'k', actions: [{}] }, 'post()', 'message')).toThrow(
      new TypeError('post(): message field "actions[0].label" must be a string (received undefined)'),
    );
    expect(() => parseOptions(message, { key: 'k', actions: [], extra: 1 }, 'post()', 'message')).toThrow(
      new TypeError('post(): unknown message field "extra"'),
    );
    expect(() => parseOptions(msSchema, -1, 'timeout()', 'ms')).toThrow(
      new TypeError('timeout(): ms must be ≥ 0 (received -1)'),
    );
  });

  it('says what each branch of a union accepts', () => {
    const union = s.object<{
      window?: false | Window;
      share?: false | 'tabs';
      value?: string | number;
      shape?: { a: number } | { b: number };
    }>({
      window: s.optional(s.union(s.literal(false), methodsSchema<Window>(['addEventListener'], 'a Window'))),
      share: s.optional(s.union(s.literal(false), s.literal('tabs'))),
      value: s.optional(s.union(s.string(), s.number())),
      shape: s.optional(s.union(s.object({ a: s.number() }), s.object({ b: s.number() }))),
    });
    expect(() => parseOptions(union, { window: true }, 'f()')).toThrow(
      new TypeError('f(): option "window" must be false or a Window (received true)'),
    );
    expect(() => parseOptions(union, { share: 'all' }, 'f()')).toThrow(
      new TypeError('f(): option "share" must be one of false, "tabs" (received "all")'),
    );
    expect(() => parseOptions(union, { value: {} }, 'f()')).toThrow(
      new TypeError('f(): option "value" must be a string or a finite number (received an object)'),
    );
    expect(() => parseOptions(union, { shape: {} }, 'f()')).toThrow(
      new TypeError('f(): option "shape" does not match any accepted shape (received an object)'),
    );
  });

  it('uses a schema’s own message, and shortens long strings it received', () => {
    const custom = s.object({ id: s.custom<string>(() => false, 'a known id') });
    const long = 'x'.repeat(60);
    expect(() => parseOptions(custom, { id: long }, 'f()')).toThrow(
      new TypeError(`f(): option "id" must be a known id (received "${'x'.repeat(40)}…")`),
    );
  });

  it('describes received functions, symbols, arrays and objects without printing them', () => {
    const n = s.object<{ a?: number }>({ a: s.optional(s.number()) });
    expect(() => parseOptions(n, { a: () => 1 }, 'f()')).toThrow(/\(received a function\)/);
    expect(() => parseOptions(n, { a: Symbol('s') }, 'f()')).toThrow(/\(received Symbol\(s\)\)/);
    expect(() => parseOptions(n, { a: [1] }, 'f()')).toThrow(/\(received an array\)/);
    expect(() => parseOptions(n, { a: { secret: 'token' } }, 'f()')).toThrow(/\(received an object\)$/);
  });
});

describe('shared schemas', () => {
  const accepts = (schema: s.Schema<unknown>, value: unknown) => {
    const issues: s.Issue[] = [];
    schema(value, [], issues);
    return issues.length === 0;
  };

  it('fn() accepts only functions', () => {
    expect(accepts(s.fn(), () => {})).toBe(true);
    expect(accepts(s.fn(), {})).toBe(false);
    expect(() => parseOptions(s.object({ f: s.fn<() => void>() }), { f: 1 }, 'g()')).toThrow(
      new TypeError('g(): option "f" must be a function (received 1)'),
    );
  });

  it('clockSchema accepts an object with now, setTimeout and clearTimeout', () => {
    expect(accepts(clockSchema, { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} })).toBe(true);
    expect(accepts(clockSchema, { now: () => 0, setTimeout: () => 0 })).toBe(false);
    expect(accepts(clockSchema, Date)).toBe(false);
    expect(() => parseOptions(s.object({ clock: clockSchema }), { clock: {} }, 'g()')).toThrow(
      /option "clock" must be a Clock \(\{ now, setTimeout, clearTimeout \}\)/,
    );
  });

  it('msSchema takes a finite number ≥ 0 and rateSchema a fraction in (0, 1]', () => {
    expect([0, 5, -1, Infinity, Number.NaN].map((v) => accepts(msSchema, v))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([0, 0.5, 1, 1.1].map((v) => accepts(rateSchema, v))).toEqual([false, true, true, false]);
  });

  it('hasMethods duck-types objects by their methods', () => {
    expect(hasMethods({ open: () => {} }, 'open')).toBe(true);
    expect(hasMethods({ open: 1 }, 'open')).toBe(false);
    expect(hasMethods(null, 'open')).toBe(false);
    expect(hasMethods(() => {}, 'call')).toBe(false);
  });
});
