import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseOptions } from './validate.js';

describe('parseOptions', () => {
  const schema = z.object({
    size: z.number().check(z.int(), z.gte(1)),
    mode: z.optional(z.enum(['a', 'b'])),
    nested: z.optional(z.object({ ms: z.number() })),
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
      /thing\(\): options must be of type object/,
    );
  });

  it('reports every bad option at once', () => {
    expect(() => parseOptions(schema, { size: 1.5, mode: 'z' }, 'thing()')).toThrow(
      /"size".*; option "mode"/,
    );
  });
});
