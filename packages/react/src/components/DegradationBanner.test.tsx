import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../test-utils/axe.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { DegradationBanner, degradationTemplates } from './DegradationBanner.js';
import { MessageCenter } from './MessageCenter.js';

describe('DegradationBanner', () => {
  it('keeps an empty status region while the level is none', async () => {
    const { container } = renderWith(fakeProtection(), <DegradationBanner />);
    const region = screen.getByRole('status');
    expect(region.textContent).toBe('');
    expect(region.getAttribute('data-bp-degradation')).toBe('none');
    expect(await axeViolations(container)).toEqual([]);
  });

  it.each(['minimal', 'moderate', 'severe', 'critical'] as const)(
    'shows the %s level in words from the templates, never its reasons, with no axe violations',
    async (level) => {
      const protection = fakeProtection();
      const { container } = renderWith(protection, <DegradationBanner className="b" />);
      const region = screen.getByRole('status');
      act(() => {
        protection.degradation.override(level, 'api is failing and paused (critical)');
      });
      expect(region.getAttribute('data-bp-degradation')).toBe(level);
      expect(region.className).toBe('b');
      expect(region.querySelector('[data-bp-title]')?.textContent).toBe(
        protection.messages.template(degradationTemplates[level]),
      );
      expect(region.textContent).not.toContain('critical)');
      expect(region.querySelectorAll('li')).toHaveLength(0);
      expect(await axeViolations(container)).toEqual([]);
    },
  );

  it('follows current conditions: a recovery still stepping down tells the user nothing', () => {
    const protection = fakeProtection();
    renderWith(protection, <DegradationBanner />);
    const region = screen.getByRole('status');
    act(() => {
      protection.connectivity.set({ status: 'offline' });
      protection.degradation.propose('severe', ['The device is offline']);
    });
    expect(region.getAttribute('data-bp-degradation')).toBe('severe');
    act(() => {
      protection.connectivity.set({ status: 'online' });
      protection.degradation.propose('none', []);
    });
    // The level in force steps down with hysteresis; the user is not told features are unavailable.
    expect(protection.degradation.state.level).toBe('severe');
    expect(region.getAttribute('data-bp-degradation')).toBe('none');
    expect(region.textContent).toBe('');
  });

  it('empties again when the level returns to none', () => {
    const protection = fakeProtection();
    renderWith(protection, <DegradationBanner />);
    act(() => {
      protection.degradation.override('severe', 'maintenance');
    });
    expect(screen.getByRole('status').textContent).toBe(protection.messages.template('levelSevere'));
    act(() => {
      protection.degradation.override(null);
    });
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('stays quiet while a MessageCenter tells the situation, unless asked to show alongside', () => {
    const protection = fakeProtection();
    const { container } = renderWith(
      protection,
      <>
        <MessageCenter />
        <DegradationBanner className="quiet" />
        <DegradationBanner className="loud" alongsideMessageCenter />
      </>,
    );
    act(() => {
      protection.degradation.override('moderate', 'maintenance');
    });
    expect(container.querySelector('.quiet')?.getAttribute('data-bp-degradation')).toBe('none');
    expect(container.querySelector('.loud')?.getAttribute('data-bp-degradation')).toBe('moderate');
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
        <DegradationBanner render={(s) => `${s.kind} (${s.level})`} />
      </>,
    );
    act(() => {
      protection.degradation.override('moderate', 'x');
    });
    const [a, b] = screen.getAllByRole('status');
    expect(a?.querySelector('[data-bp-title]')?.textContent).toBe('Mode réduit');
    expect(b?.textContent).toBe('degraded (moderate)');
  });
});
