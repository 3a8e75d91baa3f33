import { act, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BulletproofBoundary, useBoundary } from './BulletproofBoundary.js';
import type { BoundaryFallbackProps } from './BulletproofBoundary.js';

function Bomb({ explode }: { explode: boolean }) {
  if (explode) throw new Error('boom');
  return <p>all good</p>;
}

function Fallback({ error, resetErrorBoundary }: BoundaryFallbackProps) {
  return (
    <div role="alert">
      <p>Something went wrong: {error instanceof Error ? error.message : String(error)}</p>
      <button onClick={() => resetErrorBoundary('from-button')}>Try again</button>
    </div>
  );
}

describe('BulletproofBoundary', () => {
  // React reports caught render errors on the console; keep the output readable.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('renders children when nothing throws', () => {
    render(
      <BulletproofBoundary fallback={<p>fallback</p>}>
        <Bomb explode={false} />
      </BulletproofBoundary>,
    );
    expect(screen.getByText('all good')).toBeTruthy();
  });

  it('renders the static fallback and reports the error once to onError', () => {
    const onError = vi.fn();
    render(
      <BulletproofBoundary fallback={<p>static fallback</p>} onError={onError}>
        <Bomb explode />
      </BulletproofBoundary>,
    );
    expect(screen.getByText('static fallback')).toBeTruthy();
    expect(onError).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0]![0] as Error).message).toBe('boom');
  });

  it('resets through resetErrorBoundary and passes its arguments to onReset', () => {
    const onReset = vi.fn();
    function Harness() {
      const [explode, setExplode] = useState(true);
      return (
        <BulletproofBoundary
          FallbackComponent={Fallback}
          onReset={(details) => {
            onReset(details);
            setExplode(false);
          }}
        >
          <Bomb explode={explode} />
        </BulletproofBoundary>
      );
    }
    render(<Harness />);
    expect(screen.getByRole('alert').textContent).toContain('boom');
    fireEvent.click(screen.getByText('Try again'));
    expect(screen.getByText('all good')).toBeTruthy();
    expect(onReset).toHaveBeenCalledWith({ reason: 'imperative-api', args: ['from-button'] });
  });

  it('resets when a reset key changes, not on unrelated re-renders', () => {
    const onReset = vi.fn();
    function Harness() {
      const [key, setKey] = useState(0);
      const [, setTick] = useState(0);
      return (
        <>
          <button onClick={() => setTick((t) => t + 1)}>rerender</button>
          <button onClick={() => setKey((k) => k + 1)}>change key</button>
          <BulletproofBoundary
            resetKeys={[key]}
            onReset={onReset}
            fallbackRender={({ error }) => <p>failed: {(error as Error).message}</p>}
          >
            <Bomb explode={key === 0} />
          </BulletproofBoundary>
        </>
      );
    }
    render(<Harness />);
    expect(screen.getByText('failed: boom')).toBeTruthy();
    fireEvent.click(screen.getByText('rerender'));
    expect(screen.getByText('failed: boom')).toBeTruthy();
    expect(onReset).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('change key'));
    expect(screen.getByText('all good')).toBeTruthy();
    expect(onReset).toHaveBeenCalledWith({ reason: 'keys', prev: [0], next: [1] });
  });

  it('shows errors from event handlers through useBoundary, under StrictMode', async () => {
    function Saver() {
      const { showBoundary } = useBoundary();
      return (
        <button
          onClick={() => {
            Promise.reject(new Error('save failed')).catch(showBoundary);
          }}
        >
          save
        </button>
      );
    }
    render(
      <StrictMode>
        <BulletproofBoundary FallbackComponent={Fallback}>
          <Saver />
        </BulletproofBoundary>
      </StrictMode>,
    );
    await act(async () => {
      fireEvent.click(screen.getByText('save'));
      await Promise.resolve();
    });
    expect(screen.getByRole('alert').textContent).toContain('save failed');
    fireEvent.click(screen.getByText('Try again'));
    expect(screen.getByText('save')).toBeTruthy();
  });

  it('explains itself when showBoundary is used without a boundary', () => {
    let show: ((e: unknown) => void) | undefined;
    function Orphan() {
      show = useBoundary().showBoundary;
      return null;
    }
    render(<Orphan />);
    expect(() => show!(new Error('x'))).toThrow(/needs a <BulletproofBoundary>/);
  });
});
