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
}

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
