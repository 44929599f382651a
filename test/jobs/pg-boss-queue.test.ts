import PgBoss from 'pg-boss';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueueStoppedError, ScheduleError } from '../../src/jobs/job-queue.js';
import { JOB_NAMES } from '../../src/jobs/jobs.js';
import { openPgBossQueue, type PgBossQueue } from '../../src/jobs/pg-boss-queue.js';
import { createTestSchemas, postgresSkipReason, postgresUrl, type TestSchemas } from '../server/postgres.js';

const ANALYZE = JOB_NAMES.analyzePullRequest;
const FAST = { [ANALYZE]: { retryDelayMs: 1_000, retryLimit: 1 } };

if (postgresSkipReason) console.warn(`jobs/pg-boss: skipped (${postgresSkipReason})`);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe.skipIf(postgresSkipReason !== undefined)('jobs/pg-boss queue', () => {
  let schemas: TestSchemas;
  const queues: PgBossQueue[] = [];
  const open = async () => {
    const queue = await openPgBossQueue({
      databaseUrl: postgresUrl as string,
      schema: schemas.jobsSchema,
      policies: FAST,
      pollingIntervalSeconds: 0.5,
      supersedeCheckMs: 50,
      poolSize: 4,
    });
    queues.push(queue);
    return queue;
  };
  const jobStates = async () =>
    (await schemas.query(`select state, data from ${schemas.jobsSchema}.job where name = $1 order by created_on`, [
      ANALYZE,
    ])) as { state: string; data: { payload: { head?: string } } }[];

  beforeEach(async () => {
    schemas = await createTestSchemas();
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.stop({ timeoutMs: 100 }).catch(() => undefined);
    await schemas.drop();
  });

  it('installs pg-boss in its own schema and works a job', async () => {
    const queue = await open();
    const seen: unknown[] = [];
    await queue.work(ANALYZE, async (payload, context) => {
      seen.push({ payload, attempt: context.attempt });
    });
    expect(await queue.send(ANALYZE, { head: 'h1' })).toEqual({ status: 'queued', superseded: 0 });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ payload: { head: 'h1' }, attempt: 1 }]);
    const tables = await schemas.query('select table_name from information_schema.tables where table_schema = $1', [
      schemas.jobsSchema,
    ]);
    expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['job', 'queue', 'singleton_latest']));
    const queuesRows = await schemas.query(`select name, policy from ${schemas.jobsSchema}.queue order by name`);
    expect(queuesRows).toEqual(
      expect.arrayContaining([
        { name: 'analyze-pull-request', policy: 'stately' },
        { name: 'send-report', policy: 'standard' },
        { name: 'snapshot-environments', policy: 'standard' },
      ]),
    );
  });

  it('retries a failing job through pg-boss, then fails it on the final attempt', async () => {
    const queue = await open();
    const attempts: { attempt: number; finalAttempt: boolean }[] = [];
    await queue.work(ANALYZE, async (_payload, context) => {
      attempts.push({ attempt: context.attempt, finalAttempt: context.finalAttempt });
      throw new Error('GitHub answered 502');
    });
    await queue.send(ANALYZE, { head: 'h1' });
    await waitFor(() => attempts.length === 2);
    expect(attempts).toEqual([
      { attempt: 1, finalAttempt: false },
      { attempt: 2, finalAttempt: true },
    ]);
    await sleep(300);
    expect((await jobStates()).map((job) => job.state)).toEqual(['failed']);
  });

  it('supersedes across two queues on separate pools: one run per key at a time, the newest head runs to completion', async () => {
    const [first, second] = [await open(), await open()];
    const events: string[] = [];
    const handler = async (payload: unknown, context: { signal: AbortSignal }) => {
      const { head } = payload as { head: string };
      events.push(`start ${head}`);
      await sleepUnlessAborted(1_500, context.signal);
      events.push(context.signal.aborted ? `abort ${head} (${String(context.signal.reason)})` : `done ${head}`);
    };
    await first.work(ANALYZE, handler, { concurrency: 2 });
    await second.work(ANALYZE, handler, { concurrency: 2 });
    await first.send(ANALYZE, { head: 'h1' }, { singletonKey: 'acme/api#1', order: 1 });
    await waitFor(() => events.includes('start h1'));
    expect(await second.send(ANALYZE, { head: 'h2' }, { singletonKey: 'acme/api#1', order: 2 })).toEqual({
      status: 'queued',
      superseded: 0,
    });
    expect(await first.send(ANALYZE, { head: 'h3' }, { singletonKey: 'acme/api#1', order: 3 })).toEqual({
      status: 'queued',
      superseded: 1,
    });
    expect(await second.send(ANALYZE, { head: 'late' }, { singletonKey: 'acme/api#1', order: 2 })).toEqual({
      status: 'stale',
    });
    await waitFor(() => events.includes('done h3'));
    expect(events).toEqual(['start h1', 'abort h1 (superseded)', 'start h3', 'done h3']);
    // pg-boss marks a job completed after its handler returns: wait for that write, not for the handler.
    const headStates = async () => (await jobStates()).map((job) => [job.data.payload.head, job.state]);
    await waitFor(async () => (await headStates()).every(([, state]) => state !== 'active'));
    const states = await headStates();
    expect(states).toEqual([
      ['h1', 'completed'],
      ['h2', 'cancelled'],
      ['h3', 'completed'],
    ]);
  });

  it('counts waiting and running jobs, and is not ready once its schema is gone', async () => {
    const queue = await open();
    await queue.send(ANALYZE, { head: 'h1' }, { singletonKey: 'a' });
    await queue.send(ANALYZE, { head: 'h2' }, { singletonKey: 'b' });
    expect(await queue.depth()).toBe(2);
    await queue.ping();
    await schemas.query(`drop schema ${schemas.jobsSchema} cascade`);
    await expect(queue.ping()).rejects.toThrow(/does not exist/);
  });

  it('hands a job that outlives the drain timeout back: another replica retries it', async () => {
    const leaving = await open();
    const runs: string[] = [];
    await leaving.work(ANALYZE, async (_payload, context) => {
      runs.push(`leaving attempt ${context.attempt}`);
      await sleepUnlessAborted(30_000, context.signal);
      runs.push(`leaving ${String(context.signal.reason)}`);
    });
    await leaving.send(ANALYZE, { head: 'h1' }, { singletonKey: 'k' });
    await waitFor(() => runs.length === 1);
    await leaving.stop({ timeoutMs: 300 });
    expect(runs).toEqual(['leaving attempt 1', 'leaving shutdown']);
    await expect(leaving.send(ANALYZE, {})).rejects.toBeInstanceOf(QueueStoppedError);
    expect((await jobStates()).map((job) => job.state)).toEqual(['retry']);

    const staying = await open();
    await staying.work(ANALYZE, async (payload, context) => {
      runs.push(`staying attempt ${context.attempt} ${(payload as { head: string }).head}`);
    });
    await waitFor(() => runs.length === 3);
    expect(runs[2]).toBe('staying attempt 2 h1');
  });

  it('gives a scheduled job the occurrence it was created for', async () => {
    const queue = await open();
    await queue.schedule(JOB_NAMES.sendReport, '*/5 * * * *', { timezone: 'Europe/Berlin' });
    const schedules = await schemas.query(`select name, cron, timezone from ${schemas.jobsSchema}.schedule`);
    expect(schedules).toEqual([{ name: 'send-report', cron: '*/5 * * * *', timezone: 'Europe/Berlin' }]);
    const occurrences: string[] = [];
    await queue.work(JOB_NAMES.sendReport, async (payload) => {
      occurrences.push((payload as { occurrence: string }).occurrence);
    });
    // What pg-boss's cron inserts when the schedule fires (minute grain: a test cannot wait for it).
    const boss = new PgBoss({
      connectionString: postgresUrl as string,
      schema: schemas.jobsSchema,
      supervise: false,
      schedule: false,
    });
    await boss.start();
    try {
      await boss.send(JOB_NAMES.sendReport, { schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' } });
    } finally {
      await boss.stop({ graceful: false });
    }
    await waitFor(() => occurrences.length === 1);
    const occurrence = new Date(occurrences[0] as string);
    expect(occurrence.getUTCMinutes() % 5).toBe(0);
    expect(occurrence.getUTCSeconds()).toBe(0);
    expect(Date.now() - occurrence.getTime()).toBeLessThan(5 * 60_000 + 10_000);
  });

  it('refuses cron expressions it cannot schedule', async () => {
    const queue = await open();
    await expect(queue.schedule(JOB_NAMES.sendReport, '*/10 * * * * *', {})).rejects.toBeInstanceOf(ScheduleError);
    await expect(queue.schedule(JOB_NAMES.sendReport, 'every day', {})).rejects.toThrow(/^invalid cron expression/);
    await expect(queue.schedule(JOB_NAMES.sendReport, '0 8 * * *', { timezone: 'Nowhere/City' })).rejects.toThrow(
      /^unknown time zone/,
    );
  });

  it('names the database without its password when it cannot start', async () => {
    const url = new URL(postgresUrl as string);
    url.password = 'planted-canary-password';
    url.port = '1';
    const error = await openPgBossQueue({ databaseUrl: url.toString(), schema: schemas.jobsSchema }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^cannot start the job queue on postgres:\/\/.*:\*\*\*@127\.0\.0\.1:1\//);
    expect((error as Error).message).not.toContain('planted-canary-password');
  });
});
