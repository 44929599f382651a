/**
 * One measurement of bench/report.ts in a process of its own, so that its
 * peak RSS is its own. Prints `{"ms": …, "maxRssMiB": …}` on its last line.
 * Usage: report-child.ts idle|check|history-baseline|report CONFIG_DIR NOW
 */
import path from 'node:path';
import type { ReportChannel } from '../src/check/report-channel.js';
import { runCheck } from '../src/check/run-check.js';
import { sendReport } from '../src/check/send-report.js';
import { openDiskWorkspace } from '../src/check/workspace.js';
import { sortFindings } from '../src/rules/engine.js';
import { slackMessage } from '../src/slack/block-kit.js';
import { openStore } from '../src/store/open-store.js';
import { medianMs, peakRssMiB } from './bench.js';

export interface ChildFigures {
  readonly ms: number;
  readonly maxRssMiB: number;
}

const RUNS = 7;

async function measure(mode: string, dir: string, now: Date): Promise<number> {
  const workspace = await openDiskWorkspace({ configFile: path.join(dir, 'driftwatch.yaml'), env: process.env });
  if (mode === 'idle') return 0;
  if (mode === 'check') return medianMs(() => runCheck(workspace, { now }), RUNS);
  if (mode === 'report') {
    // Everything but the network: Slack's answer is not ours to measure.
    const channel: ReportChannel = {
      name: 'slack',
      render: slackMessage,
      deliver: async () => ({ ok: true, attempts: 1 }),
    };
    let round = 0;
    return medianMs(async () => {
      const result = await sendReport(workspace, { channel, occurrence: `bench ${round++}`, now });
      if (result.occurrence.status !== 'sent') throw new Error(`report not sent: ${result.occurrence.status}`);
    }, RUNS);
  }
  if (mode === 'history-baseline') {
    const { report } = await runCheck(workspace, { now });
    const findings = [...report.findings].reverse();
    const store = await openStore({ configDir: dir });
    try {
      return await medianMs(async () => {
        for (const { name } of workspace.config.environments) await store.latestSnapshot(name);
        sortFindings(findings);
      }, RUNS);
    } finally {
      await store.close();
    }
  }
  throw new Error(`unknown mode ${mode}`);
}

const [mode, dir, now] = process.argv.slice(2);
if (mode === undefined || dir === undefined || now === undefined) {
  throw new Error('usage: report-child.ts MODE CONFIG_DIR NOW');
}
const ms = await measure(mode, dir, new Date(now));
process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: peakRssMiB() } satisfies ChildFigures)}\n`);
