/**
 * mulberry32: a tiny, fast 32-bit PRNG. Chaos decisions draw from it so that a
 * given seed always yields the same sequence of faults, which makes a flaky
 * scenario reproducible in tests and in a demo.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for when none was given: varied per process, still a plain uint32 that can be logged. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
