import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDiskWorkspace, type Workspace } from '../../src/check/workspace.js';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import { createLogger } from '../../src/server/logger.js';
import { createServerMetrics, type ServerMetrics } from '../../src/server/metrics.js';
import {
  registerScheduledJobs,
  reportHandler,
  type ScheduledWork,
  scheduledWorkOf,
  snapshotHandler,
} from '../../src/server/scheduled-jobs.js';
import { openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { openSqliteDatabase } from '../../src/store/sqlite-driver.js';
import type { Store } from '../../src/store/store.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';
import { type StandInSlack, standInSlack } from '../slack/stand-in-slack.js';

const CANARY = 'canary-Sched-Pw-51d0e8b2';
const SLACK_TOKEN = 'scheduledSlackTokenXXXX99';
const T1 = '2026-12-01T08:00:00.000Z';
const T2 = '2026-12-01T08:15:00.000Z';
const T3 = '2026-12-01T08:30:00.000Z';

function productionEnv(keys: number): string {
  const lines = [`DB_PASSWORD=${CANARY}`];
  for (let index = 0; index < keys; index++) lines.push(`SETTING_${index}=value-${index}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A workspace whose production environment has a live `command` source that
 * fails, quoting the planted secret on its standard error, while the file
 * `fail` exists beside the config.
 */
function writeProject(dir: string, schedule = '*/15 * * * *'): void {
  const flag = path.join(dir, 'fail');
  const script = `if (require("fs").existsSync(${JSON.stringify(flag)})) { console.error("password=${CANARY}"); process.exit(3) } console.log("LIVE_VERSION=42")`;
  writeFileSync(
    path.join(dir, 'driftwatch.yaml'),
    [
      'version: 1',
      'environments:',
      '  staging: {sources: [{path: staging.env}]}',
      `  production: {sources: [{path: production.env}, {command: ${JSON.stringify([process.execPath, '-e', script])}, format: dotenv}]}`,
      `snapshot: {schedule: "${schedule}"}`,
      'report: {schedule: "0 8 * * *", timezone: Europe/Berlin, slack: {webhook: "${SLACK_WEBHOOK_URL}"}}',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'staging.env'), 'API_URL=https://staging.example.test\n');
  writeFileSync(path.join(dir, 'production.env'), productionEnv(10));
}

describe('server/scheduled jobs on SQLite', () => {
  let dir: string;
  let slack: StandInSlack;
  let store: Store;
  let workspace: Workspace;
  let work: ScheduledWork;
  let metrics: ServerMetrics;
  let lines: string[];
  let logger: ReturnType<typeof createLogger>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-scheduled-'));
    writeProject(dir);
    slack = await standInSlack(SLACK_TOKEN);
    workspace = await openDiskWorkspace({
      configFile: path.join(dir, 'driftwatch.yaml'),
      env: { DRIFTWATCH_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, SLACK_WEBHOOK_URL: slack.url },
    });
    work = scheduledWorkOf(workspace, { attempts: 1, timeoutMs: 2_000 });
    store = await openStore({ configDir: dir });
    metrics = createServerMetrics({ queue: new InProcessQueue() });
    lines = [];
    logger = createLogger({ level: 'info', secrets: work.secrets, destination: { write: (line) => lines.push(line) } });
  });
  afterEach(async () => {
    await store.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const context = { attempt: 1, finalAttempt: false };
  const metricValue = async (name: string, labels: string) => {
    const text = await metrics.registry.metrics();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };
  const roundRows = () => {
    const db = openSqliteDatabase(path.join(dir, SQLITE_STORE_PATH), { readonly: true });
    try {
      return db.prepare('select * from snapshot_rounds order by occurrence, env').all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };

  it('reads the schedules from the config: the snapshot in the report time zone, the report with its webhook', () => {
    expect(work.snapshot).toEqual({ cron: '*/15 * * * *', timezone: 'Europe/Berlin' });
    expect(work.report).toMatchObject({ cron: '0 8 * * *', timezone: 'Europe/Berlin', channel: { name: 'slack' } });
    expect(work.secrets).toContain(SLACK_TOKEN);
  });

  it('stores each environment once per occurrence, records a failed source and a suspicious shrink, and reports both', async () => {
    const snapshot = snapshotHandler({ store, work, metrics, logger });

    await snapshot({ occurrence: T1 }, context);
    expect(roundRows().map((row) => [row.occurrence, row.env, row.status])).toEqual([
      [T1, 'production', 'stored'],
      [T1, 'staging', 'stored'],
    ]);
    const stored = await store.latestSnapshot('production');
    expect(stored?.entries.get('LIVE_VERSION')?.value).toBe('42');

    // The same occurrence again (a retry, a second replica): nothing taken, nothing stored.
    await snapshot({ occurrence: T1 }, context);
    expect(roundRows()).toHaveLength(2);
    expect(await metricValue('driftwatch_snapshot_rounds_total', 'outcome="known"')).toBe(1);

    // The live source fails: a failed round with its scrubbed error; the history's latest stays the old one.
    writeFileSync(path.join(dir, 'fail'), '');
    await snapshot({ occurrence: T2 }, context);
    const failed = roundRows().find((row) => row.occurrence === T2 && row.env === 'production');
    expect(failed).toMatchObject({ status: 'failed', snapshot_id: null });
    expect(JSON.parse(String(failed?.problems))).toEqual([
      {
        source: expect.stringMatching(/^command: /),
        message: 'exited with code 3; stderr ends with:\n  password=****',
      },
    ]);
    expect(roundRows().find((row) => row.occurrence === T2 && row.env === 'staging')?.status).toBe('unchanged');
    expect((await store.latestSnapshot('production'))?.id).toBe(stored?.id);
    expect(await metricValue('driftwatch_snapshot_failures_total', 'env="production"')).toBe(1);
    expect(await metricValue('driftwatch_snapshot_rounds_total', 'outcome="troubled"')).toBe(1);

    // It heals, but the file lost most of its keys: suspicious, kept out of the history.
    rmSync(path.join(dir, 'fail'));
    writeFileSync(path.join(dir, 'production.env'), productionEnv(1));
    await snapshot({ occurrence: T3 }, context);
    expect(roundRows().find((row) => row.occurrence === T3 && row.env === 'production')).toMatchObject({
      status: 'suspicious',
      key_count: 3,
    });
    expect((await store.latestSnapshot('production'))?.keyCount).toBe(12);
    expect(await metricValue('driftwatch_snapshot_suspicious_total', 'env="production"')).toBe(1);

    // The next report lists both with the sources that could not be read.
    const report = reportHandler({ store, work, metrics, logger }, work.report?.channel ?? fail());
    await report({ occurrence: '2026-12-01T09:00:00.000Z' }, context);
    expect(slack.accepted()).toHaveLength(1);
    const body = slack.accepted()[0]?.body ?? '';
    // The fresh check the report is built from sees the shrink too: three lines.
    expect(body).toContain('Sources that could not be read (3)');
    expect(body).toContain(`the scheduled snapshot of ${T2} failed, nothing stored`);
    expect(body).toContain(`the scheduled snapshot of ${T3} looked suspicious, not stored`);
    expect(body).toContain('down from 12 at its last snapshot');
    expect(await metricValue('driftwatch_scheduled_reports_total', 'outcome="sent"')).toBe(1);

    // Run again for the same occurrence: the outbox knows it, nothing is sent twice.
    await report({ occurrence: '2026-12-01T09:00:00.000Z' }, context);
    expect(slack.accepted()).toHaveLength(1);

    // The planted secret: in no payload, log line or row; the webhook's token in no log line.
    const db = openSqliteDatabase(path.join(dir, SQLITE_STORE_PATH), { readonly: true });
    const rows = JSON.stringify(
      ['report_outbox', 'snapshot_rounds', 'key_versions', 'snapshots'].map((table) =>
        db.prepare(`select * from ${table}`).all(),
      ),
    );
    db.close();
    const logs = lines.join('');
    expect(logs).toContain('scheduled snapshot failed: a source could not be read; nothing stored');
    for (const text of [body, rows, logs]) expect(text).not.toContain(CANARY);
    expect(logs).not.toContain(SLACK_TOKEN);
  });

  it('an invalid payload is dropped and counted, not retried', async () => {
    const snapshot = snapshotHandler({ store, work, metrics, logger });
    await snapshot({ when: 'now' }, context);
    expect(await metricValue('driftwatch_snapshot_rounds_total', 'outcome="invalid"')).toBe(1);
    expect(roundRows()).toEqual([]);
  });

  it('the in-process queue drives the rounds with croner, one round per environment per occurrence', async () => {
    // croner takes a seconds field; the config does not (pg-boss has minute grain), so the schedule is given here.
    const everySecond: ScheduledWork = { workspace, snapshot: { cron: '* * * * * *', timezone: 'UTC' }, secrets: [] };
    const queue = new InProcessQueue();
    try {
      await registerScheduledJobs({ queue, store, work: everySecond, metrics, logger });
      const deadline = Date.now() + 20_000;
      while (new Set(roundRows().map((row) => row.occurrence)).size < 2) {
        if (Date.now() > deadline) throw new Error('no two occurrences in time');
        await sleep(100);
      }
    } finally {
      await queue.stop({ timeoutMs: 5_000 });
    }
    const rows = roundRows();
    const occurrences = [...new Set(rows.map((row) => String(row.occurrence)))];
    for (const occurrence of occurrences) {
      expect(occurrence).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(rows.filter((row) => row.occurrence === occurrence).map((row) => row.env)).toEqual([
        'production',
        'staging',
      ]);
    }
    expect(existsSync(path.join(dir, SQLITE_STORE_PATH))).toBe(true);
  });
});

function fail(): never {
  throw new Error('the config has a report schedule');
}
