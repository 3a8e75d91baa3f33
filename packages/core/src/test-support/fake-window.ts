import type { NetworkInformationLike } from '../connectivity/types.js';

/** The page's `document`, as far as visibility goes: the test flips it with `setVisibility`. */
export class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';

  setVisibility(v: 'visible' | 'hidden'): void {
    this.visibilityState = v;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

/** `navigator.connection` (Network Information API): change a field, then dispatch 'change'. */
export class FakeConnection extends EventTarget implements NetworkInformationLike {
  effectiveType = '4g';
  saveData = false;
  rtt = 50;
}

/**
 * The window the connectivity code injects: `online`/`offline` events with
 * `navigator.onLine` kept in step, a document, and a count of the listeners still
 * attached, so a test can check that `dispose()` removed every one.
 */
export class FakeWindow extends EventTarget {
  readonly document = new FakeDocument();
  readonly navigator: { onLine: boolean; connection?: FakeConnection } = { onLine: true };
  listeners = 0;

  goOffline(): void {
    this.navigator.onLine = false;
    this.dispatchEvent(new Event('offline'));
  }

  goOnline(): void {
    this.navigator.onLine = true;
    this.dispatchEvent(new Event('online'));
  }

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }
}
