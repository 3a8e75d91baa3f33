import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../../demo/server/start.js';
import { median, type BenchRow } from './harness.js';

/**
 * The demo API's write rate, from a Node client (no browser in the way): 1,000 PUTs with an
 * Idempotency-Key each, 4 at a time, in rounds on a store that keeps growing — the cost of a
 * write must stay flat as the data grows (each write is one journal append). It tells how
 * much of the browser drain bench's ceiling is the server's.
 */

const N = 1_000;
const ROUNDS = 5;

async function putRound(url: string, round: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < N) {
        const i = next++;
        const res = await fetch(`${url}/api/notes/r${round}-${i}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ title: `note ${i}` }),
        });
        if (!res.ok) throw new Error(`PUT: HTTP ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  return performance.now() - t0;
}

export default async function demoServerBench(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bp-bench-server-'));
  const server = await startDemoServer({ port: 0, dataDir, log: () => {} });
  try {
    const times: number[] = [];
    // Round 0 warms up the JIT and the connections, and is not kept.
    for (let round = 0; round <= ROUNDS; round++) {
      const ms = await putRound(server.url, round);
      if (round > 0) times.push(ms);
    }
    const first = times[0] as number;
    const last = times[times.length - 1] as number;
    const rate = (ms: number) => Math.round((N / ms) * 1000);
    const group = `demo API, ${N} PUTs per round, 4 at a time (Node client)`;
    return [
      {
        group,
        name: `round 1 of ${ROUNDS} (${N} notes stored before it): ${rate(first)}/s`,
        medianNs: (first * 1e6) / N,
        ratio: 1,
      },
      {
        group,
        name: `round ${ROUNDS} (${N * ROUNDS} notes stored before it): ${rate(last)}/s; median round ${rate(median(times))}/s`,
        medianNs: (last * 1e6) / N,
        ratio: last / first,
        goal: '≤ 1.5× round 1 (flat as data grows)',
        met: last / first <= 1.5,
      },
    ];
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
