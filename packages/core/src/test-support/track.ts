/** What a tracked promise has done so far. */
export interface Tracked<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
}

/**
 * Settles a promise into an inspectable box, so a test can check whether it settled
 * without awaiting it, and a rejection is never reported as unhandled.
 */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const box: Tracked<T> = { settled: false };
  promise.then(
    (value) => Object.assign(box, { settled: true, value }),
    (error: unknown) => Object.assign(box, { settled: true, error }),
  );
  return box;
}
