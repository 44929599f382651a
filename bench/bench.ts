/** One figure a benchmark reports. Targets are ratios against a baseline measured in the same run. */
export interface BenchLine {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What the figure is compared with, and the target: `ratio to bare yaml.parse; target <= 1.5`. */
  readonly note?: string;
  /** For ratio lines: whether the figure meets its target. */
  readonly ok?: boolean;
}

/** A benchmark module exports `bench(): Promise<BenchLine[]>`; bench/run.ts runs them all. */
export type Bench = () => Promise<BenchLine[]>;

/** Median wall time in milliseconds of `runs` calls of `fn`, after one warm-up call. */
export async function medianMs(fn: () => unknown, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Collect before each run (with --expose-gc) so one run does not pay for another's garbage.
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Peak RSS in MiB so far in this process (Linux reports it in KiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
