import { describe, expect, it } from 'vitest';
import * as s from './check/schema.js';
import { parseOptions } from './validate.js';

/** What a caller (or foreign data, for posted messages) can hand the checker on purpose. */
describe('parseOptions against hostile input', () => {
  const schema = s.object<{ size?: number; tags?: string[]; nested?: { ms: number } }>({
    size: s.optional(s.number({ int: true, gte: 1 })),
    tags: s.optional(s.array(s.string())),
    nested: s.optional(s.object({ ms: s.number() })),
  });

  const messageOf = (value: unknown): string => {
    try {
      parseOptions(schema, value, 'thing()');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('keeps the message short when a huge array is bad in every item', () => {
    const message = messageOf({ tags: new Array(100_000).fill(1) });
    expect(message).toMatch(/^thing\(\): option "tags\[0\]" must be a string \(received 1\)/);
    expect(message.length).toBeLessThan(1_000);
    expect(message).toMatch(/and 99[ ,]?99\d more/);
  });

  it('keeps the message short with thousands of unknown keys, or one huge one', () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    expect(messageOf(many).length).toBeLessThan(1_000);
    expect(messageOf(many)).toMatch(/^thing\(\): unknown options "k0", "k1"/);
    const huge = messageOf({ ['x'.repeat(1_000_000)]: 1 });
    expect(huge.length).toBeLessThan(1_000);
    expect(huge).toMatch(/^thing\(\): unknown option "x{10,}…"$/);
  });

  it('refuses prototype keys as unknown options and is not polluted by them', () => {
    const parsed = JSON.parse('{"__proto__": {"size": 0}, "constructor": 1}') as unknown;
    expect(messageOf(parsed)).toBe('thing(): unknown options "__proto__", "constructor"');
    expect(({} as { size?: unknown }).size).toBeUndefined();
  });

  it('accepts objects without a prototype, and cyclic ones', () => {
    const bare = Object.create(null) as { size: number; self?: unknown };
    bare.size = 2;
    expect(parseOptions(schema, bare, 'thing()')).toBe(bare);
    const cyclic: Record<string, unknown> = { nested: { ms: 'x' } };
    (cyclic.nested as Record<string, unknown>).ms = cyclic;
    expect(messageOf(cyclic)).toBe(
      'thing(): option "nested.ms" must be a finite number (received an object)',
    );
  });

  it('refuses NaN, ±Infinity and -0 where zero is excluded', () => {
    for (const size of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.5]) {
      expect(messageOf({ size })).toMatch(/option "size" must be/);
    }
    const positive = s.number({ gt: 0 });
    const issues: s.Issue[] = [];
    positive(-0, [], issues);
    expect(issues).toHaveLength(1);
  });

  it('previews a symbol value, and leaves symbol keys alone (options are named by strings)', () => {
    expect(messageOf({ size: Symbol('v') })).toBe(
      'thing(): option "size" must be an integer (received Symbol(v))',
    );
    expect(parseOptions(schema, { [Symbol('extra')]: 1 }, 'thing()')).toBeDefined();
  });

  it('reports a Proxy by what it shows, and lets a throwing getter fail loudly', () => {
    const proxy = new Proxy({ size: 0 }, {});
    expect(messageOf(proxy)).toBe('thing(): option "size" must be ≥ 1 (received 0)');
    const throwing = {
      get size(): number {
        throw new Error('getter');
      },
    };
    expect(() => parseOptions(schema, throwing, 'thing()')).toThrow('getter');
  });

  it('still throws a TypeError when a getter changes between reads', () => {
    // The preview reads the value again, so it may show what the second read gave: only
    // the message's wording is affected, never whether the options were refused.
    let reads = 0;
    const shifty = {
      get size(): number {
        reads += 1;
        return reads === 1 ? 0 : 5;
      },
    };
    expect(messageOf(shifty)).toMatch(/^thing\(\): option "size" must be ≥ 1 \(received \d\)$/);
  });
});
