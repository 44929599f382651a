import { setTimeout as sleep } from 'node:timers/promises';
import {
  type FetchFunction,
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';
import type { DeliveryOutcome, ReportChannel } from '../check/report-channel.js';
import { plural } from '../plural.js';
import { printable } from '../sources/command.js';
import { scrubSecrets } from '../store/database-url.js';
import { slackMessage } from './block-kit.js';
import { truncateText } from './mrkdwn.js';
import type { WebhookUrl } from './webhook-url.js';

export interface SlackDeliveryOptions {
  readonly webhook: WebhookUrl;
  /** Per request. */
  readonly timeoutMs?: number;
  /** Requests in all, the first included, for errors that may heal (5xx, 429, timeouts, connection errors). */
  readonly attempts?: number;
  /** The wait before the first retry; doubled before each next one. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** The longest `Retry-After` waited for; Slack asking for longer leaves the report to the next run. */
  readonly maxRetryAfterMs?: number;
}

export const SLACK_DELIVERY_DEFAULTS = {
  timeoutMs: 10_000,
  attempts: 5,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 60_000,
} as const;

/** How much of an error answer's body is worth keeping. */
const BODY_SNIPPET = 120;

/** The report's Slack channel: Block Kit messages posted through @slack/webhook. */
export function slackChannel(options: SlackDeliveryOptions): ReportChannel {
  return {
    name: 'slack',
    render: slackMessage,
    deliver: (payload) => deliverToSlack(payload, options),
  };
}

/** What one failed request says about the next. */
interface FailedAttempt {
  readonly permanent: boolean;
  readonly reason: string;
  readonly status?: number;
  /** Slack's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number;
}

/**
 * Posts one message, retrying what may heal: 5xx, timeouts and connection
 * errors with exponential backoff, a 429 after its Retry-After. The client
 * itself is told not to retry (it would not wait for a 429, and it drops the
 * header), so the loop is ours; the header is read from the response through
 * the fetch the client is given. Any other 4xx will not heal (404 no_service
 * is a revoked webhook) and ends at once.
 */
export async function deliverToSlack(payload: unknown, options: SlackDeliveryOptions): Promise<DeliveryOutcome> {
  const settings = { ...SLACK_DELIVERY_DEFAULTS, ...definedOnly(options) };
  const attempts = Math.max(1, settings.attempts);
  let lastResponse: { headers: { get(name: string): string | null } } | undefined;
  const recordingFetch: FetchFunction = async (url, init) => {
    lastResponse = undefined;
    const response = await fetch(url, init);
    lastResponse = response;
    return response;
  };
  const webhook = new IncomingWebhook(options.webhook.url, {
    timeout: settings.timeoutMs,
    retryConfig: { retries: 0 },
    fetch: recordingFetch,
  });

  for (let attempt = 1; ; attempt++) {
    let failure: FailedAttempt;
    try {
      await webhook.send(payload as IncomingWebhookSendArguments);
      return { ok: true, attempts: attempt };
    } catch (error) {
      failure = describeFailure(error, lastResponse?.headers, settings.timeoutMs, options.webhook.secrets);
    }
    const outcome = {
      ok: false as const,
      attempts: attempt,
      ...(failure.status === undefined ? {} : { status: failure.status }),
    };
    if (failure.permanent) return { ...outcome, permanent: true, reason: failure.reason };
    if (attempt >= attempts) {
      return {
        ...outcome,
        permanent: false,
        reason: `${failure.reason} (gave up after ${plural(attempt, 'attempt')})`,
      };
    }
    const backoff = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** (attempt - 1));
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > settings.maxRetryAfterMs) {
      const seconds = Math.ceil(failure.retryAfterMs / 1000);
      return {
        ...outcome,
        permanent: false,
        reason: `${failure.reason}: Slack asked to wait ${seconds} s, longer than driftwatch waits; left for the next run`,
      };
    }
    await sleep(failure.retryAfterMs ?? backoff);
  }
}

/** Why a request failed, in words fit for a log and the outbox: never the URL. */
function describeFailure(
  error: unknown,
  headers: { get(name: string): string | null } | undefined,
  timeoutMs: number,
  secrets: readonly string[],
): FailedAttempt {
  const scrub = (text: string) => scrubSecrets(text, secrets);
  if (error instanceof IncomingWebhookHTTPError) {
    const { statusCode: status } = error;
    const body = firstLine(typeof error.body === 'string' ? error.body : '');
    const reason = scrub(`Slack answered HTTP ${status}${body === '' ? '' : `: ${body}`}`);
    if (status === 429) {
      const retryAfterMs = retryAfter(headers?.get('retry-after') ?? null);
      return { permanent: false, reason, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    if (status >= 500 || status === 408) return { permanent: false, reason, status };
    const hint =
      status === 404 || status === 403 || status === 410
        ? '; the webhook was revoked or its channel archived: set a new one'
        : '';
    return { permanent: true, reason: `${reason}${hint}`, status };
  }
  if (error instanceof IncomingWebhookRequestError) {
    const original = error.original;
    if (original.name === 'TimeoutError' || original.name === 'AbortError') {
      return { permanent: false, reason: `no answer from Slack within ${Math.round(timeoutMs)} ms` };
    }
    // undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in the cause.
    const cause = original.cause as NodeJS.ErrnoException | undefined;
    const code = cause?.code ?? firstErrorCode(cause);
    const detail = code ?? cause?.message ?? original.message;
    return { permanent: false, reason: scrub(`cannot reach Slack: ${firstLine(detail)}`) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { permanent: false, reason: scrub(`cannot post to Slack: ${firstLine(message)}`) };
}

/** Node reports a refused dual-stack connect as an AggregateError whose errors carry the codes. */
function firstErrorCode(cause: unknown): string | undefined {
  if (!(cause instanceof AggregateError)) return undefined;
  for (const inner of cause.errors) {
    const code = (inner as NodeJS.ErrnoException).code;
    if (code !== undefined) return code;
  }
  return undefined;
}

/** `Retry-After`: seconds, or an HTTP date. */
function retryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function firstLine(text: string): string {
  const line =
    text
      .split(/\r?\n/)
      .map(printable)
      .find((candidate) => candidate !== '') ?? '';
  return truncateText(line, BODY_SNIPPET);
}

function definedOnly(options: SlackDeliveryOptions): Partial<typeof SLACK_DELIVERY_DEFAULTS> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => typeof value === 'number'));
}
