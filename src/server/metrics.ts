import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobQueue } from '../jobs/job-queue.js';

/** What a delivery came to: the `outcome` label of `driftwatch_webhook_deliveries_total`. */
export type DeliveryOutcome =
  /** An analysis job was queued. */
  | 'queued'
  /** A job for a more recent state of the pull request was already sent: nothing queued. */
  | 'stale'
  /** ping and installation events: verified and answered, no work to do. */
  | 'acknowledged'
  /** Verified, but an event or action the service does not act on. */
  | 'ignored'
  /** A redelivery of an id already taken. */
  | 'duplicate'
  /** Verified, but not JSON, or not the shape its event has. */
  | 'invalid'
  /** Signature missing the mark. */
  | 'unauthorized'
  /** A required header missing or malformed. */
  | 'bad_request'
  | 'unsupported_media_type'
  | 'too_large'
  /** Draining for shutdown, or the store or queue could not take it. */
  | 'unavailable'
  | 'error';

/** How an analysis job's run ended: the `outcome` label of the analysis metrics. */
export type AnalysisOutcome = 'completed' | 'superseded' | 'interrupted' | 'retrying' | 'failed' | 'invalid';

/**
 * The service's metrics, one registry per app (so that tests building several
 * apps never share counters). The PR analysis counts GitHub API errors through
 * `githubApiErrors`; the server counts the rest.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly webhookDeliveries: Counter<'event' | 'outcome'>;
  readonly analyses: Counter<'outcome'>;
  readonly analysisDuration: Histogram<'outcome'>;
  /** `status`: the HTTP status GitHub answered (`502`), or `timeout` / `network` when it did not answer. */
  readonly githubApiErrors: Counter<'status'>;
  readonly queueDepth: Gauge<'engine'>;
  /** Scheduled snapshot rounds run by this process, by outcome. */
  readonly snapshotRounds: Counter<'outcome'>;
  readonly snapshotRoundDuration: Histogram<'outcome'>;
  /** Environments of a scheduled round a source of which failed: recorded as a failed snapshot, nothing stored. */
  readonly snapshotFailures: Counter<'env'>;
  /** Environments of a scheduled round whose snapshot the shrink guard refused. */
  readonly snapshotsSuspicious: Counter<'env'>;
  /** Scheduled report runs of this process, by what came of them. */
  readonly scheduledReports: Counter<'outcome'>;
  /** Report deliveries that failed, `permanent` when the report will not be tried again. */
  readonly reportDeliveryFailures: Counter<'permanent'>;
}

/** How a scheduled snapshot round ended: `completed` (every environment stored or unchanged), `troubled` (some failed or were refused), `error` (retried). */
export type SnapshotRoundOutcome = 'completed' | 'troubled' | 'known' | 'error' | 'invalid';

/** What came of a scheduled report run: the occurrence's status, `error` (retried) or `invalid`. */
export type ScheduledReportOutcome = 'sent' | 'failed' | 'skipped' | 'known' | 'held-back' | 'error' | 'invalid';

export interface ServerMetricsOptions {
  /** Read on every scrape for `driftwatch_job_queue_depth`. */
  readonly queue: JobQueue;
  /** Node's process metrics (CPU, memory, event loop lag); off in tests that build many apps. */
  readonly processMetrics?: boolean;
}

export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const { queue } = options;
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhookDeliveries: new Counter({
      name: 'driftwatch_webhook_deliveries_total',
      help: 'GitHub webhook deliveries received, by event and by what came of them.',
      labelNames: ['event', 'outcome'],
      registers,
    }),
    analyses: new Counter({
      name: 'driftwatch_analyses_total',
      help: 'Pull request analysis runs, by outcome.',
      labelNames: ['outcome'],
      registers,
    }),
    analysisDuration: new Histogram({
      name: 'driftwatch_analysis_duration_seconds',
      help: 'How long a pull request analysis run took, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    githubApiErrors: new Counter({
      name: 'driftwatch_github_api_errors_total',
      help: 'GitHub API requests that failed (after retries), by HTTP status or timeout / network.',
      labelNames: ['status'],
      registers,
    }),
    snapshotRounds: new Counter({
      name: 'driftwatch_snapshot_rounds_total',
      help: 'Scheduled snapshot rounds run by this process, by outcome (completed, troubled, known, error, invalid).',
      labelNames: ['outcome'],
      registers,
    }),
    snapshotRoundDuration: new Histogram({
      name: 'driftwatch_snapshot_round_duration_seconds',
      help: 'How long a scheduled snapshot round took, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers,
    }),
    snapshotFailures: new Counter({
      name: 'driftwatch_snapshot_failures_total',
      help: 'Scheduled snapshots of an environment that failed because a source could not be read; nothing was stored.',
      labelNames: ['env'],
      registers,
    }),
    snapshotsSuspicious: new Counter({
      name: 'driftwatch_snapshot_suspicious_total',
      help: 'Scheduled snapshots of an environment kept out of the history because they shrank suspiciously.',
      labelNames: ['env'],
      registers,
    }),
    scheduledReports: new Counter({
      name: 'driftwatch_scheduled_reports_total',
      help: 'Scheduled report runs of this process, by outcome (sent, failed, skipped, known, held-back, error, invalid).',
      labelNames: ['outcome'],
      registers,
    }),
    reportDeliveryFailures: new Counter({
      name: 'driftwatch_report_delivery_failures_total',
      help: 'Report deliveries that failed; permanent="true" when the report will not be tried again.',
      labelNames: ['permanent'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'driftwatch_job_queue_depth',
      help: 'Jobs waiting or running in the job queue.',
      labelNames: ['engine'],
      registers,
      async collect() {
        try {
          this.set({ engine: queue.engine }, await queue.depth());
        } catch {
          // An unreachable queue has no depth to report; /readyz says why.
          this.set({ engine: queue.engine }, Number.NaN);
        }
      },
    }),
  };
}
