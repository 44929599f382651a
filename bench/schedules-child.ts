/**
 * Measurements of bench/schedules.ts in a process of their own.
 * - `timings`: the round and its baseline, interleaved run by run so that a
 *   busy machine slows both alike; prints the medians.
 * - `idle`, `baseline`, `round`: the work alone (five runs), so that the
 *   process's peak RSS is that work's own; prints it.
 * Usage: schedules-child.ts MODE CONFIG_DIR; prints JSON on its last line.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { snapshotEnvironments } from '../src/check/snapshot-environments.js';
import { snapshotRound } from '../src/check/snapshot-round.js';
import { storeSnapshots } from '../src/check/store-snapshots.js';
import { openDiskWorkspace, type Workspace } from '../src/check/workspace.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { peakRssMiB } from './bench.js';

export const ENVIRONMENTS = ['development', 'staging', 'production', 'sandbox'];
export const KEYS = 2_000;
const RUNS = 9;
const START = Date.UTC(2026, 0, 1);

export interface RoundTimings {
  readonly roundMs: number;
  readonly baselineMs: number;
}

/** Per environment a file of KEYS keys, and a small file whose one key changes every run. */
export function writeRoundWorkspace(dir: string): void {
  writeFileSync(
    path.join(dir, 'driftwatch.yaml'),
    [
      'version: 1',
      'environments:',
      ...ENVIRONMENTS.map((env) => `  ${env}: {sources: [{path: ${env}.env}, {path: ${env}-run.env}]}`),
      'snapshot: {schedule: "*/15 * * * *"}',
    ].join('\n'),
  );
  for (const env of ENVIRONMENTS) {
    const lines: string[] = [];
    for (let key = 0; key < KEYS - 1; key++) lines.push(`SERVICE${key % 40}_SETTING_${key}=${env}-value-${key}`);
    writeFileSync(path.join(dir, `${env}.env`), `${lines.join('\n')}\n`);
    changeRun(dir, 0);
  }
}

function changeRun(dir: string, index: number): void {
  for (const env of ENVIRONMENTS) writeFileSync(path.join(dir, `${env}-run.env`), `RUN=${index}\n`);
}

let index = 0;

/** One scheduled round at its own occurrence, the files changed before it. */
async function round(workspace: Workspace, store: Store, dir: string): Promise<void> {
  changeRun(dir, ++index);
  const occurrence = new Date(START + index * 15 * 60_000).toISOString();
  const result = await snapshotRound(workspace, store, { occurrence, now: new Date(occurrence) });
  if (result.rounds.some((r) => r.status !== 'stored')) throw new Error(`round ${occurrence} did not store`);
}

/** What `snapshot --all --store` does with the same files. */
async function baseline(workspace: Workspace, dir: string): Promise<void> {
  changeRun(dir, ++index);
  const now = new Date(START + index * 15 * 60_000);
  const { results, problems } = await snapshotEnvironments(workspace);
  if (problems.length > 0) throw new Error('baseline: source problems');
  const snapshots = results.map((result) => ({ ...result.snapshot, takenAt: now.toISOString() }));
  const stored = await storeSnapshots(workspace, snapshots, { now });
  if (stored.outcomes.some((outcome) => outcome.status !== 'stored')) throw new Error('baseline did not store');
}

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

if (import.meta.filename === process.argv[1]) {
  const [mode, dir] = process.argv.slice(2);
  if (mode === undefined || dir === undefined) throw new Error('usage: schedules-child.ts MODE CONFIG_DIR');
  const workspace = await openDiskWorkspace({ configFile: path.join(dir, 'driftwatch.yaml'), env: process.env });
  const store = await openStore({ configDir: dir });
  try {
    let figures: RoundTimings | { maxRssMiB: number };
    if (mode === 'timings') {
      await round(workspace, store, dir);
      await baseline(workspace, dir);
      const rounds: number[] = [];
      const baselines: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        rounds.push(await timeMs(() => round(workspace, store, dir)));
        baselines.push(await timeMs(() => baseline(workspace, dir)));
      }
      figures = { roundMs: median(rounds), baselineMs: median(baselines) };
    } else {
      for (let run = 0; run < 5; run++) {
        if (mode === 'round') await round(workspace, store, dir);
        else if (mode === 'baseline') await baseline(workspace, dir);
        else if (mode !== 'idle') throw new Error(`unknown mode ${mode}`);
      }
      figures = { maxRssMiB: peakRssMiB() };
    }
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await store.close();
  }
}
