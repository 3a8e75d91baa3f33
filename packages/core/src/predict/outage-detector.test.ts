import { describe, expect, it } from 'vitest';
import { OutageDetector } from './outage-detector.js';

describe('OutageDetector', () => {
  it('is an outage once failures have lasted 10 s, begun at the first of them', () => {
    const d = new OutageDetector();
    for (let t = 0; t < 10_000; t += 1_000) expect(d.failure(t)).toBe(false);
    expect(d.pending).toBe(true);
    expect(d.failure(10_000)).toBe(true);
    expect(d).toMatchObject({ active: true, runStartAt: 0 });
    // Known once: further failures are the same outage.
    expect(d.failure(11_000)).toBe(false);
  });

  it('needs 3 failures, however long apart (sparse traffic)', () => {
    const d = new OutageDetector();
    expect(d.failure(0)).toBe(false);
    expect(d.failure(20_000)).toBe(false);
    expect(d.failure(40_000)).toBe(true);
  });

  it('tolerates one answer in five, and no more', () => {
    const d = new OutageDetector();
    for (let t = 0; t < 4_000; t += 1_000) d.failure(t);
    d.answer();
    expect(d).toMatchObject({ failures: 4, answers: 1 });
    d.answer();
    expect(d.failures).toBe(0);
    expect(d.pending).toBe(false);
  });

  it('ends with an answered call, or after 60 s without a failure', () => {
    const d = new OutageDetector();
    for (let t = 0; t <= 10_000; t += 1_000) d.failure(t);
    d.answer();
    expect(d.active).toBe(false);
    for (let t = 20_000; t <= 30_000; t += 1_000) d.failure(t);
    d.refresh(90_000);
    expect(d.active).toBe(true);
    d.refresh(90_001);
    expect(d.active).toBe(false);
    // Failures more than 60 s apart never make one stretch.
    expect(d.failure(200_000)).toBe(false);
    expect(d.failure(261_000)).toBe(false);
    expect(d.runStartAt).toBe(261_000);
  });
});
