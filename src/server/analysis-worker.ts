import { errorDetails } from '../jobs/job-logger.js';
import type { JobContext, JobQueue } from '../jobs/job-queue.js';
import { AnalyzePullRequestJob, JOB_NAMES } from '../jobs/jobs.js';
import type { Store } from '../store/store.js';
import type { Logger } from './logger.js';
import type { AnalysisOutcome, ServerMetrics } from './metrics.js';

/**
 * The PR analysis as the server runs it: one pull request head, as a job. It
 * must be idempotent (a run can repeat), should stop without writing when
 * `context.signal` aborts (a newer head superseded it, or the service is
 * shutting down), and throws when a retry could help.
 */
export type AnalyzePullRequest = (job: AnalyzePullRequestJob, context: JobContext) => Promise<void>;

export interface AnalysisWorkerOptions {
  readonly queue: JobQueue;
  readonly store: Store;
  readonly analyze: AnalyzePullRequest;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly concurrency: number;
}

/**
 * Works `analyze-pull-request` jobs: validates the payload, times and counts
 * each run by outcome, and when a job is given up (no retries left) or lost
 * (the in-process queue stopping), forgets its delivery so that GitHub's
 * "Redeliver" processes it again instead of being taken for a duplicate.
 */
export async function registerAnalysisWorker(options: AnalysisWorkerOptions): Promise<void> {
  const { queue, store, analyze, metrics, logger } = options;
  const forgetDelivery = async (deliveryId: string) => {
    await store.forgetWebhookDelivery(deliveryId).catch((error: unknown) => {
      logger.warn(
        { delivery: deliveryId, ...errorDetails(error) },
        'could not forget a delivery; it cannot be redelivered',
      );
    });
  };

  await queue.work(
    JOB_NAMES.analyzePullRequest,
    async (payload, context) => {
      const parsed = AnalyzePullRequestJob.safeParse(payload);
      if (!parsed.success) {
        // A payload this version cannot read will not heal on retry.
        metrics.analyses.inc({ outcome: 'invalid' });
        logger.error({ issues: parsed.error.issues.length }, 'analysis job with an invalid payload dropped');
        return;
      }
      const job = parsed.data;
      const details = {
        delivery: job.deliveryId,
        pullRequest: `${job.owner}/${job.repo}#${job.number}`,
        head: job.headSha,
        attempt: context.attempt,
      };
      const endTimer = metrics.analysisDuration.startTimer();
      let outcome: AnalysisOutcome = 'completed';
      try {
        await analyze(job, context);
        if (context.signal.reason === 'superseded') outcome = 'superseded';
        if (context.signal.reason === 'shutdown') outcome = 'interrupted';
      } catch (error) {
        if (context.signal.reason === 'superseded' || (await context.isSuperseded().catch(() => false))) {
          outcome = 'superseded';
          return;
        }
        if (context.signal.reason === 'shutdown') {
          // Handed back by the queue: pg-boss retries it elsewhere, the in-process queue reports it lost.
          outcome = 'interrupted';
          throw error;
        }
        outcome = context.finalAttempt ? 'failed' : 'retrying';
        if (context.finalAttempt) {
          logger.error({ ...details, ...errorDetails(error) }, 'analysis failed; no retries left');
          await forgetDelivery(job.deliveryId);
        } else {
          logger.warn({ ...details, ...errorDetails(error) }, 'analysis failed; it will be retried');
        }
        throw error;
      } finally {
        endTimer({ outcome });
        metrics.analyses.inc({ outcome });
        logger.info({ ...details, outcome }, 'analysis run ended');
      }
    },
    {
      concurrency: options.concurrency,
      async onLost(payload) {
        const parsed = AnalyzePullRequestJob.safeParse(payload);
        if (!parsed.success) return;
        logger.warn(
          { delivery: parsed.data.deliveryId, head: parsed.data.headSha },
          'analysis lost at shutdown; redeliver it from the GitHub App settings',
        );
        await forgetDelivery(parsed.data.deliveryId);
      },
    },
  );
}
