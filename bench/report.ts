/**
 * The drift report over a year of history: 4 environments × 2,000 keys read
 * from files, about 900 findings, and a store holding a year of daily
 * snapshots (the store benchmark's synthetic fixtures, test/store/fixtures),
 * a year of finding sightings and a year of delivered reports.
 *
 * Measured in child processes (bench/report-child.ts): the times in one,
 * interleaved round by round so that a busy machine slows all alike; the
 * peak memory of each in a process of its own:
 * - report: `sendReport` — a fresh check, the digest against the last
 *   delivered report and the year's sightings, the Block Kit message, the
 *   outbox write, claim and mark (the post itself is a no-op: the network is
 *   not ours to measure);
 * - check: `runCheck` alone over the same workspace and store — what any
 *   channel pays before it says anything;
 * - history baseline: what the report cannot do with less — the store's own
 *   `latestSnapshot` of every environment (the shrink guard reads them) and a
 *   plain sort of the findings.
 * Targets: report ≤ 1.5× check (the report adds at most half again to the
 * check it is built from); the report's own part (report − check) ≤ 3× the
 * history baseline.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCheck } from '../src/check/run-check.js';
import { openDiskWorkspace } from '../src/check/workspace.js';
import type { Entry } from '../src/snapshot/snapshot.js';
import { openStore } from '../src/store/open-store.js';
import type { OutboxFinding } from '../src/store/report-outbox.js';
import { entry, snapshotOf } from '../test/store/fixtures/synthetic.js';
import type { BenchLine } from './bench.js';
import type { ChildMemory, ChildTimings } from './report-child.js';

const ENVIRONMENTS = ['development', 'staging', 'production', 'sandbox'];
const SHARED_KEYS = 1_800;
const OWN_KEYS = 200;
const FLAGS = 100;
const DAYS = Number(process.env.BENCH_REPORT_DAYS ?? 365);
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);
/** Findings that come and go over the year: 50 at a time, each for a month. */
const CHURN = 50;
/** Keys whose value changes per environment per day in the stored history. */
const CHANGED_PER_DAY = 10;

const run = promisify(execFile);

function envFile(env: string, index: number): string {
  const lines: string[] = [];
  for (let key = 0; key < SHARED_KEYS; key++) lines.push(`SERVICE${key % 40}_SETTING_${key}=value-${key}`);
  // Keys only this environment has: a parity finding each.
  for (let key = 0; key < OWN_KEYS; key++) lines.push(`${env.toUpperCase()}_ONLY_${key}=x`);
  // Feature flags: production differs on every one, an `equal` finding each.
  for (let flag = 0; flag < FLAGS; flag++) lines.push(`FEATURE_${flag}=${env === 'production' ? 'on' : 'off'}`);
  lines.push(`ENV_INDEX=${index}`);
  return `${lines.join('\n')}\n`;
}

function writeWorkspace(dir: string): void {
  writeFileSync(
    path.join(dir, 'driftwatch.yaml'),
    [
      'version: 1',
      'environments:',
      ...ENVIRONMENTS.map((env) => `  ${env}: {sources: [{path: ${env}.env}]}`),
      'rules: [rules.yaml]',
      // A year of delivered reports is kept, the worst case for the outbox.
      'history: {keepDays: 400}',
      'report: {timezone: Europe/Berlin, link: "https://ci.example.test/jobs/1"}',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'rules.yaml'),
    [
      'rules:',
      '  - {id: parity, kind: parity, keys: ["*"]}',
      '  - {id: same-flags, kind: equal, keys: ["FEATURE_*"]}',
      '  - {id: env-index, kind: differ, keys: [ENV_INDEX], severity: notice}',
    ].join('\n'),
  );
  for (const [index, env] of ENVIRONMENTS.entries()) writeFileSync(path.join(dir, `${env}.env`), envFile(env, index));
}

/** The day each of today's findings was first seen: spread over the year, deterministically. */
function firstDayOf(index: number): number {
  return (index * 37) % DAYS;
}

/** A year of history: daily snapshots, sightings and delivered reports. */
async function writeHistory(dir: string, findingIds: readonly string[]): Promise<void> {
  const store = await openStore({ configDir: dir });
  try {
    const states = ENVIRONMENTS.map((env) => {
      const entries = new Map<string, Entry>();
      for (let key = 0; key < SHARED_KEYS + OWN_KEYS + FLAGS; key++) {
        const name = `service.settings.key${String(key).padStart(5, '0')}`;
        entries.set(name, entry(name, `${env}-0-${key}`));
      }
      return { env, entries };
    });
    const churnOf = (day: number) => Array.from({ length: CHURN }, (_, k) => `churn-${Math.floor(day / 30)}-${k}`);
    for (let day = 0; day < DAYS; day++) {
      const at = new Date(START + day * DAY_MS).toISOString();
      for (const state of states) {
        for (let change = 0; change < CHANGED_PER_DAY; change++) {
          const key = [...state.entries.keys()][(day * CHANGED_PER_DAY + change) % state.entries.size] as string;
          state.entries.set(key, entry(key, `${state.env}-${day}-${change}`));
        }
        await store.saveSnapshot(snapshotOf(state.env, at, [...state.entries.values()]));
      }
      const seen = findingIds.filter((_, index) => firstDayOf(index) <= day);
      await store.recordFindings([...seen, ...churnOf(day)], at);
      // Reports lag the findings by three days, so today's report has a little news.
      const open: OutboxFinding[] = [
        ...findingIds.filter((_, index) => firstDayOf(index) <= day - 3),
        ...churnOf(day),
      ].map((id) => ({ id, severity: 'warning', rule: 'parity', key: `KEY_${id}`, envs: ['production'] }));
      const { report } = await store.enqueueReport({
        occurrence: at,
        channel: 'slack',
        createdAt: at,
        status: 'pending',
        payload: { text: `report of ${at}` },
        openFindings: open,
      });
      await store.recordDelivery(report.id, { status: 'delivered', at, attempts: 1 });
    }
  } finally {
    await store.close();
  }
}

async function child<T>(mode: string, dir: string, now: Date): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'report-child.ts'), mode, dir, now.toISOString()],
    { env: { ...process.env, DRIFTWATCH_FINGERPRINT_KEY: 'be'.repeat(32) }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as T;
}

export async function bench(): Promise<BenchLine[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-report-'));
  const now = new Date(START + DAYS * DAY_MS);
  try {
    writeWorkspace(dir);
    const started = performance.now();
    // Today's finding ids, from a check with no history yet: the year of sightings is written for them.
    const workspace = await openDiskWorkspace({
      configFile: path.join(dir, 'driftwatch.yaml'),
      env: { DRIFTWATCH_FINGERPRINT_KEY: 'be'.repeat(32) },
    });
    const { report } = await runCheck(workspace, { now });
    const ids = report.findings.map((finding) => finding.id);
    await writeHistory(dir, ids);
    const setupSeconds = Math.round((performance.now() - started) / 1000);

    const { checkMs, reportMs, baselineMs } = await child<ChildTimings>('timings', dir, now);
    const idle = await child<ChildMemory>('idle', dir, now);
    const check = await child<ChildMemory>('check', dir, now);
    const sent = await child<ChildMemory>('report', dir, now);
    const own = Math.max(0, reportMs - checkMs);
    const grown = (figures: ChildMemory) => Math.max(1, figures.maxRssMiB - idle.maxRssMiB);
    const setup = `${ENVIRONMENTS.length} envs × ${SHARED_KEYS + OWN_KEYS + FLAGS} keys, ${ids.length} findings, ${DAYS} days of snapshots, sightings and delivered reports (built in ${setupSeconds} s)`;
    return [
      { name: 'report: sendReport, a year of history (median)', value: reportMs, unit: 'ms', note: setup },
      { name: 'report: runCheck alone, same workspace and store', value: checkMs, unit: 'ms' },
      { name: 'report: baseline: latestSnapshot × 4 + findings sort', value: baselineMs, unit: 'ms' },
      {
        name: 'report: sendReport / runCheck',
        value: reportMs / checkMs,
        unit: 'x',
        note: 'what the report adds to the check it is built from; target <= 1.5',
        ok: reportMs / checkMs <= 1.5,
      },
      {
        name: 'report: (sendReport − runCheck) / baseline',
        value: own / baselineMs,
        unit: 'x',
        note: `${own.toFixed(1)} ms: digest, sightings, last report, Block Kit, outbox; target <= 3`,
        ok: own / baselineMs <= 3,
      },
      { name: 'report: peak RSS of the report process', value: sent.maxRssMiB, unit: 'MiB' },
      {
        name: 'report: peak RSS above idle, sendReport / runCheck',
        value: grown(sent) / grown(check),
        unit: 'x',
        note: `${grown(sent).toFixed(0)} MiB vs ${grown(check).toFixed(0)} MiB above ${idle.maxRssMiB.toFixed(0)} MiB idle; target <= 1.5`,
        ok: grown(sent) / grown(check) <= 1.5,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
