import { describe, expect, it } from 'vitest';
import { savedAtText } from './saved-at-text.js';

describe('savedAtText', () => {
  const now = new Date(2025, 2, 3, 15, 0).getTime();

  it('gives the time alone for a copy saved today', () => {
    const at = new Date(2025, 2, 3, 10, 42).getTime();
    expect(savedAtText(at, now)).toBe(new Date(at).toLocaleTimeString(undefined, { timeStyle: 'short' }));
    expect(savedAtText(at, now)).not.toContain('2025');
  });

  it('adds the date for an older copy, so yesterday never passes for this morning', () => {
    const at = new Date(2025, 2, 2, 10, 42).getTime();
    expect(savedAtText(at, now)).toContain('2025');
    expect(savedAtText(at, now)).toContain(
      new Date(at).toLocaleTimeString(undefined, { timeStyle: 'short' }),
    );
  });
});
