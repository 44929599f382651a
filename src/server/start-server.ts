import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DriftwatchError } from '../errors.js';
import type { GithubSettings } from '../github/settings.js';
import { InProcessQueue } from '../jobs/in-process-queue.js';
import { errorDetails } from '../jobs/job-logger.js';
import type { JobPolicyOverrides } from '../jobs/job-policies.js';
import { type JobQueue, ScheduleError } from '../jobs/job-queue.js';
import { openPgBossQueue } from '../jobs/pg-boss-queue.js';
import { FINGERPRINT_KEY_VARIABLE, loadFingerprintKey } from '../snapshot/fingerprint.js';
import { redactDatabaseUrl } from '../store/database-url.js';
import { openStore, SQLITE_STORE_PATH } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { AnalyzePullRequest } from './analysis-worker.js';
import { buildServer } from './build-server.js';
import { createLogger, type Logger } from './logger.js';
import { createServerMetrics, type ServerMetrics } from './metrics.js';
import { createPullRequestAnalysis } from './pull-request-analysis.js';
import { registerScheduledJobs, type ScheduledWork } from './scheduled-jobs.js';
import { type ServerSettings, secretSettingValues } from './settings.js';

/** What the PR analysis is built from; the service builds it once the store and metrics exist. */
export interface AnalyzerContext {
  readonly github: GithubSettings;
  /** The key of the stored snapshots' fingerprints (DRIFTWATCH_FINGERPRINT_KEY, or the key file beside the store). */
  readonly fingerprintKey: Buffer;
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: ServerMetrics;
}

export type AnalyzerFactory = (context: AnalyzerContext) => AnalyzePullRequest;

export interface StartServiceOptions {
  readonly settings: ServerSettings;
  /** Builds the PR analysis when the settings turn the PR bot on; the real one by default (tests inject theirs). */
  readonly createAnalyzer?: AnalyzerFactory;
  /** Where the JSON log lines go; standard output by default. */
  readonly logDestination?: { write(line: string): unknown };
  /** SIGTERM and SIGINT drain and stop the service (default). Tests that stop it themselves turn this off. */
  readonly handleSignals?: boolean;
  /** Changes to the jobs' retries and time limits (tests make them short). */
  readonly jobPolicies?: JobPolicyOverrides;
  /** pg-boss: how often idle workers poll and running jobs check for a newer one (tests make them short). */
  readonly pgBoss?: { readonly pollingIntervalSeconds?: number; readonly supersedeCheckMs?: number };
  /** `serve -c driftwatch.yaml`: the config's scheduled snapshots and report, run on the job queue. */
  readonly scheduled?: ScheduledWork;
}

export interface RunningService {
  readonly app: FastifyInstance;
  /** Where it listens; the port the system chose when PORT=0. */
  readonly address: { readonly host: string; readonly port: number };
  readonly logger: Logger;
  /** Drains and closes everything (see `stopService`); the same promise however often it is called. */
  stop(reason: string): Promise<void>;
  /** Settles once the service has stopped, whoever stopped it. */
  readonly stopped: Promise<void>;
}

/**
 * Opens the store and the job queue the settings ask for, builds the app and
 * listens. Stopping (SIGTERM, SIGINT or `stop()`): webhooks are answered 503
 * and /readyz reports `draining` at once; running jobs get the drain timeout to
 * finish, then are handed back (pg-boss: retried on another replica;
 * in-process: lost, and their deliveries made redeliverable); then the server
 * and the store close. A second signal exits at once.
 * Start-up failures are `DriftwatchError`s naming what failed, password masked.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { settings } = options;
  const logger = createLogger({
    level: settings.logLevel,
    secrets: [...secretSettingValues(settings), ...(options.scheduled?.secrets ?? [])],
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  logger.info({ ...describeSettings(settings), ...describeSchedules(options.scheduled) }, 'starting');

  const store = await openStore({
    configDir: settings.storeDir,
    ...(settings.database === undefined
      ? {}
      : {
          databaseUrl: settings.database.url,
          databaseUrlName: settings.database.from,
          schema: settings.historySchema,
        }),
  });
  let queue: JobQueue;
  try {
    queue = await openQueue(settings, logger, options);
  } catch (error) {
    await store.close();
    throw new DriftwatchError('SOURCE_ERROR', [{ source: 'job queue', message: messageOf(error) }]);
  }

  const metrics = createServerMetrics({ queue, processMetrics: true });
  const { github } = settings;
  let app: FastifyInstance | undefined;
  try {
    const analyzePullRequest =
      github === undefined
        ? undefined
        : (options.createAnalyzer ?? createPullRequestAnalysis)({
            github,
            fingerprintKey: loadFingerprintKey(settings.storeDir, {
              [FINGERPRINT_KEY_VARIABLE]: settings.fingerprintKey,
            }),
            store,
            logger,
            metrics,
          });
    app = buildServer({
      store,
      queue,
      ...(github === undefined ? {} : { github }),
      ...(analyzePullRequest === undefined ? {} : { analyzePullRequest }),
      ...(settings.dashboard === undefined ? {} : { dashboard: settings.dashboard }),
      logger,
      metrics,
      jobConcurrency: settings.jobConcurrency,
    });
    if (options.scheduled !== undefined) {
      await registerSchedules({ queue, store, work: options.scheduled, metrics, logger });
    }
    await app.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    await app?.close().catch(() => undefined);
    await queue.stop({ timeoutMs: 0 }).catch(() => undefined);
    await store.close().catch(() => undefined);
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const reason = code === 'EADDRINUSE' ? 'the address is already in use' : messageOf(error);
      throw new DriftwatchError('CONFIG_ERROR', [
        { source: 'PORT', message: `cannot listen on ${settings.host}:${settings.port}: ${reason}` },
      ]);
    }
    throw error;
  }
  const bound = app.server.address();
  const address = {
    host: settings.host,
    port: typeof bound === 'object' && bound !== null ? bound.port : settings.port,
  };
  logger.info(address, 'listening');

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) {
      logger.warn({ signal }, 'second signal while draining: exiting now');
      process.exit(1);
    }
    void stop(signal);
  };
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      await stopService({ app, queue, store, logger, drainTimeoutMs: settings.drainTimeoutMs, reason });
      if (options.handleSignals !== false) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
      resolveStopped();
    })();
    return stopping;
  };
  if (options.handleSignals !== false) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { app, address, logger, stop, stopped };
}

interface StopServiceOptions {
  readonly app: FastifyInstance;
  readonly queue: JobQueue;
  readonly store: Store;
  readonly logger: Logger;
  readonly drainTimeoutMs: number;
  readonly reason: string;
}

/**
 * The shutdown order: refuse new work first (the listener stays up so that
 * probes and GitHub get an answer: 503), let the queue drain, then close the
 * server and, last, the store the jobs were writing to.
 */
async function stopService(options: StopServiceOptions): Promise<void> {
  const { app, queue, store, logger, drainTimeoutMs, reason } = options;
  logger.info({ reason, drainTimeoutMs }, 'draining: no new work; running jobs may finish');
  app.service.startDraining();
  const depth = await queue.depth().catch(() => undefined);
  await queue.stop({ timeoutMs: drainTimeoutMs }).catch((error: unknown) => {
    logger.error(errorDetails(error), 'the job queue did not stop cleanly');
  });
  await app.close().catch((error: unknown) => logger.error(errorDetails(error), 'the server did not close cleanly'));
  await store.close().catch((error: unknown) => logger.error(errorDetails(error), 'the store did not close cleanly'));
  logger.info({ jobsAtShutdown: depth }, 'stopped');
}

/** The config's schedules on the queue; a schedule the queue refuses stops start-up, naming the config's field. */
async function registerSchedules(options: Parameters<typeof registerScheduledJobs>[0]): Promise<void> {
  try {
    await registerScheduledJobs(options);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    throw new DriftwatchError('CONFIG_ERROR', [
      { file: options.work.workspace.config.displayName, message: `a schedule cannot run: ${error.message}` },
    ]);
  }
}

/** Which schedules run, for the start-up line: a config without any says so rather than running nothing silently. */
function describeSchedules(work: ScheduledWork | undefined) {
  const show = (schedule: { cron: string; timezone: string } | undefined) =>
    schedule === undefined ? 'off' : `${schedule.cron} (${schedule.timezone})`;
  return {
    config: work?.workspace.config.displayName ?? 'none (serve -c driftwatch.yaml runs its schedules)',
    snapshotSchedule: show(work?.snapshot),
    reportSchedule: show(work?.report),
  };
}

async function openQueue(settings: ServerSettings, logger: Logger, options: StartServiceOptions): Promise<JobQueue> {
  const jobsLogger = logger.child({ component: 'jobs' });
  const policies = options.jobPolicies ?? {};
  if (settings.database === undefined) return new InProcessQueue({ logger: jobsLogger, policies });
  return openPgBossQueue({
    databaseUrl: settings.database.url,
    schema: settings.jobsSchema,
    logger: jobsLogger,
    policies,
    ...options.pgBoss,
  });
}

/** The settings as a log line may show them: which parts are on, where things live; no secret. */
function describeSettings(settings: ServerSettings) {
  const { github, database } = settings;
  return {
    host: settings.host,
    port: settings.port,
    githubBot:
      github === undefined ? 'off' : `${github.auth.kind} auth, ${github.webhookSecrets.length} webhook secret(s)`,
    githubApiUrl: github?.apiUrl,
    store:
      database === undefined
        ? path.join(settings.storeDir, SQLITE_STORE_PATH)
        : `${redactDatabaseUrl(database.url)} (from ${database.from})`,
    queue: database === undefined ? 'in-process' : `pg-boss, schema ${settings.jobsSchema}`,
    dashboard: describeDashboard(settings.dashboard),
    jobConcurrency: settings.jobConcurrency,
    drainTimeoutMs: settings.drainTimeoutMs,
  };
}

/** Off by default, so the start line says how to turn it on. */
function describeDashboard(dashboard: ServerSettings['dashboard']): string {
  if (dashboard === undefined) {
    return 'off: set DRIFTWATCH_DASHBOARD_TOKEN to serve it behind a login, or DRIFTWATCH_DASHBOARD_PUBLIC=true to serve it to anyone who reaches the service';
  }
  return dashboard.access === 'token'
    ? 'on, behind DRIFTWATCH_DASHBOARD_TOKEN'
    : 'on, public (DRIFTWATCH_DASHBOARD_PUBLIC=true)';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
