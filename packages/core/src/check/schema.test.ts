import { describe, expect, it } from 'vitest';
import * as s from './schema.js';

function issues<T>(schema: s.Schema<T>, value: unknown): s.Issue[] {
  const found: s.Issue[] = [];
  schema(value, [], found);
  return found;
}

describe('schemas', () => {
  it('numbers: refuse NaN and infinities, and check integers before bounds', () => {
    expect(issues(s.number(), Number.NaN)).toEqual([{ path: [], message: 'must be a finite number' }]);
    expect(issues(s.number(), Infinity)).toHaveLength(1);
    expect(issues(s.number({ int: true, gte: 1 }), '3')).toEqual([
      { path: [], message: 'must be an integer' },
    ]);
    expect(issues(s.number({ int: true, gte: 1 }), 0.5)).toEqual([
      { path: [], message: 'must be an integer' },
    ]);
    expect(issues(s.number({ int: true, gte: 1 }), 1)).toEqual([]);
  });

  it('strings: length bounds and a pattern', () => {
    expect(issues(s.string({ pattern: /^[a-z]+$/ }), 'A1')).toEqual([
      { path: [], message: 'is not in the expected format' },
    ]);
    expect(issues(s.string({ max: 2 }), 'abc')[0]?.message).toBe('must have at most 2 character(s)');
  });

  it('objects: report unknown keys once, then each bad property at its path', () => {
    const schema = s.object<{ a: number; b?: string }>({ a: s.number(), b: s.optional(s.string()) });
    expect(issues(schema, { a: 'x', c: 1, d: 2 })).toEqual([
      { path: [], message: '', unknownKeys: ['c', 'd'] },
      { path: ['a'], message: 'must be a finite number' },
    ]);
    expect(issues(schema, [])).toEqual([{ path: [], message: 'must be an object' }]);
    expect(issues(s.object({ a: s.number() }, true), { a: 1, later: true })).toEqual([]);
  });

  it('objects: an own key named like an Object.prototype member is still unknown', () => {
    const schema = s.object({ a: s.number() });
    expect(issues(schema, JSON.parse('{"a":1,"__proto__":{"x":1},"constructor":1}'))[0]?.unknownKeys).toEqual(
      ['__proto__', 'constructor'],
    );
  });

  it('arrays, tuples and records check every item at its index or key', () => {
    expect(issues(s.array(s.string()), ['a', 1])).toEqual([{ path: [1], message: 'must be a string' }]);
    expect(issues(s.tuple<[string, number]>([s.string(), s.number()]), ['a', 'b'])).toEqual([
      { path: [1], message: 'must be a finite number' },
    ]);
    expect(issues(s.tuple<[string, number]>([s.string(), s.number()]), ['a'])).toEqual([
      { path: [], message: 'must be a list of 2' },
    ]);
    expect(issues(s.record(s.boolean), { x: true, y: 'no' })).toEqual([
      { path: ['y'], message: 'must be a boolean' },
    ]);
  });

  it('nullable and optional let null or undefined through, and nothing else', () => {
    expect(issues(s.nullable(s.number()), null)).toEqual([]);
    expect(issues(s.nullable(s.number()), undefined)).toHaveLength(1);
    expect(issues(s.optional(s.number()), undefined)).toEqual([]);
    expect(issues(s.optional(s.number()), null)).toHaveLength(1);
  });

  it('refine runs its rule only on a value that passed, at the path it names', () => {
    const window = s.refine(
      s.object<{ size: number; min?: number }>({ size: s.number(), min: s.optional(s.number()) }),
      (w) => w.min === undefined || w.min <= w.size,
      'must be ≤ size',
      ['min'],
    );
    expect(issues(window, { size: 2, min: 3 })).toEqual([{ path: ['min'], message: 'must be ≤ size' }]);
    expect(issues(window, { size: 'x', min: 3 })).toEqual([
      { path: ['size'], message: 'must be a finite number' },
    ]);
  });

  it('unions merge literal choices and name the other alternatives', () => {
    const choice = s.union(s.literal('a', 'b'), s.literal(false), s.number());
    expect(issues(choice, 'c')).toEqual([
      { path: [], message: 'must be one of "a", "b", false or a finite number' },
    ]);
    expect(issues(choice, 2)).toEqual([]);
  });
});
