import { Observable, type Subscriber } from 'rxjs';

/**
 * A minimal multicast source behind an rxjs `Observable`: what a `Subject` does for
 * events, at a fraction of its bundle size. `observed` lets the hot path skip building
 * an event nobody would receive. The listener list is copied on change, so a listener
 * may unsubscribe (or subscribe another) while an event is being delivered.
 */
export class Emitter<T> {
  private listeners: ReadonlyArray<Subscriber<T>> = [];

  readonly observable: Observable<T> = new Observable<T>((subscriber) => {
    this.listeners = [...this.listeners, subscriber];
    return () => {
      this.listeners = this.listeners.filter((s) => s !== subscriber);
    };
  });

  get observed(): boolean {
    return this.listeners.length > 0;
  }

  next(value: T): void {
    for (const listener of this.listeners) listener.next(value);
  }
}
