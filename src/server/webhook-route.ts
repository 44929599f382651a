import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GithubSettings } from '../github/settings.js';
import {
  DELIVERY_ID,
  EVENT_NAME,
  InvalidDeliveryError,
  planDelivery,
  REQUIRED_DELIVERY_HEADERS,
  verifyDeliverySignature,
  WEBHOOK_BODY_LIMIT,
} from '../github/webhook.js';
import { errorDetails } from '../jobs/job-logger.js';
import { type JobQueue, QueueStoppedError } from '../jobs/job-queue.js';
import { JOB_NAMES, pullRequestKey } from '../jobs/jobs.js';
import type { Store } from '../store/store.js';
import type { DeliveryOutcome, ServerMetrics } from './metrics.js';
import { ErrorReply } from './schemas.js';

export interface WebhookRouteOptions {
  readonly github: GithubSettings;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly metrics: ServerMetrics;
  readonly isDraining: () => boolean;
}

const DeliveryReply = {
  type: 'object',
  required: ['outcome'],
  properties: {
    outcome: { type: 'string' },
    delivery: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const DeliveryHeaders = {
  type: 'object',
  required: [...REQUIRED_DELIVERY_HEADERS],
  properties: {
    'x-github-event': { type: 'string', pattern: EVENT_NAME.source },
    'x-github-delivery': { type: 'string', pattern: DELIVERY_ID.source },
    'x-hub-signature-256': { type: 'string' },
    'content-type': { type: 'string' },
  },
} as const;

interface Verdict {
  outcome: DeliveryOutcome;
  /** Set once the signature is verified: before that, the event header is anybody's word. */
  event?: string;
  action?: string;
}

/**
 * `POST /webhooks/github`. Everything that can be refused without the body is
 * refused before it is read (draining 503, missing headers 400, content type
 * 415); the body limit is enforced while reading (413); the raw body is
 * verified against the signature (401) before it is parsed (400). Only then is
 * the delivery recorded — a redelivery of a known id is answered 200 and
 * nothing more — and its job queued (202). Analysis happens in the job.
 */
export async function webhookRoute(app: FastifyInstance, options: WebhookRouteOptions): Promise<void> {
  const { github, store, queue, metrics, isDraining } = options;
  const verdicts = new WeakMap<FastifyRequest, Verdict>();
  const answer = (request: FastifyRequest, reply: FastifyReply, status: number, verdict: Verdict, body: object) => {
    verdicts.set(request, verdict);
    return reply.code(status).send(body);
  };

  // The raw text, unparsed: it is verified first. Any other content type is refused.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/webhooks/github',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        headers: DeliveryHeaders,
        response: { 200: DeliveryReply, 202: DeliveryReply, '4xx': ErrorReply, '5xx': ErrorReply },
      },
      async onRequest(request, reply) {
        if (isDraining()) {
          reply.header('retry-after', '30');
          return answer(request, reply, 503, { outcome: 'unavailable' }, { message: 'shutting down; deliver again' });
        }
        for (const name of REQUIRED_DELIVERY_HEADERS) {
          if (typeof request.headers[name] !== 'string' || request.headers[name] === '') {
            return answer(request, reply, 400, { outcome: 'bad_request' }, { message: `missing header ${name}` });
          }
        }
        if (!DELIVERY_ID.test(header(request, 'x-github-delivery'))) {
          return answer(request, reply, 400, { outcome: 'bad_request' }, { message: 'malformed x-github-delivery' });
        }
        if (!EVENT_NAME.test(header(request, 'x-github-event'))) {
          return answer(request, reply, 400, { outcome: 'bad_request' }, { message: 'malformed x-github-event' });
        }
        const mediaType = header(request, 'content-type').split(';')[0]?.trim().toLowerCase();
        if (mediaType !== 'application/json') {
          return answer(
            request,
            reply,
            415,
            { outcome: 'unsupported_media_type' },
            { message: 'content type must be application/json: set it in the webhook settings' },
          );
        }
        return undefined;
      },
      async onResponse(request, reply) {
        const verdict = verdicts.get(request) ?? { outcome: outcomeOfStatus(reply.statusCode) };
        metrics.webhookDeliveries.inc({ event: verdict.event ?? 'unverified', outcome: verdict.outcome });
        const delivery = header(request, 'x-github-delivery');
        const entry = {
          ...(DELIVERY_ID.test(delivery) ? { delivery } : {}),
          event: verdict.event ?? 'unverified',
          ...(verdict.action === undefined ? {} : { action: verdict.action }),
          outcome: verdict.outcome,
          statusCode: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        };
        if (reply.statusCode >= 500) request.log.error(entry, 'webhook delivery failed');
        else if (reply.statusCode >= 400)
          request.log.warn({ ...entry, headers: request.headers }, 'webhook delivery refused');
        else request.log.info(entry, 'webhook delivery');
      },
    },
    async (request, reply) => {
      const event = header(request, 'x-github-event');
      const deliveryId = header(request, 'x-github-delivery');
      const body = typeof request.body === 'string' ? request.body : '';
      if (!(await verifyDeliverySignature(github.webhookSecrets, body, header(request, 'x-hub-signature-256')))) {
        return answer(request, reply, 401, { outcome: 'unauthorized' }, { message: 'signature does not match' });
      }

      let plan: ReturnType<typeof planDelivery>;
      try {
        plan = planDelivery(event, deliveryId, body);
      } catch (error) {
        if (!(error instanceof InvalidDeliveryError)) throw error;
        return answer(request, reply, 400, { outcome: 'invalid', event }, { message: error.message });
      }
      const { action } = plan;

      let isNew: boolean;
      try {
        isNew = await store.recordWebhookDelivery({
          id: deliveryId,
          event,
          ...(action === undefined ? {} : { action }),
          receivedAt: new Date().toISOString(),
        });
      } catch (error) {
        request.log.error(errorDetails(error), 'could not record a webhook delivery');
        return answer(request, reply, 503, { outcome: 'unavailable', event }, { message: 'storage unavailable' });
      }
      const verdict = (outcome: DeliveryOutcome): Verdict => ({ outcome, event, ...(action ? { action } : {}) });
      if (!isNew)
        return answer(request, reply, 200, verdict('duplicate'), { outcome: 'duplicate', delivery: deliveryId });
      if (plan.kind === 'acknowledge') {
        return answer(request, reply, 200, verdict('acknowledged'), { outcome: 'acknowledged', delivery: deliveryId });
      }
      if (plan.kind === 'ignore') {
        return answer(request, reply, 200, verdict('ignored'), { outcome: 'ignored', delivery: deliveryId });
      }

      try {
        const sent = await queue.send(JOB_NAMES.analyzePullRequest, plan.job, {
          singletonKey: pullRequestKey(plan.job),
          ...(plan.order === undefined ? {} : { order: plan.order }),
        });
        const outcome = sent.status === 'stale' ? 'stale' : 'queued';
        return answer(request, reply, 202, verdict(outcome), { outcome, delivery: deliveryId });
      } catch (error) {
        // Not queued: forget the delivery, so that GitHub's redelivery is processed rather than taken for a duplicate.
        await store.forgetWebhookDelivery(deliveryId).catch(() => undefined);
        if (error instanceof QueueStoppedError) {
          reply.header('retry-after', '30');
          return answer(request, reply, 503, verdict('unavailable'), { message: 'shutting down; deliver again' });
        }
        request.log.error(errorDetails(error), 'could not queue an analysis');
        return answer(request, reply, 503, verdict('unavailable'), { message: 'job queue unavailable' });
      }
    },
  );
}

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return typeof value === 'string' ? value : '';
}

/** Refusals fastify itself answers (the body limit, a content type parser's error) have no verdict of ours. */
function outcomeOfStatus(status: number): DeliveryOutcome {
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 401) return 'unauthorized';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'error';
  return 'bad_request';
}
