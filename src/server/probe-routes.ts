import type { FastifyInstance } from 'fastify';
import { errorDetails } from '../jobs/job-logger.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Store } from '../store/store.js';
import type { ServerMetrics } from './metrics.js';
import { HealthReply, MetricsReply, ReadyReply } from './schemas.js';

export interface ProbeRouteOptions {
  readonly store: Store;
  readonly queue: JobQueue;
  readonly metrics: ServerMetrics;
  readonly isDraining: () => boolean;
}

/** A dependency that does not answer within this is as good as down, for a load balancer's probe. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * `GET /healthz`: the process is alive (a liveness probe; restart it when not).
 * `GET /readyz`: it can take work — store and queue reachable, not draining (a
 * readiness probe; send it no traffic when not). `GET /metrics`: Prometheus.
 */
export async function probeRoutes(app: FastifyInstance, options: ProbeRouteOptions): Promise<void> {
  const { store, queue, metrics, isDraining } = options;

  app.get('/healthz', { schema: { response: { 200: HealthReply } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { response: { 200: ReadyReply, 503: ReadyReply } } }, async (request, reply) => {
    const check = async (what: 'store' | 'queue', ping: () => Promise<void>) => {
      try {
        await withTimeout(ping(), PROBE_TIMEOUT_MS);
        return 'ok' as const;
      } catch (error) {
        request.log.warn({ dependency: what, ...errorDetails(error) }, 'readiness check failed');
        return 'unavailable' as const;
      }
    };
    const [storeStatus, queueStatus] = await Promise.all([
      check('store', () => store.ping()),
      check('queue', () => queue.ping()),
    ]);
    const draining = isDraining();
    const ready = !draining && storeStatus === 'ok' && queueStatus === 'ok';
    const status = draining ? 'draining' : ready ? 'ready' : 'unavailable';
    return reply.code(ready ? 200 : 503).send({ status, store: storeStatus, queue: queueStatus, engine: queue.engine });
  });

  app.get('/metrics', { schema: { response: { 200: MetricsReply } } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
