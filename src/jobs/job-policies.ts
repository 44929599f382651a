import { JOB_NAMES, type JobName } from './jobs.js';

/** How the queue treats jobs of one name, whichever engine runs them. */
export interface JobPolicy {
  /** Retries after the first run fails; the job is given up after `retryLimit + 1` runs. */
  readonly retryLimit: number;
  /** Delay before the first retry; each further retry doubles it (with jitter). */
  readonly retryDelayMs: number;
  /** A run that takes longer has its signal aborted (`timeout`) and counts as failed. */
  readonly timeLimitMs: number;
}

/**
 * One place for every job name's retries and time limit. An analysis is a
 * handful of GitHub calls: minutes mean it is stuck, and on pg-boss a stuck
 * run holds its pull request's key until it expires. A scheduled round may
 * snapshot slow live sources.
 */
export const JOB_POLICIES: Record<JobName, JobPolicy> = {
  [JOB_NAMES.analyzePullRequest]: { retryLimit: 3, retryDelayMs: 5_000, timeLimitMs: 5 * 60_000 },
  [JOB_NAMES.snapshotEnvironments]: { retryLimit: 2, retryDelayMs: 30_000, timeLimitMs: 15 * 60_000 },
  [JOB_NAMES.sendReport]: { retryLimit: 5, retryDelayMs: 30_000, timeLimitMs: 10 * 60_000 },
};

/** Delay before retry number `retry` (1-based): doubling from `baseMs`, with up to 50% jitter so retries spread out. */
export function retryDelay(baseMs: number, retry: number, random: () => number = Math.random): number {
  const doubled = baseMs * 2 ** Math.min(16, retry - 1);
  return Math.round(doubled * (0.5 + random() * 0.5));
}

/** Per-name changes to the policies (tests make retries fast; an operator could lengthen a time limit). */
export type JobPolicyOverrides = { readonly [name in JobName]?: Partial<JobPolicy> };

export function policyFor(name: JobName, overrides: JobPolicyOverrides = {}): JobPolicy {
  return { ...JOB_POLICIES[name], ...overrides[name] };
}
