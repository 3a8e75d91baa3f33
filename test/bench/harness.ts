import { Bench } from 'tinybench';

/** One measured function. Cases of one group run in the same process, one after another. */
export interface BenchCase {
  name: string;
  fn: () => unknown;
}

/**
 * A group of cases compared side by side: every ratio in the group is the
 * case's median divided by the `baseline` case's median, measured in the same run.
 * `goal` states the budget a case must meet against the baseline (a ratio).
 */
export interface BenchGroup {
  title: string;
  baseline: string;
  cases: BenchCase[];
  goals?: Array<{ case: string; maxRatio: number }>;
  /** Time per case, ms (tinybench `time`); defaults to 500. */
  timeMs?: number;
  /** Unit the row reports; per-call latency by default. */
  unit?: 'ns' | 'µs' | 'ms';
}

/** What a measured group reports: a row per case. Browser benchmarks produce these directly. */
export interface BenchRow {
  group: string;
  name: string;
  medianNs: number;
  ratio: number;
  goal?: string;
  met?: boolean;
}

/** A bench file's default export: groups run in Node, or a function producing rows itself. */
export type BenchModule = { default: BenchGroup[] | (() => Promise<BenchRow[]>) };

export async function measureGroup(group: BenchGroup): Promise<BenchRow[]> {
  const bench = new Bench({ time: group.timeMs ?? 500, warmup: true, warmupTime: 100 });
  for (const c of group.cases) bench.add(c.name, c.fn);
  await bench.run();
  const medians = new Map<string, number>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      throw new Error(`bench "${group.title}" case "${task.name}" did not complete`);
    }
    medians.set(task.name, result.latency.p50 * 1e6);
  }
  return rowsFromMedians(group.title, group.baseline, medians, group.goals);
}

/** Builds report rows (ratios, goals) from medians in nanoseconds. */
/** The middle value of several runs (the upper middle for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export function rowsFromMedians(
  title: string,
  baseline: string,
  medians: Map<string, number>,
  goals: Array<{ case: string; maxRatio: number }> = [],
): BenchRow[] {
  const base = medians.get(baseline);
  if (base === undefined) throw new Error(`bench "${title}": no baseline case "${baseline}"`);
  return [...medians].map(([name, medianNs]) => {
    const ratio = medianNs / base;
    const goal = goals.find((g) => g.case === name);
    return {
      group: title,
      name,
      medianNs,
      ratio,
      ...(goal ? { goal: `≤ ${goal.maxRatio}× ${baseline}`, met: ratio <= goal.maxRatio } : {}),
    };
  });
}

function formatDuration(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

/** A Markdown table, pasteable into docs/benchmarks.md. */
export function formatTable(rows: BenchRow[]): string {
  const lines = ['| group | case | median | ratio | goal |', '|---|---|---:|---:|---|'];
  for (const r of rows) {
    const goal = r.goal ? `${r.goal} ${r.met ? '✓' : '✗'}` : '';
    lines.push(
      `| ${r.group} | ${r.name} | ${formatDuration(r.medianNs)} | ${r.ratio.toFixed(2)}× | ${goal} |`,
    );
  }
  return lines.join('\n');
}
