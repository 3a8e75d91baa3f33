/**
 * Lets promise chains and fake-indexeddb (which answers on real `setImmediate` tasks,
 * untouched by fake timers) run: `rounds` macrotask turns, each draining microtasks.
 */
export async function settleImmediates(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
