import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../test-utils/axe.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { DegradationBanner } from './DegradationBanner.js';

describe('DegradationBanner', () => {
  it('keeps an empty status region while the level is none', async () => {
    const { container } = renderWith(fakeProtection(), <DegradationBanner />);
    const region = screen.getByRole('status');
    expect(region.textContent).toBe('');
    expect(region.getAttribute('data-bp-degradation')).toBe('none');
    expect(await axeViolations(container)).toEqual([]);
  });

  it.each(['minimal', 'moderate', 'severe', 'critical'] as const)(
    'shows the %s level and its reasons, with no axe violations',
    async (level) => {
      const protection = fakeProtection();
      const { container } = renderWith(protection, <DegradationBanner className="b" />);
      const region = screen.getByRole('status');
      act(() => {
        protection.degradation.propose(level, ['API is slow', 'Search is failing']);
      });
      expect(region.getAttribute('data-bp-degradation')).toBe(level);
      expect(region.className).toBe('b');
      expect(region.querySelector('[data-bp-title]')?.textContent).toMatch(/\S/);
      expect([...region.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
        'API is slow',
        'Search is failing',
      ]);
      expect(await axeViolations(container)).toEqual([]);
    },
  );

  it('empties again when the level returns to none', () => {
    const protection = fakeProtection();
    renderWith(protection, <DegradationBanner />);
    act(() => {
      protection.degradation.override('severe', 'maintenance');
    });
    expect(screen.getByRole('status').textContent).toContain('maintenance');
    act(() => {
      protection.degradation.override(null);
    });
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('renders nothing at level none when not live, and no status role when degraded', () => {
    const protection = fakeProtection();
    const { container } = renderWith(protection, <DegradationBanner live={false} />);
    expect(container.innerHTML).toBe('');
    act(() => {
      protection.degradation.override('moderate', 'manual');
    });
    expect(screen.queryByRole('status')).toBeNull();
    expect(container.querySelector('[data-bp-degradation="moderate"]')).not.toBeNull();
  });

  it('takes labels and a render prop', () => {
    const protection = fakeProtection();
    renderWith(
      protection,
      <>
        <DegradationBanner labels={{ moderate: 'Mode réduit' }} />
        <DegradationBanner render={(s) => `${s.level} (${s.manual ? 'manual' : 'auto'})`} />
      </>,
    );
    act(() => {
      protection.degradation.override('moderate', 'x');
    });
    const [a, b] = screen.getAllByRole('status');
    expect(a?.querySelector('[data-bp-title]')?.textContent).toBe('Mode réduit');
    expect(b?.textContent).toBe('moderate (manual)');
  });
});
