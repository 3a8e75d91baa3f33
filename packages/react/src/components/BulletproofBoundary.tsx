import { Component, createContext, createElement, useContext, useMemo, useState } from '../react.js';
import type { ComponentType, ErrorInfo, PropsWithChildren, ReactNode } from 'react';
import { DEV } from '../dev.js';

/** What a boundary's fallback receives. */
export interface BoundaryFallbackProps {
  error: unknown;
  /** Clears the error and renders the children again. */
  resetErrorBoundary: (...args: unknown[]) => void;
}

/** Why a boundary reset: a call of `resetErrorBoundary`, or a change of `resetKeys`. */
export type BoundaryResetDetails =
  | { reason: 'imperative-api'; args: unknown[] }
  | { reason: 'keys'; prev: readonly unknown[] | undefined; next: readonly unknown[] | undefined };

interface BoundaryBaseProps {
  /** When any of these change (by `Object.is`) while an error shows, the boundary resets. */
  resetKeys?: readonly unknown[];
  onError?: (error: unknown, info: ErrorInfo) => void;
  onReset?: (details: BoundaryResetDetails) => void;
}

/** Exactly one way to render the fallback. */
export type BulletproofBoundaryProps = PropsWithChildren<
  BoundaryBaseProps &
    (
      | { fallback: ReactNode; FallbackComponent?: never; fallbackRender?: never }
      | { FallbackComponent: ComponentType<BoundaryFallbackProps>; fallback?: never; fallbackRender?: never }
      | {
          /** Renders the fallback from the error and the function that resets the boundary. */
          fallbackRender: (props: BoundaryFallbackProps) => ReactNode;
          fallback?: never;
          FallbackComponent?: never;
        }
    )
>;

interface BoundaryState {
  caught: { error: unknown } | null;
}

interface BoundaryContextValue {
  reset: (...args: unknown[]) => void;
}

const BoundaryContext = createContext<BoundaryContextValue | null>(null);

function keysChanged(prev: readonly unknown[] = [], next: readonly unknown[] = []): boolean {
  return prev.length !== next.length || prev.some((key, i) => !Object.is(key, next[i]));
}

/**
 * An error boundary that renders a fallback instead of a blank page, resets on
 * demand or when `resetKeys` change, and accepts errors from event handlers and
 * async code through `useBoundary().showBoundary`.
 */
export class BulletproofBoundary extends Component<BulletproofBoundaryProps, BoundaryState> {
  override state: BoundaryState = { caught: null };

  /** Called by React when a child throws while rendering: the boundary keeps the error and shows its fallback. */
  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { caught: { error } };
  }

  // Stable across renders so the context value does not change needlessly.
  private readonly contextValue: BoundaryContextValue = {
    reset: (...args) => {
      this.resetErrorBoundary(...args);
    },
  };

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override componentDidUpdate(prevProps: BulletproofBoundaryProps, prevState: BoundaryState): void {
    // Keys that change in the same update that caught the error must not undo it at once.
    if (this.state.caught && prevState.caught && keysChanged(prevProps.resetKeys, this.props.resetKeys)) {
      this.props.onReset?.({ reason: 'keys', prev: prevProps.resetKeys, next: this.props.resetKeys });
      this.setState({ caught: null });
    }
  }

  /** Clears the error and renders the children again, telling `onReset` the `args`; does nothing while no error shows. */
  resetErrorBoundary = (...args: unknown[]): void => {
    if (!this.state.caught) return;
    this.props.onReset?.({ reason: 'imperative-api', args });
    this.setState({ caught: null });
  };

  override render(): ReactNode {
    const { caught } = this.state;
    let content: ReactNode = this.props.children;
    if (caught) {
      const fallbackProps: BoundaryFallbackProps = {
        error: caught.error,
        resetErrorBoundary: this.resetErrorBoundary,
      };
      if (this.props.fallbackRender) content = this.props.fallbackRender(fallbackProps);
      else if (this.props.FallbackComponent)
        content = createElement(this.props.FallbackComponent, fallbackProps);
      else content = this.props.fallback;
    }
    return createElement(BoundaryContext.Provider, { value: this.contextValue }, content);
  }
}

/**
 * Lets event handlers and async code hand an error to the nearest
 * `BulletproofBoundary` (boundaries only see errors thrown while rendering).
 */
export function useBoundary(): {
  /** Shows the nearest boundary's fallback for `error`; throws when no `BulletproofBoundary` is above. */
  showBoundary: (error: unknown) => void;
  /** Resets the nearest boundary, clearing an error `showBoundary` handed it. */
  resetBoundary: () => void;
} {
  const context = useContext(BoundaryContext);
  const [thrown, setThrown] = useState<{ error: unknown } | null>(null);
  if (thrown) throw thrown.error;
  return useMemo(
    () => ({
      showBoundary: (error: unknown) => {
        if (!context)
          throw new Error(
            DEV
              ? 'useBoundary: showBoundary needs a <BulletproofBoundary> above this component'
              : 'useBoundary: no boundary',
          );
        setThrown({ error });
      },
      resetBoundary: () => {
        setThrown(null);
        context?.reset();
      },
    }),
    [context],
  );
}
