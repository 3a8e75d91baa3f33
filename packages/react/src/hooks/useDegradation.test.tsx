import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { useDegradation, useFeature } from './useDegradation.js';

const features = { search: 'moderate', export: 'minimal' } as const;

describe('useDegradation', () => {
  it('shows the level and reasons and gates features by level', () => {
    const protection = fakeProtection({ degradation: { features } });
    function Show() {
      const d = useDegradation();
      return (
        <p data-testid="d">
          {d.level}|{d.reasons.join(',')}|search:{String(d.isAvailable('search'))}|export:
          {String(d.isAvailable('export'))}
        </p>
      );
    }
    renderWith(protection, <Show />);
    expect(screen.getByTestId('d').textContent).toBe('none||search:true|export:true');
    act(() => {
      protection.degradation.propose('minimal', ['API slow']);
    });
    expect(screen.getByTestId('d').textContent).toBe('minimal|API slow|search:true|export:false');
    act(() => {
      protection.degradation.override('severe', 'maintenance');
    });
    expect(screen.getByTestId('d').textContent).toBe('severe|maintenance|search:false|export:false');
  });
});

describe('useFeature', () => {
  it('re-renders only when the feature flips', () => {
    const protection = fakeProtection({ degradation: { features } });
    let renders = 0;
    function Search() {
      renders++;
      return <p data-testid="f">{useFeature('search') ? 'on' : 'off'}</p>;
    }
    renderWith(protection, <Search />, { strict: false });
    const base = renders;
    act(() => {
      protection.degradation.propose('minimal', ['a']);
    });
    expect(screen.getByTestId('f').textContent).toBe('on');
    expect(renders).toBe(base);
    act(() => {
      protection.degradation.propose('moderate', ['b']);
    });
    expect(screen.getByTestId('f').textContent).toBe('off');
    expect(renders).toBe(base + 1);
  });

  it('treats an undeclared feature as always available', () => {
    const protection = fakeProtection({ degradation: { features } });
    function Other() {
      return <p data-testid="f">{String(useFeature('chat'))}</p>;
    }
    renderWith(protection, <Other />);
    act(() => {
      protection.degradation.override('critical');
    });
    expect(screen.getByTestId('f').textContent).toBe('true');
  });
});
