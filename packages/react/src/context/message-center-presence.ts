/**
 * How many `<MessageCenter>` components are mounted under one provider. While one is, it
 * tells the lasting situation as its one banner, and `<DegradationBanner>` stays quiet
 * instead of telling it a second time.
 */
export interface MessageCenterPresence {
  readonly count: number;
  /** Counts one mounted center until the returned function is called. */
  readonly mounted: () => () => void;
  readonly subscribe: (onChange: () => void) => () => void;
}

export function createMessageCenterPresence(): MessageCenterPresence {
  let count = 0;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  return {
    get count() {
      return count;
    },
    mounted: () => {
      count += 1;
      notify();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        count -= 1;
        notify();
      };
    },
    subscribe: (onChange) => {
      listeners.add(onChange);
      return () => {
        listeners.delete(onChange);
      };
    },
  };
}
