/** An async task that never runs twice at once. */
export interface OneAtATime {
  /**
   * Runs the task now, or, while a run is under way, asks for one more run after it (however
   * many calls ask meanwhile). Resolves when the run under way, and any run asked for during
   * it, is done.
   */
  run(): Promise<void>;
  /** Resolves when no run is under way. */
  idle(): Promise<void>;
}

/**
 * Runs `task` one at a time: reads that follow a stream of changes (one per change would
 * pile up) coalesce into the run under way and at most one more. The task handles its own
 * errors; a rejection ends the runs asked for so far.
 */
export function oneAtATime(task: () => Promise<void>): OneAtATime {
  let running: Promise<void> | undefined;
  let again = false;
  // Read through a function: calls that arrive while a run awaits set it.
  const askedAgain = () => again;
  return {
    run() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await task();
        } while (askedAgain());
      })().finally(() => {
        running = undefined;
      });
      return running;
    },
    idle() {
      return running ?? Promise.resolve();
    },
  };
}
