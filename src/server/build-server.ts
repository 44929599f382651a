import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { GithubSettings } from '../github/settings.js';
import { errorDetails } from '../jobs/job-logger.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Store } from '../store/store.js';
import { type AnalyzePullRequest, registerAnalysisWorker } from './analysis-worker.js';
import { createLogger, type Logger } from './logger.js';
import { createServerMetrics, type ServerMetrics } from './metrics.js';
import { probeRoutes } from './probe-routes.js';
import type { DashboardSettings } from './settings.js';
import { webhookRoute } from './webhook-route.js';

export interface BuildServerOptions {
  readonly store: Store;
  readonly queue: JobQueue;
  /** The PR bot's settings: the webhook route exists only when they are given. */
  readonly github?: GithubSettings;
  /** Works the `analyze-pull-request` jobs the webhook queues; without it they wait for a replica that has one. */
  readonly analyzePullRequest?: AnalyzePullRequest;
  /** Silent when not given (tests that do not look at logs). */
  readonly logger?: Logger;
  /** Created for this app when not given; pass one to share it with the analysis. */
  readonly metrics?: ServerMetrics;
  /** Analyses this process runs at a time. */
  readonly jobConcurrency?: number;
  /** The dashboard's pages (`/`, `/keys/:key`, `/findings`): they exist only when given. */
  readonly dashboard?: DashboardSettings;
  /** The clock the dashboard judges ages and sessions by (tests fix it). */
  readonly now?: () => Date;
  /** Deliveries are remembered this long (GitHub lets a delivery be redelivered for 3 days). */
  readonly deliveryRetentionDays?: number;
}

/** What the process around the app controls: draining before shutdown. */
export interface ServiceControl {
  /** From now on webhooks are answered 503 and /readyz says `draining`. */
  startDraining(): void;
  readonly draining: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly service: ServiceControl;
  }
}

const HOUR_MS = 3_600_000;

/**
 * The service as a fastify app, configured and not listening: tests drive it
 * with `app.inject()`, `startService` listens. The store and the queue belong
 * to the caller, who closes them after the app.
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const { store, queue } = options;
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const metrics = options.metrics ?? createServerMetrics({ queue });
  let draining = false;
  const isDraining = () => draining;

  // The app is typed with fastify's logger interface, which pino's logger implements.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    // One line per delivery is logged by the webhook route; a line per probe and scrape would drown it.
    logController: new LogController({ disableRequestLogging: true }),
    // Connections idle longer than the load balancer's keep-alive would be cut under it.
    keepAliveTimeout: 65_000,
  });

  const control: ServiceControl = {
    startDraining() {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
  app.decorate('service', control);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      // The client learns that it failed, never why: the reason may name internals.
      request.log.error(errorDetails(error), 'request failed');
      return reply.code(status).send({ message: 'internal error' });
    }
    return reply.code(status).send({ message: error.message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ message: 'not found' }));

  app.register(probeRoutes, { store, queue, metrics, isDraining });
  if (options.github !== undefined) {
    app.register(webhookRoute, { github: options.github, store, queue, metrics, isDraining });
  }
  const { dashboard, now } = options;
  if (dashboard !== undefined) {
    // Its plugins (security headers, views, cookies, rate limits) load only when it is on.
    app.register(async (scope) => {
      const { dashboardRoutes } = await import('./dashboard/dashboard-routes.js');
      await dashboardRoutes(scope, { store, settings: dashboard, ...(now === undefined ? {} : { now }) });
    });
  }

  const analyze = options.analyzePullRequest;
  if (analyze !== undefined) {
    app.addHook('onReady', () =>
      registerAnalysisWorker({ queue, store, analyze, metrics, logger, concurrency: options.jobConcurrency ?? 4 }),
    );
  }

  const retentionMs = (options.deliveryRetentionDays ?? 30) * 24 * HOUR_MS;
  let pruneTimer: NodeJS.Timeout | undefined;
  const prune = () =>
    store.pruneWebhookDeliveries(new Date(Date.now() - retentionMs)).then(
      (deleted) => {
        if (deleted > 0) logger.info({ deleted }, 'pruned old webhook deliveries');
      },
      (error: unknown) => logger.warn(errorDetails(error), 'could not prune old webhook deliveries'),
    );
  if (options.github !== undefined) {
    app.addHook('onReady', async () => {
      await prune();
      pruneTimer = setInterval(prune, HOUR_MS);
      pruneTimer.unref();
    });
    app.addHook('onClose', async () => clearInterval(pruneTimer));
  }
  return app;
}
