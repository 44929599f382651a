import { verify } from '@octokit/webhooks-methods';
import * as z from 'zod';
import { AnalyzePullRequestJob } from '../jobs/jobs.js';

/**
 * The largest delivery accepted, in bytes. GitHub caps webhook payloads at
 * 25 MB and drops bigger ones itself; a body over this limit is not GitHub's.
 */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

/** Headers every GitHub delivery carries; a request without one of them is not a delivery. */
export const REQUIRED_DELIVERY_HEADERS = ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'] as const;

/** `x-github-delivery` is a GUID; anything longer or stranger is refused before it reaches the store. */
export const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

/** `x-github-event`: lower-case words joined by underscores (`pull_request`, `installation_repositories`). */
export const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;

/** The pull request actions that change what the pull request asks of config: each gets an analysis. */
export const ANALYZED_ACTIONS: readonly string[] = ['opened', 'synchronize', 'reopened', 'ready_for_review'];

/** Events acknowledged without work: the App's installation changing, and the hook's own test delivery. */
export const ACKNOWLEDGED_EVENTS: readonly string[] = ['ping', 'installation', 'installation_repositories'];

/**
 * Whether `signature` (`sha256=…`) is the HMAC of `body` under any of the
 * configured secrets, compared in constant time. Every secret is tried, so the
 * time taken does not tell which one matched.
 */
export async function verifyDeliverySignature(
  secrets: readonly string[],
  body: string,
  signature: string,
): Promise<boolean> {
  if (body === '' || !signature.startsWith('sha256=')) return false;
  const results = await Promise.all(secrets.map((secret) => verify(secret, body, signature)));
  return results.includes(true);
}

/** What to do with a verified delivery. */
export type DeliveryPlan =
  | {
      readonly kind: 'analyze';
      readonly action: string;
      readonly job: AnalyzePullRequestJob;
      /** The pull request's `updated_at` in ms: which of two deliveries describes the later state. */
      readonly order: number | undefined;
    }
  | { readonly kind: 'acknowledge'; readonly action: string | undefined }
  | { readonly kind: 'ignore'; readonly action: string | undefined };

/** A verified delivery whose body is not JSON, or not the shape its event has. */
export class InvalidDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDeliveryError';
  }
}

/** The fields of a `pull_request` event an analysis needs; the rest of the payload is left alone. */
const PullRequestEvent = z.object({
  action: z.string(),
  installation: z.object({ id: z.number() }).optional(),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) }),
  pull_request: z.object({
    number: z.number(),
    draft: z.boolean().optional(),
    updated_at: z.string().optional(),
    head: z.object({ sha: z.string() }),
    base: z.object({ sha: z.string(), ref: z.string() }),
  }),
});

/**
 * Parses a delivery whose signature was verified and decides what it asks
 * for. Throws `InvalidDeliveryError` when the body is not JSON or a pull
 * request event lacks what an analysis needs.
 */
export function planDelivery(event: string, deliveryId: string, body: string): DeliveryPlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidDeliveryError('the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidDeliveryError('the body is not a JSON object');
  }
  const action = 'action' in parsed && typeof parsed.action === 'string' ? parsed.action : undefined;
  if (ACKNOWLEDGED_EVENTS.includes(event)) return { kind: 'acknowledge', action };
  if (event !== 'pull_request' || action === undefined || !ANALYZED_ACTIONS.includes(action)) {
    return { kind: 'ignore', action };
  }

  const pullRequestEvent = PullRequestEvent.safeParse(parsed);
  if (!pullRequestEvent.success) {
    throw new InvalidDeliveryError(`not a pull_request event: ${describeIssue(pullRequestEvent.error)}`);
  }
  const { installation, repository, pull_request: pullRequest } = pullRequestEvent.data;
  const job = AnalyzePullRequestJob.safeParse({
    deliveryId,
    ...(installation === undefined ? {} : { installationId: installation.id }),
    owner: repository.owner.login,
    repo: repository.name,
    number: pullRequest.number,
    headSha: pullRequest.head.sha,
    baseSha: pullRequest.base.sha,
    baseRef: pullRequest.base.ref,
    draft: pullRequest.draft ?? false,
  });
  if (!job.success) throw new InvalidDeliveryError(`not a pull_request event: ${describeIssue(job.error)}`);
  const updatedAt = pullRequest.updated_at === undefined ? Number.NaN : Date.parse(pullRequest.updated_at);
  return { kind: 'analyze', action, job: job.data, order: Number.isNaN(updatedAt) ? undefined : updatedAt };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'unexpected shape';
  const where = issue.path.join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
