import { classifyFailure, whenSettled } from '@bulletproof/core';
import type { Outbox, Protection, ProtectedResult, ProtectOptions, SettledOutcome } from '@bulletproof/core';
import { useEffect, useMemo, useRef, useState } from '../react.js';
import type { Dispatch, SetStateAction } from 'react';
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

/** Options of `useBulletproof`: those of `protect`, and how the hook treats overlapping calls and an unmount. */
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

/** What `useBulletproof` returns: the function that starts a call, and the latest call's state for rendering. */
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

  const [calls] = useState(() => trackCalls(latest, setView));
  useEffect(() => calls.unmount, [calls]);

  return useMemo(() => ({ run: calls.run, reset: calls.reset, ...view }), [calls, view]);
}

interface Latest<A extends unknown[], T> {
  protection: Protection;
  name: string;
  fn: (...args: A) => Promise<T>;
  o?: UseBulletproofOptions<T> | ((...args: A) => UseBulletproofOptions<T>);
}

/**
 * The calls of one `useBulletproof`, kept in closures (created once per component):
 * which calls may still change the view, which are running, which queued writes are followed.
 */
function trackCalls<A extends unknown[], T>(
  latest: { current: Latest<A, T> },
  setView: Dispatch<SetStateAction<View<T>>>,
) {
  let seq = 0;
  // Calls whose result may still change the view.
  const counted = new Set<number>();
  // Calls still running, with whether an unmount aborts them.
  const running = new Map<AbortController, boolean>();
  // The view as the last call that counted left it, which a cancelled call restores.
  let lastView: View<T> = IDLE;
  // Calls whose queued write is followed to its end and may still change the view.
  const followed = new Set<number>();
  // The follows under way; let go on unmount.
  const following = new Set<AbortController>();
  // A followed write ended without being delivered: the view says `failed`, not `synced`.
  let followFailed = false;

  const forget = () => {
    counted.clear();
    followed.clear();
    followFailed = false;
  };
  const show = (next: View<T>) => {
    lastView = next;
    setView(next);
  };

  // The latest call's queued write is followed until it is delivered or given up on.
  const follow = (outbox: Outbox, entryId: string, callId: number, result: ProtectedResult<T>) => {
    const follower = new AbortController();
    const done = () => following.delete(follower);
    following.add(follower);
    followed.add(callId);
    whenSettled(outbox, entryId, follower.signal).then((settled) => {
      done();
      if (!followed.delete(callId) || counted.size > 0) return;
      // With keepAll several writes are followed: "synced" waits for the last of them,
      // and a write that was not delivered is said at once and not covered by later ones.
      const delivered = settled === 'delivered';
      if (delivered && (followed.size > 0 || followFailed)) return;
      if (!delivered) followFailed = true;
      show({ state: delivered ? 'synced' : 'failed', result, settled });
    }, done);
  };

  const run = (...args: A): Promise<ProtectedResult<T>> => {
    const { protection, name, fn, o } = latest.current;
    const options = (typeof o === 'function' ? o(...args) : o) ?? {};
    const { keepAll, abortOnUnmount = true, signal: outer, ...protectOptions } = options;
    const id = ++seq;
    if (!keepAll) forget();
    counted.add(id);

    const controller = new AbortController();
    const forward = () => {
      controller.abort(outer?.reason);
    };
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    running.set(controller, abortOnUnmount);

    setView((v) => ({ ...v, state: 'running' }));

    const settle = (result: ProtectedResult<T>) => {
      running.delete(controller);
      outer?.removeEventListener('abort', forward);
      // Superseded, reset or unmounted: the caller still gets its result, the view does not.
      if (!counted.delete(id)) return;
      const busy = counted.size > 0;
      if (result.status === 'cancelled') {
        // Not an outcome: the view is what it was before this call.
        setView(busy ? { ...lastView, state: 'running' } : lastView);
        return;
      }
      const state = STATE_OF[result.status];
      lastView = { state, result };
      setView(busy ? { state: 'running', result } : lastView);
      if (result.status === 'queued' && protection.outbox)
        follow(protection.outbox, result.entry.id, id, result);
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
  };

  return {
    run,
    reset: () => {
      forget();
      show(IDLE);
    },
    unmount: () => {
      counted.clear();
      followed.clear();
      for (const follower of following) follower.abort();
      following.clear();
      for (const [controller, abortOnUnmount] of running) {
        if (abortOnUnmount) controller.abort(new DOMException('The component unmounted', 'AbortError'));
      }
    },
  };
}
