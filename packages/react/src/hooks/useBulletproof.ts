import { classifyFailure, whenSettled } from '@bulletproof/core';
import type { ProtectedResult, ProtectOptions, SettledOutcome } from '@bulletproof/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useProtection } from '../context/BulletproofProvider.js';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js';

/**
 * `queued`: kept in the outbox, not delivered yet. The hook follows a queued write to its
 * end, whoever delivers it (this page, another tab, the service worker): `synced` once it
 * is delivered, `failed` if the server refused it or it was discarded (`settled` says which).
 * With `keepAll`, `synced` waits until every followed write is delivered.
 */
export type BulletproofCallState =
  'idle' | 'running' | 'queued' | 'synced' | 'succeeded' | 'fallback' | 'failed';

export interface UseBulletproofOptions<T> extends ProtectOptions<T> {
  /**
   * Let every call's result update `state` and `result` as it arrives (`state`
   * stays `running` while any call is in flight). Default `false`: a newer
   * `run` supersedes older calls, whose results are then ignored (their `run`
   * promises still resolve).
   */
  keepAll?: boolean;
  /**
   * Abort calls still in flight when the component unmounts. Default `true`.
   * Turn it off for a write that must outlive its screen (with `offline`, so it is queued).
   */
  abortOnUnmount?: boolean;
}

export interface BulletproofCall<A extends unknown[], T> {
  /** Runs `fn(...args)` through `protection.protect`; never rejects for a failure of `fn`. */
  run: (...args: A) => Promise<ProtectedResult<T>>;
  /**
   * A call that ends `cancelled` (its `signal` aborted) leaves no trace: `state` and
   * `result` go back to what they were before it ran (`running` while other calls run).
   * One aborted by an unmount changes nothing at all.
   */
  state: BulletproofCallState;
  /** The result of the latest call that counted (never a `cancelled` one); kept while a new call runs. */
  result?: ProtectedResult<T>;
  /** How the latest call's queued write ended, once it has. */
  settled?: SettledOutcome;
  /** Back to `idle`; results of calls still in flight are ignored. */
  reset: () => void;
}

interface View<T> {
  state: BulletproofCallState;
  result?: ProtectedResult<T>;
  settled?: SettledOutcome;
}

const IDLE: View<never> = { state: 'idle' };

const STATE_OF = {
  ok: 'succeeded',
  queued: 'queued',
  fallback: 'fallback',
  failed: 'failed',
} as const satisfies Record<Exclude<ProtectedResult<unknown>['status'], 'cancelled'>, BulletproofCallState>;

/**
 * Runs a function through the Protection and tracks its state for rendering.
 *
 * `o` may also be a function of the call's arguments, for options that depend
 * on them: `(note) => ({ offline: { type: 'note.save', payload: note } })`.
 *
 * `fn` is called with the call's `ExecutionContext` as `this`, so a `function`
 * can pass `this.signal` on (to `fetch`) and stop when the call is aborted:
 * by a timeout, by `signal`, or by the component unmounting.
 */
export function useBulletproof<A extends unknown[], T>(
  name: string,
  fn: (...args: A) => Promise<T>,
  o?: UseBulletproofOptions<T> | ((...args: A) => UseBulletproofOptions<T>),
): BulletproofCall<A, T> {
  const protection = useProtection();
  const [view, setView] = useState<View<T>>(IDLE);

  // The newest props, for a `run` whose identity never changes. Updated after commit,
  // so a render React throws away never leaks into a call.
  const latest = useRef({ protection, name, fn, o });
  useIsomorphicLayoutEffect(() => {
    latest.current = { protection, name, fn, o };
  });

  // Calls whose result may still change the view; calls still running, with whether
  // an unmount aborts them.
  // `lastView`: the view as the last call that counted left it, which a cancelled call restores.
  const calls = useRef<{
    seq: number;
    counted: Set<number>;
    running: Map<AbortController, boolean>;
    lastView: View<T>;
    /** Calls whose queued write is followed to its end and may still change the view. */
    followed: Set<number>;
    /** The follows under way; let go on unmount. */
    following: Set<AbortController>;
    /** A followed write ended without being delivered: the view says `failed`, not `synced`. */
    followFailed: boolean;
  }>({
    seq: 0,
    counted: new Set(),
    running: new Map(),
    lastView: IDLE,
    followed: new Set(),
    following: new Set(),
    followFailed: false,
  });

  useEffect(() => {
    const c = calls.current;
    return () => {
      c.counted.clear();
      c.followed.clear();
      for (const follower of c.following) follower.abort();
      c.following.clear();
      for (const [controller, abortOnUnmount] of c.running) {
        if (abortOnUnmount) controller.abort(new DOMException('The component unmounted', 'AbortError'));
      }
    };
  }, []);

  const run = useCallback((...args: A): Promise<ProtectedResult<T>> => {
    const { protection, name, fn, o } = latest.current;
    const options = (typeof o === 'function' ? o(...args) : o) ?? {};
    const { keepAll, abortOnUnmount = true, signal: outer, ...protectOptions } = options;
    const c = calls.current;
    const id = ++c.seq;
    if (!keepAll) {
      c.counted.clear();
      c.followed.clear();
      c.followFailed = false;
    }
    c.counted.add(id);

    const controller = new AbortController();
    const forward = () => {
      controller.abort(outer?.reason);
    };
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    c.running.set(controller, abortOnUnmount);

    setView((v) => ({ ...v, state: 'running' }));

    const settle = (result: ProtectedResult<T>) => {
      c.running.delete(controller);
      outer?.removeEventListener('abort', forward);
      // Superseded, reset or unmounted: the caller still gets its result, the view does not.
      if (!c.counted.delete(id)) return;
      if (result.status === 'cancelled') {
        // Not an outcome: the view is what it was before this call.
        const before = c.lastView;
        setView(c.counted.size > 0 ? { ...before, state: 'running' } : before);
        return;
      }
      c.lastView = { state: STATE_OF[result.status], result };
      setView({ state: c.counted.size > 0 ? 'running' : STATE_OF[result.status], result });
      if (result.status === 'queued') follow(result.entry.id, id, result);
    };

    // The latest call's queued write is followed until it is delivered or given up on.
    const follow = (entryId: string, callId: number, result: ProtectedResult<T>) => {
      const outbox = protection.outbox;
      if (!outbox) return;
      const follower = new AbortController();
      c.following.add(follower);
      c.followed.add(callId);
      whenSettled(outbox, entryId, follower.signal).then(
        (settled) => {
          c.following.delete(follower);
          if (!c.followed.delete(callId) || c.counted.size > 0) return;
          // With keepAll several writes are followed: "synced" waits for the last of them,
          // and a write that was not delivered is said at once and not covered by later ones.
          if (settled === 'delivered' && (c.followed.size > 0 || c.followFailed)) return;
          if (settled !== 'delivered') c.followFailed = true;
          const view: View<T> = { state: settled === 'delivered' ? 'synced' : 'failed', result, settled };
          c.lastView = view;
          setView(view);
        },
        () => {
          c.following.delete(follower);
        },
      );
    };

    // Started synchronously; a synchronous throw (misuse) becomes a rejection like any other.
    const call = new Promise<ProtectedResult<T>>((resolve) => {
      resolve(
        protection.protect<T>(name, (ctx) => fn.apply(ctx, args), {
          ...protectOptions,
          signal: controller.signal,
        }),
      );
    });
    return call.then(
      (result) => {
        settle(result);
        return result;
      },
      (error: unknown) => {
        // `protect` rejects only for misuse (an unknown dependency, a disposed Protection).
        settle({ status: 'failed', failure: classifyFailure(error) });
        throw error;
      },
    );
  }, []);

  const reset = useCallback(() => {
    calls.current.counted.clear();
    calls.current.followed.clear();
    calls.current.followFailed = false;
    calls.current.lastView = IDLE;
    setView(IDLE);
  }, []);

  return useMemo(() => ({ run, reset, ...view }), [run, reset, view]);
}
