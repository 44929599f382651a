import pg from 'pg';
import PgBoss from 'pg-boss';
import { redactDatabaseUrl, scrubSecrets, secretsOf } from '../store/database-url.js';
import { type CronSchedule, occurrenceAt, parseCronSchedule } from './cron-schedule.js';
import { errorDetails, type JobLogger, SILENT_JOB_LOGGER } from './job-logger.js';
import { type JobPolicyOverrides, policyFor } from './job-policies.js';
import {
  type AbortReason,
  type JobContext,
  type JobHandler,
  type JobQueue,
  QueueStoppedError,
  ScheduleError,
  type ScheduleOptions,
  type SendOptions,
  type SendResult,
  type WorkOptions,
} from './job-queue.js';
import { JOB_NAMES, type JobName, type ScheduledJob } from './jobs.js';

/** pg-boss's schema when none is configured: beside the store's, never inside it. */
export const DEFAULT_JOBS_SCHEMA = 'driftwatch_jobs';

export interface PgBossQueueOptions {
  /** `postgres://` URL of the database the replicas share. */
  readonly databaseUrl: string;
  /** The schema pg-boss creates its tables in (and ours beside them); `driftwatch_jobs` by default. */
  readonly schema?: string;
  readonly logger?: JobLogger;
  readonly policies?: JobPolicyOverrides;
  /** How often an idle worker asks for a job (pg-boss's minimum is 0.5 s); a send wakes this process's workers at once. */
  readonly pollingIntervalSeconds?: number;
  /** How often a running job with a singleton key checks whether a newer one superseded it. */
  readonly supersedeCheckMs?: number;
  /** Connections to the database, shared by pg-boss and the queue. */
  readonly poolSize?: number;
}

/** What pg-boss keeps in a job's `data`: the payload as sent, or the schedule a cron job belongs to. */
type Envelope =
  | { readonly payload: object; readonly singletonKey?: string; readonly sequence?: number }
  | { readonly schedule: { readonly cron: string; readonly timezone: string } };

interface RunningJob {
  readonly controller: AbortController;
  readonly done: Promise<unknown>;
}

/** Queue policies by job name: an analysis is `stately` (one waiting and one running per pull request). */
const QUEUE_POLICY: Record<JobName, 'stately' | 'standard'> = {
  [JOB_NAMES.analyzePullRequest]: 'stately',
  [JOB_NAMES.snapshotEnvironments]: 'standard',
  [JOB_NAMES.sendReport]: 'standard',
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,49}$/;

/** How often a replica checks whether a schedule is due: a scheduled job is sent at most about this late. */
const CRON_MONITOR_SECONDS = 5;

/**
 * The job layer on PostgreSQL: pg-boss does the queueing, retries with
 * backoff, expiry of runs that outlive their time limit (a replica that died),
 * and cron (once per occurrence across the cluster). On top of it, only the
 * supersede rule, which pg-boss lacks: a small table holds, per job name and
 * singleton key, the sequence number of the newest job sent, and the order of
 * the state it describes. Sending a job with a key, in one transaction that
 * locks that row: a job older than the newest is stale and not sent; otherwise
 * the sequence is bumped, the key's waiting jobs are cancelled, and the new job
 * is inserted. A running job polls the row and has its signal aborted once a
 * newer job exists; a job that starts and is no longer the newest completes
 * without running its handler.
 */
export class PgBossQueue implements JobQueue {
  readonly engine = 'pg-boss';
  readonly #boss: PgBoss;
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #logger: JobLogger;
  readonly #policies: JobPolicyOverrides;
  readonly #pollingIntervalSeconds: number;
  readonly #supersedeCheckMs: number;
  readonly #workerIds = new Map<JobName, string[]>();
  readonly #running = new Set<RunningJob>();
  #stopping: Promise<void> | undefined;
  #closed = false;

  private constructor(options: Required<Omit<PgBossQueueOptions, 'databaseUrl'>> & { readonly pool: pg.Pool }) {
    this.#pool = options.pool;
    this.#schema = options.schema;
    this.#logger = options.logger;
    this.#policies = options.policies;
    this.#pollingIntervalSeconds = options.pollingIntervalSeconds;
    this.#supersedeCheckMs = options.supersedeCheckMs;
    this.#boss = new PgBoss({
      // pg-boss runs its SQL on our pool, so that the queue's own transactions and pg-boss share one set of connections.
      db: { executeSql: (text, values) => this.#executeSql(text, values) },
      schema: options.schema,
      pollingIntervalSeconds: options.pollingIntervalSeconds,
      // pg-boss stamps a cron job when its send-it worker sends it, and the occurrence is read back from that
      // moment: checking the schedules every 30 s (its default) could send a job a minute late, taken for the next.
      cronMonitorIntervalSeconds: CRON_MONITOR_SECONDS,
      cronWorkerIntervalSeconds: 1,
    });
    this.#boss.on('error', (error) => this.#logger.error(errorDetails(error), 'pg-boss reported an error'));
  }

  /** Connects, installs or migrates pg-boss's schema, and creates the queues. Throws an Error naming the database, password masked. */
  static async open(options: PgBossQueueOptions): Promise<PgBossQueue> {
    const schema = options.schema ?? DEFAULT_JOBS_SCHEMA;
    if (!IDENTIFIER.test(schema)) {
      throw new Error(
        `the jobs schema ${JSON.stringify(schema)} must be a lower-case SQL identifier of at most 50 characters`,
      );
    }
    const logger = options.logger ?? SILENT_JOB_LOGGER;
    const shown = redactDatabaseUrl(options.databaseUrl) ?? 'the database';
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      application_name: 'driftwatch-jobs',
    });
    // An idle client losing its server would otherwise crash the process; the next query reports it.
    pool.on('error', (error) => logger.warn(errorDetails(error), 'job queue database connection lost'));
    const queue = new PgBossQueue({
      pool,
      schema,
      logger,
      policies: options.policies ?? {},
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      supersedeCheckMs: options.supersedeCheckMs ?? 1_000,
      poolSize: options.poolSize ?? 10,
    });
    try {
      await queue.#start();
      return queue;
    } catch (error) {
      await queue.#boss.stop({ graceful: false, close: false }).catch(() => undefined);
      await pool.end().catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `cannot start the job queue on ${shown}: ${scrubSecrets(message, secretsOf(options.databaseUrl))}`,
      );
    }
  }

  async #start(): Promise<void> {
    // Replicas starting together would race to install the schema and create the queues (pg-boss deadlocks
    // on concurrent partition creation): one replica at a time sets up, the others find it done.
    const lock = await this.#pool.connect();
    try {
      await lock.query('select pg_advisory_lock(hashtext($1))', [`driftwatch-jobs:${this.#schema}`]);
      await this.#setUp();
    } finally {
      await lock
        .query('select pg_advisory_unlock(hashtext($1))', [`driftwatch-jobs:${this.#schema}`])
        .catch(() => undefined);
      lock.release();
    }
  }

  async #setUp(): Promise<void> {
    await this.#boss.start();
    await this.#pool.query(`
      create table if not exists ${this.#schema}.singleton_latest (
        name text not null,
        singleton_key text not null,
        order_value double precision,
        sequence bigint not null,
        updated_on timestamptz not null default now(),
        primary key (name, singleton_key)
      )`);
    for (const name of Object.values(JOB_NAMES)) {
      const policy = policyFor(name, this.#policies);
      const options = {
        policy: QUEUE_POLICY[name],
        retryLimit: policy.retryLimit,
        retryDelay: Math.max(1, Math.round(policy.retryDelayMs / 1000)),
        retryBackoff: true,
        expireInSeconds: Math.max(1, Math.round(policy.timeLimitMs / 1000)),
      };
      await this.#boss.createQueue(name, { name, ...options });
      // createQueue leaves an existing queue as it is: bring it up to date (updateQueue resets an omitted policy).
      await this.#boss.updateQueue(name, { name, ...options });
    }
    // Keys untouched for a month have nothing waiting, running or arriving late: forget them.
    await this.#pool.query(
      `delete from ${this.#schema}.singleton_latest where updated_on < now() - interval '30 days'`,
    );
  }

  async send(name: JobName, payload: object, options: SendOptions = {}): Promise<SendResult> {
    if (this.#stopping) throw new QueueStoppedError();
    const { singletonKey, order } = options;
    if (singletonKey === undefined) {
      await this.#insert(name, { payload }, {});
      this.#wakeWorkers(name);
      return { status: 'queued', superseded: 0 };
    }
    const result = await this.#withTransaction(async (client): Promise<SendResult> => {
      const latest = await client.query<{ sequence: string }>(
        `insert into ${this.#schema}.singleton_latest as latest (name, singleton_key, order_value, sequence)
         values ($1, $2, $3, 1)
         on conflict (name, singleton_key) do update
           set order_value = excluded.order_value, sequence = latest.sequence + 1, updated_on = now()
           where excluded.order_value is null or latest.order_value is null or excluded.order_value >= latest.order_value
         returning sequence`,
        [name, singletonKey, order ?? null],
      );
      const row = latest.rows[0];
      if (row === undefined) return { status: 'stale' };
      // Locking the waiting jobs keeps a worker from fetching one while it is being cancelled;
      // one a worker already holds is skipped once the worker commits, for it is running by then.
      const waiting = await client.query<{ id: string }>(
        `select id from ${this.#schema}.job where name = $1 and singleton_key = $2 and state < 'active' for update`,
        [name, singletonKey],
      );
      const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
      const ids = waiting.rows.map((waitingRow) => waitingRow.id);
      if (ids.length > 0) await this.#boss.cancel(name, ids, { db });
      await this.#insert(name, { payload, singletonKey, sequence: Number(row.sequence) }, { singletonKey, db });
      return { status: 'queued', superseded: ids.length };
    });
    if (result.status === 'queued') this.#wakeWorkers(name);
    return result;
  }

  async #insert(name: JobName, envelope: Envelope, options: PgBoss.SendOptions): Promise<void> {
    const id = await this.#boss.send(name, envelope, options);
    // The waiting jobs of the key were cancelled in this transaction, so only a queue that does not exist refuses.
    if (id === null) throw new Error(`pg-boss did not queue the ${name} job`);
  }

  async work(name: JobName, handler: JobHandler, options: WorkOptions = {}): Promise<void> {
    if (this.#stopping) throw new QueueStoppedError();
    if (this.#workerIds.has(name)) throw new Error(`jobs of ${name} already have a handler`);
    const concurrency = options.concurrency ?? 1;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    const ids: string[] = [];
    this.#workerIds.set(name, ids);
    // pg-boss 10 works one job at a time per worker: concurrency is that many workers.
    for (let index = 0; index < concurrency; index++) {
      const id = await this.#boss.work<Envelope>(
        name,
        { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.#pollingIntervalSeconds },
        async ([job]) => {
          if (job !== undefined) await this.#run(name, job, handler);
        },
      );
      ids.push(id);
    }
  }

  async #run(name: JobName, job: PgBoss.JobWithMetadata<Envelope>, handler: JobHandler): Promise<void> {
    const envelope = job.data;
    const controller = new AbortController();
    const details = { job: name, jobId: job.id, attempt: job.retryCount + 1 };
    let payload: unknown;
    let isSuperseded = async () => false;
    if ('schedule' in envelope) {
      const schedule = parseCronSchedule(envelope.schedule.cron, envelope.schedule.timezone);
      payload = { occurrence: occurrenceAt(schedule, new Date(job.createdOn)) } satisfies ScheduledJob;
    } else {
      payload = envelope.payload;
      const { singletonKey, sequence } = envelope;
      if (singletonKey !== undefined && sequence !== undefined) {
        isSuperseded = () => this.#isSuperseded(name, singletonKey, sequence);
      }
    }
    if (await isSuperseded()) {
      this.#logger.debug(details, 'job superseded before it started; a newer job of its key follows');
      return;
    }
    const poll = setInterval(() => {
      isSuperseded().then(
        (superseded) => {
          if (superseded) controller.abort('superseded' satisfies AbortReason);
        },
        () => undefined,
      );
    }, this.#supersedeCheckMs);
    const timeLimit = setTimeout(() => controller.abort('timeout' satisfies AbortReason), job.expireInSeconds * 1000);
    const context: JobContext = {
      attempt: job.retryCount + 1,
      finalAttempt: job.retryCount >= job.retryLimit,
      signal: controller.signal,
      isSuperseded,
    };
    const done = Promise.resolve().then(() => handler(payload, context));
    const running: RunningJob = { controller, done };
    this.#running.add(running);
    try {
      await done;
    } catch (error) {
      if (controller.signal.reason === 'superseded' || (await isSuperseded().catch(() => false))) {
        this.#logger.debug(details, 'superseded job ended with an error; a newer job of its key follows');
        return;
      }
      throw error;
    } finally {
      clearInterval(poll);
      clearTimeout(timeLimit);
      this.#running.delete(running);
    }
    // A handler that gave up at shutdown did not finish: fail the run so that another replica retries it.
    if (controller.signal.reason === 'shutdown') throw new Error('handed back: the service shut down during the job');
  }

  async #isSuperseded(name: JobName, singletonKey: string, sequence: number): Promise<boolean> {
    const { rows } = await this.#pool.query<{ sequence: string }>(
      `select sequence from ${this.#schema}.singleton_latest where name = $1 and singleton_key = $2`,
      [name, singletonKey],
    );
    const latest = rows[0];
    return latest !== undefined && Number(latest.sequence) !== sequence;
  }

  async schedule(name: JobName, cron: string, options: ScheduleOptions): Promise<void> {
    if (this.#stopping) throw new QueueStoppedError();
    const schedule: CronSchedule = parseCronSchedule(cron, options.timezone);
    if (cron.trim().split(/\s+/).length !== 5) {
      throw new ScheduleError(
        `cron expression ${JSON.stringify(cron)} has a seconds field: pg-boss schedules have minute grain (5 fields)`,
      );
    }
    const envelope: Envelope = { schedule: { cron: schedule.cron, timezone: schedule.timezone } };
    await this.#boss.schedule(name, cron, envelope, { tz: schedule.timezone });
  }

  async depth(): Promise<number> {
    const { rows } = await this.#pool.query<{ count: number }>(
      `select count(*)::int as count from ${this.#schema}.job where name = any($1) and state < 'completed'`,
      [Object.values(JOB_NAMES)],
    );
    return rows[0]?.count ?? 0;
  }

  async ping(): Promise<void> {
    if (this.#stopping) throw new QueueStoppedError();
    await this.#pool.query(`select version from ${this.#schema}.version`);
  }

  stop(options: { readonly timeoutMs: number }): Promise<void> {
    this.#stopping ??= this.#drain(options.timeoutMs);
    return this.#stopping;
  }

  async #drain(timeoutMs: number): Promise<void> {
    const graceMs = Math.min(1_000, timeoutMs);
    // At the timeout, running handlers are told to stop; pg-boss then fails what still runs, and another replica retries it.
    const abort = setTimeout(() => {
      for (const running of this.#running) running.controller.abort('shutdown' satisfies AbortReason);
    }, timeoutMs);
    try {
      await this.#boss.stop({
        graceful: true,
        wait: true,
        close: false,
        timeout: Math.max(1_000, timeoutMs + graceMs),
      });
    } finally {
      clearTimeout(abort);
    }
    // pg-boss completes or fails a job after its handler settles, without waiting: let those last writes through.
    await Promise.race([
      Promise.allSettled([...this.#running].map((running) => running.done)),
      new Promise((resolve) => setTimeout(resolve, graceMs)),
    ]);
    this.#closed = true;
    await this.#pool.end();
  }

  #wakeWorkers(name: JobName): void {
    for (const id of this.#workerIds.get(name) ?? []) this.#boss.notifyWorker(id);
  }

  async #executeSql(text: string, values: unknown[] | undefined): Promise<{ rows: unknown[] }> {
    // Like pg-boss's own pool after close: late bookkeeping of a stopped queue is dropped, not thrown unhandled.
    if (this.#closed) return undefined as unknown as { rows: unknown[] };
    return this.#pool.query(text, values);
  }

  async #withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Opens the pg-boss engine; see `PgBossQueue.open`. */
export function openPgBossQueue(options: PgBossQueueOptions): Promise<PgBossQueue> {
  return PgBossQueue.open(options);
}
