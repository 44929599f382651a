/**
 * Measurements of bench/report.ts in a process of their own.
 * - `timings`: the check, the report and the history baseline, interleaved
 *   round by round, so that a machine busy with something else slows all
 *   three alike and their ratios hold; prints the medians.
 * - `idle`, `check`, `report`: the work alone (three times), so that the
 *   process's peak RSS is that work's own; prints it.
 * Usage: report-child.ts MODE CONFIG_DIR NOW; prints JSON on its last line.
 */
import path from 'node:path';
import type { ReportChannel } from '../src/check/report-channel.js';
import { runCheck } from '../src/check/run-check.js';
import { sendReport } from '../src/check/send-report.js';
import { openDiskWorkspace, type Workspace } from '../src/check/workspace.js';
import { sortFindings } from '../src/rules/engine.js';
import { slackMessage } from '../src/slack/block-kit.js';
import { openStore } from '../src/store/open-store.js';
import { peakRssMiB } from './bench.js';

export interface ChildTimings {
  readonly checkMs: number;
  readonly reportMs: number;
  readonly baselineMs: number;
}

export interface ChildMemory {
  readonly maxRssMiB: number;
}

const ROUNDS = 9;

/** Everything but the network: Slack's answer is not ours to measure. */
const channel: ReportChannel = {
  name: 'slack',
  render: slackMessage,
  deliver: async () => ({ ok: true, attempts: 1 }),
};
let round = 0;

async function report(workspace: Workspace, now: Date): Promise<void> {
  const result = await sendReport(workspace, { channel, occurrence: `bench ${process.pid} ${round++}`, now });
  if (result.occurrence.status !== 'sent') throw new Error(`report not sent: ${result.occurrence.status}`);
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

async function timings(workspace: Workspace, dir: string, now: Date): Promise<ChildTimings> {
  const { report: checked } = await runCheck(workspace, { now });
  const findings = [...checked.findings].reverse();
  const store = await openStore({ configDir: dir });
  // The store's own reads the report cannot do with less, and a plain sort of what it reports.
  const baseline = async () => {
    for (const { name } of workspace.config.environments) await store.latestSnapshot(name);
    sortFindings(findings);
  };
  try {
    await report(workspace, now);
    await baseline();
    const check: number[] = [];
    const sent: number[] = [];
    const base: number[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      check.push(await timeMs(() => runCheck(workspace, { now })));
      sent.push(await timeMs(() => report(workspace, now)));
      base.push(await timeMs(baseline));
    }
    return { checkMs: median(check), reportMs: median(sent), baselineMs: median(base) };
  } finally {
    await store.close();
  }
}

const [mode, dir, nowText] = process.argv.slice(2);
if (mode === undefined || dir === undefined || nowText === undefined) {
  throw new Error('usage: report-child.ts MODE CONFIG_DIR NOW');
}
const now = new Date(nowText);
const workspace = await openDiskWorkspace({ configFile: path.join(dir, 'driftwatch.yaml'), env: process.env });
let figures: ChildTimings | ChildMemory;
if (mode === 'timings') {
  figures = await timings(workspace, dir, now);
} else {
  for (let index = 0; index < 3; index++) {
    if (mode === 'check') await runCheck(workspace, { now });
    else if (mode === 'report') await report(workspace, now);
    else if (mode !== 'idle') throw new Error(`unknown mode ${mode}`);
  }
  figures = { maxRssMiB: peakRssMiB() };
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
