import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, HttpError } from '../../failure/errors.js';
import { exponentialBackoff } from '../backoff.js';
import { persistInLocalStorage, type StorageLike } from './persist.js';
import { shareAcrossTabs, type BroadcastChannelConstructor, type BroadcastChannelLike } from './tab-share.js';
import { circuitBreaker, type BreakerOptions, type CircuitBreaker } from './circuit-breaker.js';
import { consecutiveFailures } from './windows.js';

const fail = () => Promise.reject(new HttpError(500));
const ok = () => Promise.resolve('ok');

/** Same-origin tabs in memory: messages go to every other open channel of the same name, asynchronously and cloned. */
function fakeTabs() {
  const open = new Set<FakeChannel>();
  const posted: unknown[] = [];
  class FakeChannel implements BroadcastChannelLike {
    private readonly listeners: Array<(e: MessageEvent) => void> = [];
    closed = false;
    constructor(readonly name: string) {
      open.add(this);
    }
    postMessage(message: unknown) {
      if (this.closed) throw new DOMException('closed', 'InvalidStateError');
      posted.push(message);
      const data = structuredClone(message);
      for (const other of open) {
        if (other === this || other.name !== this.name) continue;
        queueMicrotask(() => {
          if (!other.closed) for (const l of other.listeners) l({ data } as MessageEvent);
        });
      }
    }
    addEventListener(_type: 'message', listener: (e: MessageEvent) => void) {
      this.listeners.push(listener);
    }
    close() {
      this.closed = true;
      open.delete(this);
    }
    /** A message from some foreign script on the same channel. */
    inject(data: unknown) {
      for (const l of this.listeners) l({ data } as MessageEvent);
    }
  }
  return { Channel: FakeChannel as BroadcastChannelConstructor & typeof FakeChannel, open, posted };
}

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      data.set(k, v);
    },
  };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('circuitBreaker share: "tabs"', () => {
  const breakers: CircuitBreaker[] = [];
  let tabs: ReturnType<typeof fakeTabs>;
  const tab = (o: Partial<BreakerOptions> = {}) => {
    const b = circuitBreaker({
      name: 'api',
      window: consecutiveFailures(1),
      openForMs: 1_000,
      share: shareAcrossTabs({ BroadcastChannel: tabs.Channel }),
      ...o,
    });
    breakers.push(b);
    return b;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    tabs = fakeTabs();
  });
  afterEach(() => {
    for (const b of breakers.splice(0)) b.dispose();
    vi.useRealTimers();
  });

  it('mirrors opening (with the same openUntil) and closing to the other tabs', async () => {
    const a = tab();
    const b = tab();
    await a.execute(fail).catch(() => undefined);
    await flush();
    expect(b.snapshot).toMatchObject({ state: 'open', openedAt: 1_000_000, openUntil: 1_001_000 });
    const fn = vi.fn(ok);
    await expect(b.execute(fn)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fn).not.toHaveBeenCalled();

    vi.advanceTimersByTime(1_000);
    await a.execute(ok);
    await flush();
    expect(a.state).toBe('closed');
    expect(b.state).toBe('closed');
    await expect(b.execute(ok)).resolves.toBe('ok');
  });

  it('emits breaker-state events in the mirroring tab', async () => {
    const a = tab();
    const b = tab();
    const seen: string[] = [];
    b.events$.subscribe((e) => {
      if (e.type === 'breaker-state') seen.push(`${e.from}→${e.to}`);
    });
    await a.execute(fail).catch(() => undefined);
    await flush();
    expect(seen).toEqual(['closed→open']);
  });

  it('a tab opened later learns the current state from the others', async () => {
    const a = tab();
    await a.execute(fail).catch(() => undefined);
    const late = tab();
    expect(late.state).toBe('closed');
    await flush();
    expect(late.snapshot).toMatchObject({ state: 'open', openUntil: 1_001_000 });
  });

  it('mirrors isolation, and closes everywhere only when every tab has released', async () => {
    const a = tab();
    const b = tab();
    const releaseA = a.isolate();
    await flush();
    expect(b.state).toBe('isolated');
    const releaseB = b.isolate();
    await flush();
    releaseA();
    await flush();
    expect(a.state).toBe('isolated');
    expect(b.state).toBe('isolated');
    releaseB();
    await flush();
    expect(a.state).toBe('closed');
    expect(b.state).toBe('closed');
  });

  it('a single holder releasing closes the mirror', async () => {
    const a = tab();
    const b = tab();
    const release = a.isolate();
    await flush();
    expect(b.state).toBe('isolated');
    release();
    await flush();
    expect(b.state).toBe('closed');
  });

  it('keeps the newest state when messages cross', async () => {
    const a = tab();
    const b = tab();
    await a.execute(fail).catch(() => undefined);
    vi.advanceTimersByTime(5);
    // b closes later than a opened (it does not know yet): its newer state wins everywhere.
    b.reset();
    await b.execute(fail).catch(() => undefined);
    await flush();
    expect(a.snapshot.openedAt).toBe(1_000_005);
    expect(b.snapshot.openedAt).toBe(1_000_005);
  });

  it('ignores breakers of another name and messages that are not ours', async () => {
    const a = tab();
    const other = tab({ name: 'search' });
    await a.execute(fail).catch(() => undefined);
    await flush();
    expect(other.state).toBe('closed');
    const b = tab();
    await flush();
    const channel = [...tabs.open].find((c) => c.name === 'bulletproof-breaker:api')!;
    channel.inject({ v: 1, type: 'state', id: 'x', record: { state: 'exploded', at: 1, opens: 0 } });
    channel.inject('hello');
    channel.inject(null);
    channel.inject({ v: 2, type: 'state', id: 'x', record: { state: 'closed', at: 9e15, opens: 0 } });
    expect(b.state).toBe('open');
  });

  it('dispose() stops mirroring', async () => {
    const a = tab();
    const b = tab();
    b.dispose();
    await a.execute(fail).catch(() => undefined);
    await flush();
    expect(b.state).toBe('closed');
  });

  it('without a BroadcastChannel available it simply does not share', async () => {
    const b = circuitBreaker({
      name: 'solo',
      share: shareAcrossTabs({ BroadcastChannel: undefined }),
    });
    breakers.push(b);
    await expect(b.execute(ok)).resolves.toBe('ok');
  });
});

describe('circuitBreaker persist: "local"', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = (storage: StorageLike, o: Partial<BreakerOptions> = {}) =>
    circuitBreaker({
      name: 'api',
      window: consecutiveFailures(1),
      openForMs: 10_000,
      persist: persistInLocalStorage({ storage }),
      ...o,
    });

  it('restores an open breaker after a reload, then probes after openUntil', async () => {
    const storage = memoryStorage();
    await make(storage)
      .execute(fail)
      .catch(() => undefined);
    expect(JSON.parse(storage.data.get('bulletproof:breaker:api')!)).toMatchObject({
      state: 'open',
      openUntil: 1_010_000,
    });

    vi.advanceTimersByTime(4_000);
    const reloaded = make(storage);
    expect(reloaded.snapshot).toMatchObject({ state: 'open', openedAt: 1_000_000, openUntil: 1_010_000 });
    await expect(reloaded.execute(ok)).rejects.toMatchObject({ retryAfterMs: 6_000 });
    vi.advanceTimersByTime(6_000);
    await expect(reloaded.execute(ok)).resolves.toBe('ok');
    expect(reloaded.state).toBe('closed');
    expect(JSON.parse(storage.data.get('bulletproof:breaker:api')!)).toMatchObject({ state: 'closed' });
    expect(make(storage).state).toBe('closed');
  });

  it('a breaker that was half-open probes again on its first call after the reload', async () => {
    const storage = memoryStorage();
    const before = make(storage);
    await before.execute(fail).catch(() => undefined);
    vi.advanceTimersByTime(10_000);
    let release!: () => void;
    void before.execute(() => new Promise<void>((r) => (release = r)));
    expect(before.state).toBe('half-open');
    const reloaded = make(storage);
    expect(reloaded.state).toBe('open');
    await expect(reloaded.execute(ok)).resolves.toBe('ok');
    release();
  });

  it('keeps the growing openForMs across a reload', async () => {
    const storage = memoryStorage();
    const openForMs = exponentialBackoff({ initialMs: 1_000, jitter: 'none' });
    const first = make(storage, { openForMs });
    await first.execute(fail).catch(() => undefined);
    vi.advanceTimersByTime(1_000);
    await first.execute(fail).catch(() => undefined);
    const reloaded = make(storage, { openForMs });
    vi.advanceTimersByTime(2_000);
    await reloaded.execute(fail).catch(() => undefined);
    expect(reloaded.snapshot.openUntil! - reloaded.snapshot.openedAt!).toBe(4_000);
  });

  it('does not restore an isolation: nothing could release it any more', () => {
    const storage = memoryStorage();
    make(storage).isolate();
    expect(make(storage).state).toBe('closed');
  });

  it('ignores corrupt or foreign records and storage that throws', async () => {
    const storage = memoryStorage();
    for (const junk of [
      '{',
      '"text"',
      '{"state":"open","at":1,"opens":1}',
      '{"state":"sideways","at":1,"opens":0}',
    ]) {
      storage.data.set('bulletproof:breaker:api', junk);
      expect(make(storage).state, junk).toBe('closed');
    }
    const hostile: StorageLike = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    const breaker = make(hostile);
    await breaker.execute(fail).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });
});
