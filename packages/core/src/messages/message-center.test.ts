import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock.js';
import { createMessageCenter, DEFAULT_TOAST_TTL_MS } from './message-center.js';
import type { MessageCenter, MessageInput, VisibleMessages } from './types.js';

const keys = (center: MessageCenter) => ({
  banners: center.visible.banners.map((m) => m.key),
  toasts: center.visible.toasts.map((m) => m.key),
});

const toast = (key: string, extra: Partial<MessageInput> = {}): MessageInput => ({
  key,
  tone: 'info',
  text: `text of ${key}`,
  ...extra,
});

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('posting', () => {
  it('returns the key and shows a toast with every default resolved', () => {
    const center = createMessageCenter();
    expect(center.post({ key: 'a', tone: 'info', text: 'Hello' })).toBe('a');
    expect(center.visible.toasts).toEqual([
      {
        key: 'a',
        tone: 'info',
        text: 'Hello',
        placement: 'toast',
        priority: 1,
        ttlMs: DEFAULT_TOAST_TTL_MS,
        actions: [],
        politeness: 'polite',
        createdAt: 1_000,
        updatedAt: 1_000,
        count: 1,
      },
    ]);
    expect(center.visible.banners).toEqual([]);
  });

  it('keeps the title when one is given', () => {
    const center = createMessageCenter();
    center.post(toast('a', { title: 'Heads up' }));
    expect(center.visible.toasts[0]?.title).toBe('Heads up');
  });

  it('updates a message with the same key in place: new text and tone, count bumped, createdAt kept', () => {
    const center = createMessageCenter();
    center.post({ key: 'outbox', tone: 'info', text: '1 change waiting to sync' });
    vi.setSystemTime(4_000);
    center.post({ key: 'outbox', tone: 'warning', text: '2 changes waiting to sync' });
    expect(center.visible.toasts).toHaveLength(1);
    expect(center.visible.toasts[0]).toMatchObject({
      key: 'outbox',
      tone: 'warning',
      text: '2 changes waiting to sync',
      count: 2,
      createdAt: 1_000,
      updatedAt: 4_000,
    });
  });

  it('starts the count again for a key posted after it was dismissed', () => {
    const center = createMessageCenter();
    center.post(toast('a'));
    center.post(toast('a'));
    center.dismiss('a');
    center.post(toast('a'));
    expect(center.visible.toasts[0]?.count).toBe(1);
  });

  it('moves a message between banners and toasts when an update changes its placement', () => {
    const center = createMessageCenter();
    center.post(toast('net'));
    center.post(toast('net', { placement: 'banner' }));
    expect(keys(center)).toEqual({ banners: ['net'], toasts: [] });
    expect(center.visible.banners[0]?.count).toBe(2);
  });

  it('holds immutable snapshots: later changes to the input do not leak in', () => {
    const center = createMessageCenter();
    const actions = [{ id: 'retry', label: 'Retry' }];
    const input = { key: 'a', tone: 'error' as const, text: 'Failed', actions };
    center.post(input);
    input.text = 'changed';
    actions.push({ id: 'extra', label: 'Extra' });
    const shown = center.visible.toasts[0]!;
    expect(shown.text).toBe('Failed');
    expect(shown.actions.map((a) => a.id)).toEqual(['retry']);
    expect(Object.isFrozen(shown)).toBe(true);
    expect(Object.isFrozen(shown.actions)).toBe(true);
    expect(Object.isFrozen(center.visible)).toBe(true);
  });

  it('stores text exactly as given and never interprets it as HTML', () => {
    const center = createMessageCenter();
    const html = '<img src=x onerror="alert(1)"> &amp; <b>bold</b>';
    center.post({ key: 'a', tone: 'info', text: html, title: '<script>x</script>' });
    expect(center.visible.toasts[0]?.text).toBe(html);
    expect(center.visible.toasts[0]?.title).toBe('<script>x</script>');
  });
});

describe('caps, queue and priority', () => {
  it('caps toasts and banners separately and counts the rest as queued', () => {
    const center = createMessageCenter({ maxToasts: 2, maxBanners: 1 });
    for (const key of ['t1', 't2', 't3', 't4']) center.post(toast(key));
    center.post(toast('b1', { placement: 'banner' }));
    center.post(toast('b2', { placement: 'banner' }));
    expect(center.visible.toasts).toHaveLength(2);
    expect(center.visible.banners).toHaveLength(1);
    expect(center.queued).toBe(3);
  });

  it('uses the documented default caps: one toast and one banner, one story at a time', () => {
    const center = createMessageCenter();
    for (let i = 0; i < 5; i++) center.post(toast(`t${i}`));
    for (let i = 0; i < 3; i++) center.post(toast(`b${i}`, { placement: 'banner' }));
    expect(center.visible.toasts).toHaveLength(1);
    expect(center.visible.banners).toHaveLength(1);
    expect(center.queued).toBe(6);
  });

  it('drops news that went stale while it waited, and keeps it while on screen', () => {
    const center = createMessageCenter();
    center.post(toast('lasting', { priority: 9, ttlMs: null }));
    center.post(toast('news', { priority: 1, ttlMs: 4_000, staleAfterMs: 3_000 }));
    expect(keys(center).toasts).toEqual(['lasting']);
    vi.advanceTimersByTime(3_000);
    center.dismiss('lasting');
    // It waited 3 s behind the lasting one: old news, so it never shows.
    expect(keys(center).toasts).toEqual([]);
    expect(center.queued).toBe(0);

    center.post(toast('fresh', { ttlMs: 4_000, staleAfterMs: 1_000 }));
    vi.advanceTimersByTime(2_000);
    center.post(toast('other', { priority: -1 }));
    // On screen already: it stays its whole time to live, stale or not.
    expect(keys(center).toasts).toEqual(['fresh']);
    vi.advanceTimersByTime(2_000);
    expect(keys(center).toasts).toEqual(['other']);
  });

  it('shows the highest priority first, then the newest', () => {
    const center = createMessageCenter({ maxToasts: 3 });
    center.post(toast('old-high', { priority: 5 }));
    center.post(toast('low', { priority: 0 }));
    center.post(toast('mid', { priority: 2 }));
    center.post(toast('new-high', { priority: 5 }));
    expect(keys(center).toasts).toEqual(['new-high', 'old-high', 'mid']);
    expect(center.queued).toBe(1);
  });

  it('ranks by tone when no priority is given: error, warning, info, success', () => {
    const center = createMessageCenter({ maxToasts: 4 });
    center.post(toast('e', { tone: 'error' }));
    center.post(toast('w', { tone: 'warning' }));
    center.post(toast('i', { tone: 'info' }));
    center.post(toast('s', { tone: 'success' }));
    expect(keys(center).toasts).toEqual(['e', 'w', 'i', 's']);
    expect(center.visible.toasts.map((m) => m.priority)).toEqual([3, 2, 1, 0]);
  });

  it('treats an update as the newest news', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    center.post(toast('a'));
    center.post(toast('b'));
    expect(keys(center).toasts).toEqual(['b']);
    center.post(toast('a', { text: 'again' }));
    expect(keys(center).toasts).toEqual(['a']);
  });

  it('a higher-priority message pushes a lower one back into the queue, and it returns later', () => {
    const center = createMessageCenter({ maxBanners: 1 });
    center.post(toast('slow', { placement: 'banner', priority: 1 }));
    center.post(toast('offline', { placement: 'banner', priority: 10 }));
    expect(keys(center).banners).toEqual(['offline']);
    expect(center.queued).toBe(1);
    center.dismiss('offline');
    expect(keys(center).banners).toEqual(['slow']);
    expect(center.queued).toBe(0);
  });

  it('a lower-priority newcomer waits in the queue behind what is shown', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    center.post(toast('important', { priority: 9 }));
    center.post(toast('minor', { priority: 1 }));
    expect(keys(center).toasts).toEqual(['important']);
    expect(center.queued).toBe(1);
  });

  it('a cap of 0 queues everything of that placement', () => {
    const center = createMessageCenter({ maxBanners: 0 });
    center.post(toast('b', { placement: 'banner' }));
    expect(center.visible.banners).toEqual([]);
    expect(center.queued).toBe(1);
  });

  it('clear() removes shown and queued messages', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    center.post(toast('a'));
    center.post(toast('b'));
    center.clear();
    expect(keys(center)).toEqual({ banners: [], toasts: [] });
    expect(center.queued).toBe(0);
  });

  it('dismissing a queued message removes it from the queue', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    center.post(toast('a'));
    center.post(toast('b'));
    center.dismiss('a');
    expect(keys(center).toasts).toEqual(['b']);
    expect(center.queued).toBe(0);
  });
});

describe('time to live', () => {
  it('dismisses a toast after 6 s on screen by default, not before', () => {
    const center = createMessageCenter();
    center.post(toast('a'));
    vi.advanceTimersByTime(DEFAULT_TOAST_TTL_MS - 1);
    expect(keys(center).toasts).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(keys(center).toasts).toEqual([]);
  });

  it('keeps banners until dismissed', () => {
    const center = createMessageCenter();
    center.post(toast('offline', { placement: 'banner', tone: 'warning' }));
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(keys(center).banners).toEqual(['offline']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps error toasts and toasts with actions until dismissed', () => {
    const center = createMessageCenter({ maxToasts: 3 });
    center.post(toast('err', { tone: 'error' }));
    center.post(toast('act', { actions: [{ id: 'undo', label: 'Undo' }] }));
    vi.advanceTimersByTime(3_600_000);
    expect(keys(center).toasts.sort()).toEqual(['act', 'err']);
    expect(center.visible.toasts.every((m) => m.ttlMs === null)).toBe(true);
  });

  it('honours an explicit ttlMs, including on banners and errors, and null on toasts', () => {
    const center = createMessageCenter({ maxToasts: 3 });
    center.post(toast('banner', { placement: 'banner', ttlMs: 1_000 }));
    center.post(toast('err', { tone: 'error', ttlMs: 2_000 }));
    center.post(toast('sticky', { ttlMs: null }));
    vi.advanceTimersByTime(1_000);
    expect(keys(center)).toEqual({ banners: [], toasts: ['err', 'sticky'] });
    vi.advanceTimersByTime(1_000);
    expect(keys(center)).toEqual({ banners: [], toasts: ['sticky'] });
    vi.advanceTimersByTime(3_600_000);
    expect(keys(center).toasts).toEqual(['sticky']);
  });

  it('counts time on screen only: a queued toast gets its whole TTL once it shows', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    center.post(toast('first', { ttlMs: 10_000 }));
    center.post(toast('waiting', { ttlMs: 3_000, priority: 0 }));
    vi.advanceTimersByTime(10_000);
    expect(keys(center).toasts).toEqual(['waiting']);
    vi.advanceTimersByTime(2_999);
    expect(keys(center).toasts).toEqual(['waiting']);
    vi.advanceTimersByTime(1);
    expect(keys(center).toasts).toEqual([]);
  });

  it('stops the timer of a message pushed back into the queue', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    center.post(toast('a', { ttlMs: 1_000, priority: 1 }));
    center.post(toast('urgent', { ttlMs: null, priority: 9 }));
    vi.advanceTimersByTime(5_000);
    center.dismiss('urgent');
    expect(keys(center).toasts).toEqual(['a']);
    vi.advanceTimersByTime(999);
    expect(keys(center).toasts).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(keys(center).toasts).toEqual([]);
  });

  it('restarts the TTL when the message is updated', () => {
    const center = createMessageCenter();
    center.post(toast('a', { ttlMs: 1_000 }));
    vi.advanceTimersByTime(800);
    center.post(toast('a', { ttlMs: 1_000, text: 'updated' }));
    vi.advanceTimersByTime(800);
    expect(keys(center).toasts).toEqual(['a']);
    vi.advanceTimersByTime(200);
    expect(keys(center).toasts).toEqual([]);
  });

  it('turning a timed message sticky by an update cancels its timer', () => {
    const center = createMessageCenter();
    center.post(toast('a', { ttlMs: 1_000 }));
    center.post(toast('a', { ttlMs: null }));
    vi.advanceTimersByTime(10_000);
    expect(keys(center).toasts).toEqual(['a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer of a dismissed message', () => {
    const center = createMessageCenter();
    center.post(toast('a'));
    expect(vi.getTimerCount()).toBe(1);
    center.dismiss('a');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes time from the injected clock', () => {
    let now = 50;
    const pending: Array<{ fn: () => void; at: number }> = [];
    const clock: Clock = {
      now: () => now,
      setTimeout: (fn, ms) => {
        const timer = { fn, at: now + ms };
        pending.push(timer);
        return timer;
      },
      clearTimeout: (handle) => {
        const i = pending.indexOf(handle as (typeof pending)[number]);
        if (i >= 0) pending.splice(i, 1);
      },
    };
    const center = createMessageCenter({ clock });
    center.post(toast('a', { ttlMs: 100 }));
    expect(center.visible.toasts[0]).toMatchObject({ createdAt: 50, updatedAt: 50 });
    expect(pending).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0); // nothing went to the global timers
    now = 150;
    pending.shift()!.fn();
    expect(center.visible.toasts).toEqual([]);
  });
});

describe('actions', () => {
  it('runs the action and dismisses the message', async () => {
    const run = vi.fn();
    const center = createMessageCenter();
    center.post(toast('rejected', { tone: 'error', actions: [{ id: 'retry', label: 'Retry', run }] }));
    await center.act('rejected', 'retry');
    expect(run).toHaveBeenCalledTimes(1);
    expect(keys(center).toasts).toEqual([]);
  });

  it('dismisses at once, before an async run settles, so a double click runs it once', async () => {
    let finish!: () => void;
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const center = createMessageCenter();
    center.post(toast('m', { actions: [{ id: 'go', label: 'Go', run }] }));
    const first = center.act('m', 'go');
    expect(keys(center).toasts).toEqual([]);
    await center.act('m', 'go');
    finish();
    await first;
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('an action without run just dismisses', async () => {
    const center = createMessageCenter();
    center.post(toast('m', { actions: [{ id: 'ok', label: 'OK' }] }));
    await center.act('m', 'ok');
    expect(keys(center).toasts).toEqual([]);
  });

  it('does nothing for a key or an action that no longer exists', async () => {
    const run = vi.fn();
    const center = createMessageCenter();
    center.post(toast('m', { actions: [{ id: 'go', label: 'Go', run }] }));
    await expect(center.act('gone', 'go')).resolves.toBeUndefined();
    await expect(center.act('m', 'other')).resolves.toBeUndefined();
    expect(run).not.toHaveBeenCalled();
    expect(keys(center).toasts).toEqual(['m']);
  });

  it('a throwing run brings the message back, reports the error, and act still resolves', async () => {
    const onActionError = vi.fn();
    const boom = new Error('boom');
    const center = createMessageCenter({ onActionError, maxToasts: 3 });
    center.post(
      toast('m', {
        tone: 'error',
        actions: [
          {
            id: 'retry',
            label: 'Retry',
            run: () => {
              throw boom;
            },
          },
        ],
      }),
    );
    await expect(center.act('m', 'retry')).resolves.toBeUndefined();
    expect(onActionError).toHaveBeenCalledWith(boom, { key: 'm', actionId: 'retry' });
    expect(keys(center).toasts).toEqual(['m']);
    // The center keeps working after the failure.
    center.post(toast('n'));
    expect(keys(center).toasts).toEqual(['m', 'n']); // the restored error outranks the info
  });

  it('a rejecting async run brings the message back with its count and actions', async () => {
    const onActionError = vi.fn();
    const center = createMessageCenter({ onActionError });
    const actions = [{ id: 'discard', label: 'Discard', run: () => Promise.reject(new Error('no')) }];
    center.post(toast('m', { actions }));
    center.post(toast('m', { actions }));
    await center.act('m', 'discard');
    expect(center.visible.toasts[0]).toMatchObject({ key: 'm', count: 2 });
    expect(center.visible.toasts[0]?.actions.map((a) => a.id)).toEqual(['discard']);
    expect(onActionError).toHaveBeenCalledTimes(1);
  });

  it('does not restore a message whose key was posted again while the action ran', async () => {
    let fail!: (e: Error) => void;
    const center = createMessageCenter({ onActionError: () => {} });
    center.post(
      toast('m', {
        actions: [{ id: 'go', label: 'Go', run: () => new Promise<void>((_, reject) => (fail = reject)) }],
      }),
    );
    const acting = center.act('m', 'go');
    center.post(toast('m', { text: 'newer news' }));
    fail(new Error('late failure'));
    await acting;
    expect(center.visible.toasts.map((m) => m.text)).toEqual(['newer news']);
  });

  it('an error reporter that throws does not make act reject', async () => {
    const center = createMessageCenter({
      onActionError: () => {
        throw new Error('reporter broke');
      },
    });
    center.post(
      toast('m', { actions: [{ id: 'go', label: 'Go', run: () => Promise.reject(new Error('x')) }] }),
    );
    await expect(center.act('m', 'go')).resolves.toBeUndefined();
  });

  it('reports action errors through reportError when the platform has it', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const center = createMessageCenter();
    const error = new Error('x');
    center.post(toast('m', { actions: [{ id: 'go', label: 'Go', run: () => Promise.reject(error) }] }));
    await center.act('m', 'go');
    expect(reportError).toHaveBeenCalledWith(error);
  });

  it('falls back to console.error when reportError is missing', async () => {
    vi.stubGlobal('reportError', undefined);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const center = createMessageCenter();
    const error = new Error('x');
    center.post(toast('m', { actions: [{ id: 'go', label: 'Go', run: () => Promise.reject(error) }] }));
    await center.act('m', 'go');
    expect(consoleError).toHaveBeenCalledWith(error);
    consoleError.mockRestore();
  });
});

describe('politeness', () => {
  it('is polite by default, even for errors', () => {
    const center = createMessageCenter();
    center.post(toast('e', { tone: 'error' }));
    expect(center.visible.toasts[0]?.politeness).toBe('polite');
  });

  it('keeps assertive for the error tone', () => {
    const center = createMessageCenter();
    center.post(toast('e', { tone: 'error', politeness: 'assertive' }));
    expect(center.visible.toasts[0]?.politeness).toBe('assertive');
  });

  it.each(['info', 'success', 'warning'] as const)('coerces assertive to polite for the %s tone', (tone) => {
    const center = createMessageCenter();
    center.post(toast('m', { tone, politeness: 'assertive' }));
    expect(center.visible.toasts[0]?.politeness).toBe('polite');
  });

  it('drops back to polite when an assertive error is updated to another tone', () => {
    const center = createMessageCenter();
    center.post(toast('save', { tone: 'error', politeness: 'assertive' }));
    center.post(toast('save', { tone: 'success', politeness: 'assertive' }));
    expect(center.visible.toasts[0]?.politeness).toBe('polite');
  });
});

describe('visible$', () => {
  it('emits the current value to new subscribers and a new object only when something visible changed', () => {
    const center = createMessageCenter({ maxToasts: 1 });
    const seen: VisibleMessages[] = [];
    center.visible$.subscribe((v) => seen.push(v));
    expect(seen).toHaveLength(1);
    center.post(toast('a', { priority: 5 }));
    expect(seen).toHaveLength(2);
    center.post(toast('queued', { priority: 1 })); // lands in the queue: nothing visible changes
    center.dismiss('missing');
    expect(seen).toHaveLength(2);
    center.post(toast('a', { priority: 5, text: 'updated' }));
    expect(seen).toHaveLength(3);
    expect(seen[2]).not.toBe(seen[1]);
    expect(seen[2]?.toasts[0]?.text).toBe('updated');
    expect(center.visible).toBe(seen[2]);
  });

  it('keeps the unchanged list identical when only the other placement changes', () => {
    const center = createMessageCenter();
    center.post(toast('t'));
    const before = center.visible;
    center.post(toast('b', { placement: 'banner' }));
    expect(center.visible).not.toBe(before);
    expect(center.visible.toasts[0]).toBe(before.toasts[0]);
  });
});

describe('dispose', () => {
  it('stops every timer, completes visible$, and ignores later calls', async () => {
    const center = createMessageCenter({ maxToasts: 3 });
    let completed = false;
    center.visible$.subscribe({ complete: () => (completed = true) });
    center.post(toast('a'));
    center.post(toast('b', { ttlMs: 500 }));
    expect(vi.getTimerCount()).toBe(2);
    center.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(completed).toBe(true);
    expect(center.queued).toBe(0);
    expect(center.post(toast('c'))).toBe('c');
    expect(vi.getTimerCount()).toBe(0);
    await expect(center.act('a', 'x')).resolves.toBeUndefined();
    center.dispose();
  });
});

describe('validation', () => {
  const center = () => createMessageCenter();
  const bad = (m: unknown) => () => center().post(m as MessageInput);

  it.each([
    [{ key: '', tone: 'info', text: 'x' }, /post\(\): message field "key" must not be empty/],
    [{ tone: 'info', text: 'x' }, /message field "key" must be a string/],
    [
      { key: 'k', tone: 'loud', text: 'x' },
      /message field "tone" must be one of "info", "success", "warning", "error"/,
    ],
    [{ key: 'k', tone: 'info', text: 42 }, /message field "text" must be a string \(received 42\)/],
    [{ key: 'k', tone: 'info', text: { toString: () => '<b>' } }, /message field "text" must be a string/],
    [{ key: 'k', tone: 'info', text: '' }, /message field "text" must not be empty/],
    [{ key: 'k', tone: 'info', text: 'x', title: 1 }, /message field "title" must be a string/],
    [{ key: 'k', tone: 'info', text: 'x', placement: 'modal' }, /"placement"/],
    [
      { key: 'k', tone: 'info', text: 'x', priority: 'high' },
      /message field "priority" must be a finite number/,
    ],
    [{ key: 'k', tone: 'info', text: 'x', ttlMs: 0 }, /message field "ttlMs" must be > 0/],
    [{ key: 'k', tone: 'info', text: 'x', ttlMs: -5 }, /"ttlMs"/],
    [{ key: 'k', tone: 'info', text: 'x', ttlMs: Infinity }, /"ttlMs"/],
    [{ key: 'k', tone: 'info', text: 'x', ttlMs: 2 ** 31 }, /message field "ttlMs" must be ≤ 2147483647/],
    [
      { key: 'k', tone: 'info', text: 'x', actions: [{ id: 'a' }] },
      /message field "actions\[0\]\.label" must be a string/,
    ],
    [
      { key: 'k', tone: 'info', text: 'x', actions: [{ id: 'a', label: 'A', run: 'x' }] },
      /message field "actions\[0\]\.run" must be a function/,
    ],
    [{ key: 'k', tone: 'info', text: 'x', politeness: 'rude' }, /"politeness"/],
    [null, /post\(\): message must be an object/],
  ])('rejects %j with a TypeError naming the field', (input, message) => {
    expect(bad(input)).toThrow(TypeError);
    expect(bad(input)).toThrow(message);
  });

  it('rejects duplicate action ids', () => {
    expect(
      bad({
        key: 'k',
        tone: 'error',
        text: 'x',
        actions: [
          { id: 'retry', label: 'Retry' },
          { id: 'retry', label: 'Again' },
        ],
      }),
    ).toThrow(/post\(\): message field "actions" has the id "retry" twice/);
  });

  it('leaves the center unchanged after a rejected post', () => {
    const c = createMessageCenter();
    c.post(toast('a'));
    expect(() => c.post({ key: 'a', tone: 'info', text: 7 } as unknown as MessageInput)).toThrow(TypeError);
    expect(c.visible.toasts[0]).toMatchObject({ key: 'a', count: 1 });
  });

  it.each([
    [{ maxToasts: -1 }, /createMessageCenter\(\): option "maxToasts" must be ≥ 0/],
    [{ maxToasts: 1.5 }, /option "maxToasts" must be an integer/],
    [{ maxBanners: '1' }, /"maxBanners"/],
    [{ locale: 'not a locale!' }, /option "locale" must be a BCP 47 language tag/],
    [{ locale: 3 }, /"locale"/],
    [{ clock: {} }, /option "clock" must be a Clock/],
    [{ onActionError: 'log' }, /option "onActionError" must be a function/],
    [{ maxToast: 3 }, /unknown option "maxToast"/],
    [{ templates: 'x' }, /createMessageCenter\(\): option "templates" must be an object/],
    [{ templates: { ofline: 'x' } }, /option "templates.ofline" is not a known template/],
    [{ templates: { offline: 3 } }, /option "templates.offline" must be a string or plural forms/],
    [{ templates: { synced: { one: 'x' } } }, /option "templates.synced.other" is required/],
    [
      { templates: { synced: { other: 'x', several: 'y' } } },
      /option "templates.synced.several" is not a plural form/,
    ],
    [{ templates: { synced: { other: 'x', one: 1 } } }, /option "templates.synced.one" must be a string/],
  ])('rejects option %j with a TypeError naming it', (options, message) => {
    const create = () => createMessageCenter(options as never);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});
