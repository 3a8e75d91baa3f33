import { PROTOCOL, parseRecord, type BreakerRecord } from './record.js';

/** The slice of `BroadcastChannel` a breaker uses; inject a fake in tests. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

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
