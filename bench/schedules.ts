/**
 * A scheduled snapshot round as `serve` runs it: 4 environments × 2,000 keys
 * read from files, each round a new occurrence with one changed key per
 * environment, recorded in a SQLite store (rounds, snapshots, retention).
 * Baseline, in the same run and the same store: what `snapshot --all
 * --store` does — take the snapshots, save each one (storeSnapshots).
 * Target: the round ≤ 1.3× the baseline (what the round adds is a row per
 * environment and a lookup per occurrence). Peak memory: each in a child
 * process of its own (bench/schedules-child.ts), as the increase over an idle
 * one; target ≤ 1.3× too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchLine } from './bench.js';
import { ENVIRONMENTS, KEYS, type RoundTimings, writeRoundWorkspace } from './schedules-child.js';

const run = promisify(execFile);

async function child<T>(mode: string, dir: string): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'schedules-child.ts'), mode, dir],
    { env: { ...process.env, DRIFTWATCH_FINGERPRINT_KEY: 'ab'.repeat(32) } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as T;
}

export async function bench(): Promise<BenchLine[]> {
  const dirs = ['timings', 'idle', 'baseline', 'round'].map(() =>
    mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-schedules-')),
  );
  try {
    for (const dir of dirs) writeRoundWorkspace(dir);
    const [timingsDir, idleDir, baselineDir, roundDir] = dirs as [string, string, string, string];
    const { roundMs, baselineMs } = await child<RoundTimings>('timings', timingsDir);
    const idle = await child<{ maxRssMiB: number }>('idle', idleDir);
    const baseline = await child<{ maxRssMiB: number }>('baseline', baselineDir);
    const round = await child<{ maxRssMiB: number }>('round', roundDir);
    const grown = (figures: { maxRssMiB: number }) => Math.max(1, figures.maxRssMiB - idle.maxRssMiB);
    const setup = `${ENVIRONMENTS.length} envs × ${KEYS} keys, SQLite, one changed key per env per round`;
    return [
      { name: 'schedules: snapshot round (median)', value: roundMs, unit: 'ms', note: setup },
      { name: 'schedules: baseline: take + storeSnapshots (median)', value: baselineMs, unit: 'ms' },
      {
        name: 'schedules: round / baseline',
        value: roundMs / baselineMs,
        unit: 'x',
        note: 'rounds rows, occurrence lookup, retention; target <= 1.3',
        ok: roundMs / baselineMs <= 1.3,
      },
      { name: 'schedules: peak RSS of the round process', value: round.maxRssMiB, unit: 'MiB' },
      {
        name: 'schedules: peak RSS above idle, round / baseline',
        value: grown(round) / grown(baseline),
        unit: 'x',
        note: `${grown(round).toFixed(0)} MiB vs ${grown(baseline).toFixed(0)} MiB above ${idle.maxRssMiB.toFixed(0)} MiB idle; target <= 1.3`,
        ok: grown(round) / grown(baseline) <= 1.3,
      },
    ];
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
