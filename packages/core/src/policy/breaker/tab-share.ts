import { custom, object, optional } from '../../check/schema.js';
import { DEV } from '../../dev.js';
import { parseOptions } from '../../validate.js';
import { PROTOCOL, parseRecord, type BreakerRecord } from './record.js';

/** The slice of `BroadcastChannel` a breaker uses; inject a fake in tests. */
export interface BroadcastChannelLike {
  /** Sends a message to the channel's other ends. */
  postMessage(message: unknown): void;
  /** Leaves the channel. */
  close(): void;
  /** Listens for the other ends' messages. */
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
/** A `BroadcastChannel` constructor, or a fake of one (see `BroadcastChannelLike`). */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/** A breaker's link to its namesakes in other tabs (see `shareWithTabs`). */
export interface TabShare {
  /** `holds`: this instance itself holds an isolation (others stay isolated until it lets go). */
  publish(record: BreakerRecord, holds: boolean): void;
  close(): void;
}

/** Options of `shareAcrossTabs`. */
export interface ShareAcrossTabsOptions {
  /** Injected for tests or another context; default `globalThis.BroadcastChannel`. */
  BroadcastChannel?: BroadcastChannelConstructor;
}

const optionsSchema = () =>
  optional(
    object<ShareAcrossTabsOptions>({
      BroadcastChannel: optional(
        custom<BroadcastChannelConstructor>((v) => typeof v === 'function', 'a constructor'),
      ),
    }),
  );

/** What a breaker's `share` option takes: made by `shareAcrossTabs()`. */
export interface BreakerSharing {
  /**
   * Links one breaker to its namesakes; undefined where there is no channel to share on.
   * @internal
   */
  connect(
    name: string,
    onRemote: (record: BreakerRecord, sender: string, holds: boolean) => void,
    current: () => { record: BreakerRecord; holds: boolean } | undefined,
  ): TabShare | undefined;
}

/**
 * Shares a breaker's state with the same-named breakers of every same-origin tab and frame
 * (over a `BroadcastChannel`): when one opens, isolates or closes, they all do, and a tab opened
 * while the breaker is open elsewhere starts open. `circuitBreaker({ …, share: shareAcrossTabs() })`.
 * Where `BroadcastChannel` does not exist, or cannot be made, the breaker simply keeps its state to itself.
 */
export function shareAcrossTabs(o?: ShareAcrossTabsOptions): BreakerSharing {
  if (DEV) parseOptions(optionsSchema(), o, 'shareAcrossTabs()');
  return {
    connect(name, onRemote, current) {
      const Channel =
        o?.BroadcastChannel ??
        (globalThis as { BroadcastChannel?: BroadcastChannelConstructor }).BroadcastChannel;
      try {
        return Channel && shareWithTabs(name, Channel, onRemote, current);
      } catch {
        // A channel that cannot be made (a sandboxed frame, an opaque origin) is one that does not exist.
        return undefined;
      }
    },
  };
}

/**
 * Mirrors a breaker's transitions to same-named breakers in other tabs and frames of the
 * origin. A new instance asks the others for their state, so a tab opened while the
 * breaker is open elsewhere starts open instead of hammering the failing dependency.
 */
export function shareWithTabs(
  name: string,
  Channel: BroadcastChannelConstructor,
  onRemote: (record: BreakerRecord, sender: string, holds: boolean) => void,
  current: () => { record: BreakerRecord; holds: boolean } | undefined,
): TabShare {
  const channel = new Channel(`bulletproof-breaker:${name}`);
  const id = Math.random().toString(36).slice(2);
  const post = (type: string, more?: object) => {
    try {
      channel.postMessage({ v: PROTOCOL, type, id, ...more });
    } catch {
      // A closed channel: this breaker simply stops mirroring.
    }
  };
  const publish = (record: BreakerRecord, holds: boolean) => post('state', { record, holds });
  // Node's BroadcastChannel would otherwise keep the process alive.
  (channel as { unref?: () => void }).unref?.();
  channel.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as {
      v?: unknown;
      type?: unknown;
      id?: unknown;
      record?: unknown;
      holds?: unknown;
    } | null;
    if (typeof data !== 'object' || data === null || data.v !== PROTOCOL || typeof data.id !== 'string')
      return;
    if (data.id === id) return;
    if (data.type === 'sync') {
      const known = current();
      if (known) publish(known.record, known.holds);
      return;
    }
    if (data.type === 'state') {
      const record = parseRecord(data.record);
      if (record) onRemote(record, data.id, data.holds === true);
    }
  });
  post('sync');
  return {
    publish,
    close() {
      try {
        channel.close();
      } catch {
        // Already closed.
      }
    },
  };
}
