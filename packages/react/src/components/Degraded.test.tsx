import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../test-utils/axe.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { Degraded } from './Degraded.js';

describe('Degraded', () => {
  it('shows the feature while available and the fallback when it is turned off', async () => {
    const protection = fakeProtection({ degradation: { features: { search: 'moderate' } } });
    const { container } = renderWith(
      protection,
      <Degraded feature="search" fallback={<p>Search is resting; browse the list instead.</p>}>
        <input aria-label="Search" />
      </Degraded>,
    );
    expect(screen.getByLabelText('Search')).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
    act(() => {
      protection.degradation.propose('moderate', ['search failing']);
    });
    expect(screen.queryByLabelText('Search')).toBeNull();
    expect(screen.getByText(/Search is resting/)).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('renders nothing without a fallback', () => {
    const protection = fakeProtection({ degradation: { features: { chat: 'minimal' } } });
    const { container } = renderWith(
      protection,
      <Degraded feature="chat">
        <p>chat</p>
      </Degraded>,
    );
    act(() => {
      protection.degradation.override('minimal');
    });
    expect(container.innerHTML).toBe('');
  });
});
