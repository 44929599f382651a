import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandInSlack, standInSlack } from '../slack/stand-in-slack.js';
import { compileCli } from './compile-cli.js';
import { createTestSchemas, postgresSkipReason, type TestSchemas } from './postgres.js';
import { type ServiceProcess, spawnService } from './service-process.js';

const CANARY = 'canary-Replica-Pw-7f3a9c1e';
const SLACK_TOKEN = 'replicaSlackTokenXXXX1234';
const MINUTE_MS = 60_000;
/** Occurrences the run must see through: one before the kill, two after it. */
const OCCURRENCES = 3;

/**
 * Two `driftwatch serve -c driftwatch.yaml` replicas, the CLI as it ships, on
 * the real PostgreSQL with a schedule every minute (pg-boss's cron has minute
 * grain) for snapshots and reports. One is killed with SIGKILL after the first
 * occurrence; the other must carry on. Every occurrence must have sent one
 * report and recorded one round per environment, with no occurrence missing
 * between the first and the last — about three minutes of wall time.
 */
describe.skipIf(postgresSkipReason !== undefined)('serve: scheduled snapshots and reports, two replicas', () => {
  let cli: string;
  let dir: string;
  let schemas: TestSchemas;
  let slack: StandInSlack;
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    cli = await compileCli();
    schemas = await createTestSchemas();
    slack = await standInSlack(SLACK_TOKEN);
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-replicas-'));
    // Each environment has a live source whose output changes every minute: every occurrence stores a new snapshot.
    const minute = ['-e', 'console.log("MINUTE=" + Math.floor(Date.now() / 60000))'];
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      [
        'version: 1',
        'environments:',
        `  staging: {sources: [{path: staging.env}, {command: ${JSON.stringify([process.execPath, ...minute])}, format: dotenv}]}`,
        `  production: {sources: [{path: production.env}, {command: ${JSON.stringify([process.execPath, ...minute])}, format: dotenv}]}`,
        'snapshot: {schedule: "* * * * *"}',
        'report: {schedule: "* * * * *", slack: {webhook: "${SLACK_WEBHOOK_URL}"}}',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'staging.env'), 'API_URL=https://staging.example.test\nDB_PASSWORD=staging-pw-1\n');
    writeFileSync(
      path.join(dir, 'production.env'),
      `API_URL=https://example.test\nDB_PASSWORD=${CANARY}\nEXTRA_FLAG=on\n`,
    );
  }, 180_000);

  afterAll(async () => {
    for (const replica of replicas) {
      replica.kill('SIGKILL');
      await replica.exited;
    }
    await slack?.close();
    await schemas?.drop();
    rmSync(cli, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    PORT: '0',
    HOST: '127.0.0.1',
    DRIFTWATCH_DATABASE_URL: schemas.storeUrl,
    DRIFTWATCH_DATABASE_SCHEMA: schemas.storeSchema,
    DRIFTWATCH_JOBS_SCHEMA: schemas.jobsSchema,
    DRIFTWATCH_FINGERPRINT_KEY: 'c0ffee00'.repeat(8),
    DRIFTWATCH_DRAIN_TIMEOUT: '5s',
    SLACK_WEBHOOK_URL: slack.url,
  });
  const start = () => {
    const replica = spawnService(env(), [path.join(cli, 'bin/driftwatch.js')], dir, ['-c', 'driftwatch.yaml']);
    replicas.push(replica);
    return replica;
  };
  const reports = async () =>
    schemas.query(`select occurrence, status, payload from ${schemas.storeSchema}.report_outbox order by occurrence`);
  const rounds = async () =>
    schemas.query(
      `select occurrence, env, status from ${schemas.storeSchema}.snapshot_rounds order by occurrence, env`,
    );
  /** Occurrences whose report was delivered and whose round recorded both environments. */
  const complete = async () => {
    const delivered = new Set(
      (await reports()).filter((row) => row.status === 'delivered').map((row) => String(row.occurrence)),
    );
    const byOccurrence = new Map<string, number>();
    for (const row of await rounds()) {
      byOccurrence.set(String(row.occurrence), (byOccurrence.get(String(row.occurrence)) ?? 0) + 1);
    }
    return [...delivered].filter((occurrence) => byOccurrence.get(occurrence) === 2).sort();
  };
  const until = async (condition: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) {
        const tail = replicas.map((replica) =>
          [...replica.logs.slice(-15).map((line) => JSON.stringify(line)), replica.stderr()].join('\n'),
        );
        throw new Error(`condition not met in time; the replicas logged:\n${tail.join('\n---\n')}`);
      }
      await sleep(500);
    }
  };

  it(
    'runs every occurrence once across the replicas, and loses none when one is killed',
    async () => {
      const [first, second] = [start(), start()];
      await Promise.all([first.port, second.port]);

      // The first occurrence, then kill -9 one replica, whichever ran it.
      await until(async () => (await complete()).length >= 1, 2.5 * MINUTE_MS);
      first.kill('SIGKILL');
      await first.exited;
      await until(async () => (await complete()).length >= OCCURRENCES, (OCCURRENCES + 0.5) * MINUTE_MS);

      const port = await second.port;
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      second.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);

      const occurrences = await complete();
      // No occurrence missing between the first and the last.
      const first_ = Date.parse(occurrences[0] as string);
      expect(occurrences).toEqual(occurrences.map((_, index) => new Date(first_ + index * MINUTE_MS).toISOString()));
      // One report per occurrence, delivered once: one row each (the unique key) and one POST each.
      const outbox = await reports();
      expect(outbox.map((row) => row.occurrence)).toEqual([...new Set(outbox.map((row) => row.occurrence))]);
      const delivered = outbox.filter((row) => row.status === 'delivered');
      expect(slack.accepted()).toHaveLength(delivered.length);
      expect(delivered.length).toBeGreaterThanOrEqual(OCCURRENCES);

      // One round per environment per occurrence, each a stored snapshot: the live source changed every minute.
      const recorded = await rounds();
      const keys = recorded.map((row) => `${row.occurrence} ${row.env}`);
      expect(keys).toEqual([...new Set(keys)]);
      for (const occurrence of occurrences) {
        expect(recorded.filter((row) => row.occurrence === occurrence).map((row) => row.env)).toEqual([
          'production',
          'staging',
        ]);
      }
      expect(recorded.every((row) => row.status === 'stored' || row.status === 'unchanged')).toBe(true);
      const snapshots = await schemas.query(
        `select env, count(*)::int as count from ${schemas.storeSchema}.snapshots group by env order by env`,
      );
      for (const { env: name, count } of snapshots) {
        expect(count).toBe(recorded.filter((row) => row.env === name && row.status === 'stored').length);
      }
      expect(metrics).toMatch(/driftwatch_snapshot_rounds_total\{outcome="completed"\} \d/);
      expect(metrics).toContain('driftwatch_scheduled_reports_total');

      // The planted secret and the webhook's token: in no payload, log line or row.
      const logs = replicas.map((replica) => `${JSON.stringify(replica.logs)}\n${replica.stderr()}`).join('\n');
      expect(logs).toContain('snapshot round ended');
      expect(logs).toContain('scheduled report run ended');
      const rows = JSON.stringify([
        outbox,
        await schemas.query(`select * from ${schemas.storeSchema}.snapshot_rounds`),
        await schemas.query(`select * from ${schemas.storeSchema}.key_versions`),
        await schemas.query(`select * from ${schemas.storeSchema}.snapshots`),
      ]);
      for (const text of [logs, rows, JSON.stringify(slack.received.map((request) => request.body)), metrics]) {
        expect(text).not.toContain(CANARY);
        expect(text).not.toContain(SLACK_TOKEN);
      }
    },
    (OCCURRENCES + 3) * MINUTE_MS,
  );
});
