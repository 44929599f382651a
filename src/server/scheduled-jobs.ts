import type { ReportChannel } from '../check/report-channel.js';
import { sendReportWith } from '../check/send-report.js';
import { snapshotRound } from '../check/snapshot-round.js';
import type { Workspace } from '../check/workspace.js';
import { snapshotTimezone } from '../config/snapshot-config.js';
import { formatProblem } from '../errors.js';
import { errorDetails } from '../jobs/job-logger.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { JOB_NAMES, ScheduledJob } from '../jobs/jobs.js';
import { digestHeadline } from '../report/digest.js';
import { type SlackDeliveryOptions, slackChannel } from '../slack/slack-channel.js';
import { resolveWebhookUrl } from '../slack/webhook-url.js';
import type { Store } from '../store/store.js';
import type { Logger } from './logger.js';
import type { ScheduledReportOutcome, ServerMetrics, SnapshotRoundOutcome } from './metrics.js';

/** A cron expression of five fields in its IANA time zone, as driftwatch.yaml gives it. */
export interface Schedule {
  readonly cron: string;
  readonly timezone: string;
}

/**
 * What `serve -c driftwatch.yaml` runs on its own: the config's workspace
 * (a local checkout, trusted like a base branch, so live sources are read),
 * and the schedules it names.
 */
export interface ScheduledWork {
  readonly workspace: Workspace;
  /** `snapshot.schedule`: every environment into the history. */
  readonly snapshot?: Schedule;
  /** `report.schedule`: the drift report, to `channel`. */
  readonly report?: Schedule & { readonly channel: ReportChannel };
  /** What the logger must mask beyond the settings' secrets: the webhook URL's pieces. */
  readonly secrets: readonly string[];
}

/**
 * The schedules of a loaded config. A report schedule needs its Slack webhook
 * now, not at the first occurrence: a missing one is a `ConfigError` that
 * stops start-up.
 */
export function scheduledWorkOf(
  workspace: Workspace,
  delivery: Omit<SlackDeliveryOptions, 'webhook'> = {},
): ScheduledWork {
  const { config } = workspace;
  const snapshotCron = config.snapshot?.schedule;
  const reportCron = config.report.schedule;
  const webhook = reportCron === undefined ? undefined : resolveWebhookUrl(config.report, workspace.env);
  return {
    workspace,
    ...(snapshotCron === undefined ? {} : { snapshot: { cron: snapshotCron, timezone: snapshotTimezone(config) } }),
    ...(reportCron === undefined || webhook === undefined
      ? {}
      : {
          report: {
            cron: reportCron,
            timezone: config.report.timezone,
            channel: slackChannel({ webhook, ...delivery }),
          },
        }),
    secrets: webhook?.secrets ?? [],
  };
}

export interface ScheduledJobsOptions {
  readonly queue: JobQueue;
  readonly store: Store;
  readonly work: ScheduledWork;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
}

/**
 * Works `snapshot-environments` and `send-report` and puts them on their
 * schedules: once per occurrence across every replica (pg-boss's cron; croner
 * in one process). Both handlers are idempotent per occurrence — a round
 * finds the environments it recorded, a report its outbox row — so a retried
 * or duplicated occurrence stores and sends once. Throws `ScheduleError` for
 * a schedule the queue cannot run.
 */
export async function registerScheduledJobs(options: ScheduledJobsOptions): Promise<void> {
  const { queue, work } = options;
  if (work.snapshot !== undefined) {
    await queue.work(JOB_NAMES.snapshotEnvironments, snapshotHandler(options));
    await queue.schedule(JOB_NAMES.snapshotEnvironments, work.snapshot.cron, { timezone: work.snapshot.timezone });
  }
  if (work.report !== undefined) {
    await queue.work(JOB_NAMES.sendReport, reportHandler(options, work.report.channel));
    await queue.schedule(JOB_NAMES.sendReport, work.report.cron, { timezone: work.report.timezone });
  }
}

/** One scheduled snapshot round: every environment, failures and suspicious shrinks counted and logged. */
export function snapshotHandler(options: Omit<ScheduledJobsOptions, 'queue'>) {
  const { store, work, metrics, logger } = options;
  return async (payload: unknown, context: { readonly attempt: number }): Promise<void> => {
    const parsed = ScheduledJob.safeParse(payload);
    if (!parsed.success) {
      metrics.snapshotRounds.inc({ outcome: 'invalid' });
      logger.error({ job: JOB_NAMES.snapshotEnvironments }, 'scheduled job with an invalid payload dropped');
      return;
    }
    const { occurrence } = parsed.data;
    const endTimer = metrics.snapshotRoundDuration.startTimer();
    let outcome: SnapshotRoundOutcome = 'completed';
    try {
      const result = await snapshotRound(work.workspace, store, { occurrence });
      const fresh = result.rounds.filter((round) => !round.known);
      const count = (status: string) => fresh.filter((round) => round.status === status).length;
      for (const round of fresh) {
        if (round.status !== 'failed' && round.status !== 'suspicious') continue;
        (round.status === 'failed' ? metrics.snapshotFailures : metrics.snapshotsSuspicious).inc({ env: round.env });
        logger.warn(
          { occurrence, env: round.env, status: round.status, problems: round.problems.map(formatProblem) },
          round.status === 'failed'
            ? 'scheduled snapshot failed: a source could not be read; nothing stored'
            : 'scheduled snapshot looks suspicious: kept out of the history',
        );
      }
      if (fresh.length === 0) outcome = 'known';
      else if (count('failed') + count('suspicious') > 0) outcome = 'troubled';
      logger.info(
        {
          occurrence,
          attempt: context.attempt,
          outcome,
          stored: count('stored'),
          unchanged: count('unchanged'),
          failed: count('failed'),
          suspicious: count('suspicious'),
          recordedBefore: result.rounds.length - fresh.length,
          pruned: result.pruned,
        },
        'snapshot round ended',
      );
    } catch (error) {
      outcome = 'error';
      logger.warn({ occurrence, attempt: context.attempt, ...errorDetails(error) }, 'snapshot round failed');
      throw error;
    } finally {
      endTimer({ outcome });
      metrics.snapshotRounds.inc({ outcome });
    }
  };
}

/** One scheduled report: built and sent through the outbox; a delivery that may heal is retried. */
export function reportHandler(options: Omit<ScheduledJobsOptions, 'queue'>, channel: ReportChannel) {
  const { store, work, metrics, logger } = options;
  return async (payload: unknown, context: { readonly attempt: number; readonly finalAttempt: boolean }) => {
    const parsed = ScheduledJob.safeParse(payload);
    if (!parsed.success) {
      metrics.scheduledReports.inc({ outcome: 'invalid' });
      logger.error({ job: JOB_NAMES.sendReport }, 'scheduled job with an invalid payload dropped');
      return;
    }
    const { occurrence } = parsed.data;
    let outcome: ScheduledReportOutcome = 'error';
    try {
      const result = await sendReportWith(store, work.workspace, {
        channel,
        occurrence,
        onDeliveryFailure: (failure) => {
          metrics.reportDeliveryFailures.inc({ permanent: String(failure.permanent) });
          logger.warn(
            { occurrence: failure.occurrence, permanent: failure.permanent, reason: failure.reason },
            'report delivery failed',
          );
        },
      });
      const { occurrence: built } = result;
      outcome = built.status === 'sent' ? (built.sent.outcome.ok ? 'sent' : 'failed') : built.status;
      logger.info(
        {
          occurrence,
          attempt: context.attempt,
          outcome,
          sentEarlier: result.earlier.length,
          ...(result.digest === undefined ? {} : { headline: digestHeadline(result.digest) }),
        },
        'scheduled report run ended',
      );
      const retryable =
        (built.status === 'sent' && !built.sent.outcome.ok && !built.sent.outcome.permanent) ||
        built.status === 'held-back';
      // The outbox keeps the report pending either way; a retry sends it sooner than the next occurrence would.
      if (retryable && !context.finalAttempt) throw new Error('the report could not be delivered yet; retrying');
    } catch (error) {
      if (outcome === 'error') {
        logger.warn({ occurrence, attempt: context.attempt, ...errorDetails(error) }, 'scheduled report failed');
      }
      throw error;
    } finally {
      metrics.scheduledReports.inc({ outcome });
    }
  };
}
