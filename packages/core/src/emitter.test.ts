import { describe, expect, it } from 'vitest';
import { Emitter } from './observable.js';

describe('Emitter', () => {
  it('multicasts to current subscribers and reports whether anyone listens', () => {
    const emitter = new Emitter<number>();
    expect(emitter.observed).toBe(false);
    const a: number[] = [];
    const b: number[] = [];
    const subA = emitter.observable.subscribe((v) => a.push(v));
    emitter.next(1);
    const subB = emitter.observable.subscribe((v) => b.push(v));
    emitter.next(2);
    subA.unsubscribe();
    emitter.next(3);
    subB.unsubscribe();
    emitter.next(4);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([2, 3]);
    expect(emitter.observed).toBe(false);
  });

  it('lets a listener unsubscribe itself while an event is delivered', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const first = emitter.observable.subscribe((v) => {
      seen.push(`first ${v}`);
      first.unsubscribe();
    });
    emitter.observable.subscribe((v) => seen.push(`second ${v}`));
    emitter.next(1);
    emitter.next(2);
    expect(seen).toEqual(['first 1', 'second 1', 'second 2']);
  });

  it('works with rxjs operators through from()', async () => {
    const { filter, firstValueFrom, from } = await import('rxjs');
    const emitter = new Emitter<number>();
    const even = firstValueFrom(from(emitter.observable).pipe(filter((v) => v % 2 === 0)));
    emitter.next(1);
    emitter.next(4);
    await expect(even).resolves.toBe(4);
  });
});
