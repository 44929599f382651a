import * as z from 'zod';

/**
 * Every job the service runs, by name, with its payload schema. Payloads are
 * small plain data — ids, not objects — validated when a job is sent and again
 * when it is worked, so that a retried or redelivered job is the same job.
 */
export const JOB_NAMES = {
  /** Analyse one pull request head and post the sticky comment and the check run. */
  analyzePullRequest: 'analyze-pull-request',
  /** Snapshot every environment (live sources included) into the store. */
  snapshotEnvironments: 'snapshot-environments',
  /** Build the drift report and deliver it (Slack) through the outbox. */
  sendReport: 'send-report',
} as const;

export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

const Sha = z.string().regex(/^[0-9a-f]{40}$/, 'a full 40-hex commit SHA');

/** One pull request head to analyse; a newer head of the same pull request supersedes it. */
export const AnalyzePullRequestJob = z.strictObject({
  /** `x-github-delivery` of the webhook that asked for it: logs and metrics name it. */
  deliveryId: z.string().min(1),
  /** Absent when the service authenticates with a plain token instead of a GitHub App. */
  installationId: z.number().int().positive().optional(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  number: z.number().int().positive(),
  headSha: Sha,
  baseSha: Sha,
  /** The base branch: the config and rule packs are read from `baseSha`, never from the head. */
  baseRef: z.string().min(1),
  draft: z.boolean(),
});
export type AnalyzePullRequestJob = z.infer<typeof AnalyzePullRequestJob>;

/** The singleton key of a pull request's analysis: one at a time per pull request. */
export function pullRequestKey(job: Pick<AnalyzePullRequestJob, 'owner' | 'repo' | 'number'>): string {
  return `${job.owner}/${job.repo}#${job.number}`;
}

/** A scheduled round (snapshot or report): which occurrence it is, so that a retried round is recognisable. */
export const ScheduledJob = z.strictObject({
  /** ISO 8601 UTC of the occurrence the schedule fired for. */
  occurrence: z.string().min(1),
});
export type ScheduledJob = z.infer<typeof ScheduledJob>;
