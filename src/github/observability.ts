/**
 * What the PR bot needs to be observed, as small interfaces the service
 * implements (pino for logs, prom-client for metrics), so that this folder
 * depends on neither. Nothing passed to them ever holds a config value.
 */

/** The part of pino's logger the bot uses. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * How one analysis ended:
 * - `reported`: analysed; check run (or status) and comment written as needed;
 * - `superseded`: the pull request has a newer head; nothing done (the newer job reports);
 * - `no-config`: neither the base nor the head has driftwatch.yaml; nothing done;
 * - `closed`: the pull request is no longer open; nothing done;
 * - `failed`: GitHub or the store failed even after retries, or a bug; marked on the check run when possible.
 */
export type AnalysisOutcome = 'reported' | 'superseded' | 'no-config' | 'closed' | 'failed';

export interface PullRequestMetrics {
  /** One finished analysis: counted by outcome, its duration observed in seconds. */
  analysisFinished(outcome: AnalysisOutcome, seconds: number): void;
  /** One failed HTTP attempt against GitHub (retried ones included), by route template and status. */
  githubApiError(labels: { readonly method: string; readonly route: string; readonly status: number }): void;
}

/** For callers that observe nothing. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
