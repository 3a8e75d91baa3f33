import { createHash } from 'node:crypto';

/** The IETF draft's limit; longer keys are refused rather than truncated into collisions. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Identifies the request a key was first used with, so reusing the key for another request is refused. */
export function requestFingerprint(method: string, path: string, bodyText: string): string {
  const digest = createHash('sha256').update(bodyText).digest('base64url');
  return `${method} ${path} ${digest}`;
}

/**
 * Keys whose first request is still being handled. A duplicate that arrives
 * meanwhile waits for it and then looks again, instead of applying the write
 * a second time.
 */
export class InFlightKeys {
  readonly #pending = new Map<string, Promise<void>>();

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves when the request holding `key` finishes; `undefined` when none does. */
  whenFree(key: string): Promise<void> | undefined {
    return this.#pending.get(key);
  }

  /** Marks `key` as in progress; call the returned function once the response is settled. */
  claim(key: string): () => void {
    let release!: () => void;
    this.#pending.set(
      key,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.#pending.delete(key);
      release();
    };
  }
}
