import { act, render } from '@testing-library/react';
import { StrictMode, useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { Emitter, observable, ValueEmitter } from '../../../core/src/observable.js';
import { useObserved } from './use-observed.js';

describe('useObserved', () => {
  it('returns the same reference until the source emits a different value', () => {
    const subject = new ValueEmitter({ n: 1 });
    const seen: Array<{ n: number }> = [];
    function Probe() {
      seen.push(useObserved(subject.observable, () => subject.value));
      return null;
    }
    const { rerender } = render(<Probe />);
    rerender(<Probe />);
    expect(seen.length).toBe(2);
    expect(seen[1]).toBe(seen[0]);
    act(() => {
      subject.next({ n: 2 });
    });
    expect(seen.at(-1)).toEqual({ n: 2 });
  });

  it('caches a getter that builds a new object on each read, so React does not loop', () => {
    const changes = new Emitter<void>();
    let n = 1;
    let renders = 0;
    function Probe() {
      renders++;
      const value = useObserved(changes.observable, () => ({ n }));
      return <p>{value.n}</p>;
    }
    const { container } = render(<Probe />);
    // One read at render, one at subscription (a new object): at most one extra render.
    expect(renders).toBeLessThanOrEqual(2);
    n = 5;
    act(() => {
      changes.next();
    });
    expect(container.textContent).toBe('5');
  });

  it('catches a change made between render and subscription by a source that does not replay', () => {
    const changes = new Emitter<void>();
    let value = 'before';
    function Changer() {
      // Runs after the probe rendered and before its subscription; nothing emits,
      // so only the re-read at subscription can notice.
      useEffect(() => {
        value = 'after';
      }, []);
      return null;
    }
    function Probe() {
      return <p>{useObserved(changes.observable, () => value)}</p>;
    }
    const { container } = render(
      <>
        <Changer />
        <Probe />
      </>,
    );
    expect(container.textContent).toBe('after');
  });

  it('unsubscribes on unmount, and resubscribes once after StrictMode double effects', () => {
    const subject = new ValueEmitter(0);
    let active = 0;
    const counted = observable<number>((observer) => {
      active++;
      const inner = subject.observable.subscribe(observer);
      return () => {
        active--;
        inner.unsubscribe();
      };
    });
    function Probe() {
      return <p>{useObserved(counted, () => subject.value)}</p>;
    }
    const { unmount, container } = render(
      <StrictMode>
        <Probe />
      </StrictMode>,
    );
    expect(active).toBe(1);
    act(() => {
      subject.next(3);
    });
    expect(container.textContent).toBe('3');
    unmount();
    expect(active).toBe(0);
  });

  it('re-reads when its key changes', () => {
    const subject = new ValueEmitter<Record<string, boolean>>({ a: true, b: false });
    function Probe({ k }: { k: string }) {
      return <p>{String(useObserved(subject.observable, () => subject.value[k], k))}</p>;
    }
    const { container, rerender } = render(<Probe k="a" />);
    expect(container.textContent).toBe('true');
    rerender(<Probe k="b" />);
    expect(container.textContent).toBe('false');
  });
});
