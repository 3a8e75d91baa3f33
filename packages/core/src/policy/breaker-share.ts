import type { BreakerState } from './types.js';

/** The part of a breaker's state that other tabs mirror and a reload restores. */
export interface BreakerRecord {
  state: BreakerState;
  openedAt?: number;
  openUntil?: number;
  /** Openings since the breaker last closed (drives a growing `openForMs` backoff). */
  opens: number;
  lastOpenMs?: number;
  /** Clock time of the transition: the latest one wins when tabs disagree. */
  at: number;
}

/** The slice of `BroadcastChannel` a breaker uses; inject a fake in tests. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/** The slice of `localStorage` a breaker uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const STATES: ReadonlySet<string> = new Set(['closed', 'open', 'half-open', 'isolated']);
const PROTOCOL = 1;

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a record that came from another tab or from storage; anything foreign is rejected, never trusted. */
export function parseRecord(value: unknown): BreakerRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    typeof v.state !== 'string' ||
    !STATES.has(v.state) ||
    !finite(v.at) ||
    !finite(v.opens) ||
    v.opens < 0
  ) {
    return undefined;
  }
  const record: BreakerRecord = { state: v.state as BreakerState, opens: v.opens, at: v.at };
  if (finite(v.openedAt)) record.openedAt = v.openedAt;
  if (finite(v.openUntil)) record.openUntil = v.openUntil;
  if (finite(v.lastOpenMs)) record.lastOpenMs = v.lastOpenMs;
  if ((record.state === 'open' || record.state === 'half-open') && record.openUntil === undefined)
    return undefined;
  return record;
}

export function storageKey(name: string): string {
  return `bulletproof:breaker:${name}`;
}

/** Reads the persisted record; storage that throws (privacy modes, sandboxed frames) or holds junk yields nothing. */
export function loadRecord(storage: StorageLike, name: string): BreakerRecord | undefined {
  try {
    const raw = storage.getItem(storageKey(name));
    return raw === null ? undefined : parseRecord(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

export function saveRecord(storage: StorageLike, name: string, record: BreakerRecord): void {
  try {
    storage.setItem(storageKey(name), JSON.stringify({ v: PROTOCOL, ...record }));
  } catch {
    // A full or forbidden storage costs only the restore after a reload.
  }
}

/**
 * Mirrors a breaker's transitions to same-named breakers in other tabs and frames of the
 * origin. A new instance asks the others for their state, so a tab opened while the
 * breaker is open elsewhere starts open instead of hammering the failing dependency.
 */
export class TabShare {
  private readonly channel: BroadcastChannelLike;
  private readonly id = Math.random().toString(36).slice(2);

  constructor(
    name: string,
    Channel: BroadcastChannelConstructor,
    onRemote: (record: BreakerRecord, sender: string, holds: boolean) => void,
    current: () => { record: BreakerRecord; holds: boolean } | undefined,
  ) {
    this.channel = new Channel(`bulletproof-breaker:${name}`);
    // Node's BroadcastChannel would otherwise keep the process alive.
    (this.channel as { unref?: () => void }).unref?.();
    this.channel.addEventListener('message', (event: MessageEvent) => {
      const data = event.data as {
        v?: unknown;
        type?: unknown;
        id?: unknown;
        record?: unknown;
        holds?: unknown;
      } | null;
      if (typeof data !== 'object' || data === null || data.v !== PROTOCOL || typeof data.id !== 'string')
        return;
      if (data.id === this.id) return;
      if (data.type === 'sync') {
        const known = current();
        if (known) this.publish(known.record, known.holds);
        return;
      }
      if (data.type === 'state') {
        const record = parseRecord(data.record);
        if (record) onRemote(record, data.id, data.holds === true);
      }
    });
    this.post({ v: PROTOCOL, type: 'sync', id: this.id });
  }

  /** `holds`: this instance itself holds an isolation (others stay isolated until it lets go). */
  publish(record: BreakerRecord, holds: boolean): void {
    this.post({ v: PROTOCOL, type: 'state', id: this.id, record, holds });
  }

  close(): void {
    try {
      this.channel.close();
    } catch {
      // Already closed.
    }
  }

  private post(message: unknown): void {
    try {
      this.channel.postMessage(message);
    } catch {
      // A closed channel: this breaker simply stops mirroring.
    }
  }
}
