import path from 'node:path';
import { DriftwatchError, formatProblem } from '../errors.js';
import { type AnalyzePullRequestJob, pullRequestKey } from '../jobs/jobs.js';
import type { Store } from '../store/store.js';
import { StoreError } from '../store/store-error.js';
import { analyzePullRequest } from './analyze-pull-request.js';
import { checkReportOf, failReport, finishReport, type ReportTarget, startReport } from './check-run.js';
import { createGithubClient, type GithubClient, type GithubRetryOptions } from './client.js';
import { COMMENT_MARKER, renderComment, resolvedComment } from './comment.js';
import { type BlobCache, openCommitTree } from './commit-tree.js';
import { githubReader, githubWriter, type PullRequestRef } from './github-platform.js';
import type { AnalysisOutcome, Logger, PullRequestMetrics } from './observability.js';
import type { PlatformWriter } from './platform.js';
import { ScanCache } from './scan-commit.js';
import type { GithubSettings } from './settings.js';
import { upsertStickyComment, type WantedComment } from './sticky-comment.js';

export interface PullRequestAnalyzerOptions {
  readonly settings: GithubSettings;
  /** Where the latest snapshots of live sources (url, command, env, git) are stored; without it they are not checked. */
  readonly store?: Store;
  /** Must be the key the stored snapshots were fingerprinted with, so that secrets compare across them. */
  readonly fingerprintKey: Buffer;
  readonly logger: Logger;
  readonly metrics?: PullRequestMetrics;
  /** driftwatch.yaml's path in every repository (a monorepo's `services/api/driftwatch.yaml`). Default `driftwatch.yaml`. */
  readonly configFile?: string;
  /** Above this many code files in a commit, only the changed ones are scanned (stale keys are not checked then). Default 2,000. */
  readonly maxScanFiles?: number;
  /** Retries, waits and timeouts of the GitHub client; tests shrink them. */
  readonly github?: GithubRetryOptions;
  /** The clock allowances are judged against. */
  readonly now?: () => Date;
}

/** What the job queue tells one run of an analysis. */
export interface AnalysisRun {
  /**
   * Aborted with reason `superseded` once a newer head of the pull request is
   * queued: the run then starts no check run and writes no comment (a check run
   * it already started is still finished: it belongs to this head).
   */
  readonly signal?: AbortSignal;
}

export const DEFAULT_MAX_SCAN_FILES = 2000;
/** Clients (and their installation tokens) kept per installation. */
const MAX_CLIENTS = 500;

/**
 * The PR bot's job handler: analyses one pull request head and reports it
 * on GitHub (check run or commit status; the sticky comment). Idempotent: a
 * retried or repeated job finds its comment and its unfinished check run
 * again and edits them. A job whose head is no longer the pull request's, or
 * that the queue superseded, does nothing: the newer job reports. A failure
 * is marked on the check, logged and counted, and thrown again only when a
 * retry can help (GitHub or the store unavailable), not for a bug or a
 * refusal that would fail the same way.
 */
export function createPullRequestAnalyzer(
  options: PullRequestAnalyzerOptions,
): (job: AnalyzePullRequestJob, run?: AnalysisRun) => Promise<void> {
  const { settings, logger, metrics } = options;
  const configFile = options.configFile ?? 'driftwatch.yaml';
  const root = path.posix.dirname(configFile) === '.' ? '' : path.posix.dirname(configFile);
  const clients = new Map<string, { client: GithubClient; login?: Promise<string> }>();
  const scanCache = new ScanCache();

  const clientFor = (installationId: number | undefined) => {
    const key = settings.auth.kind === 'app' ? `installation-${installationId ?? 'none'}` : 'token';
    let held = clients.get(key);
    if (!held) {
      held = {
        client: createGithubClient({
          settings,
          ...(installationId === undefined ? {} : { installationId }),
          logger,
          ...(metrics ? { onApiError: (error) => metrics.githubApiError(error) } : {}),
          ...options.github,
        }),
      };
      clients.set(key, held);
      for (const oldest of clients.keys()) {
        if (clients.size <= MAX_CLIENTS) break;
        clients.delete(oldest);
      }
    }
    const entry = held;
    const login = () => {
      entry.login ??= loginOf(entry.client, settings).catch((error: unknown) => {
        entry.login = undefined;
        throw error;
      });
      return entry.login;
    };
    return { client: entry.client, login };
  };

  return async function analyzeJob(job: AnalyzePullRequestJob, run: AnalysisRun = {}): Promise<void> {
    const started = performance.now();
    // GitHub's API can still show the old head for a moment after a push: the queue knows sooner.
    const supersededInQueue = () => run.signal?.aborted === true && run.signal.reason === 'superseded';
    const fields = { delivery: job.deliveryId, pullRequest: pullRequestKey(job), headSha: job.headSha };
    let outcome: AnalysisOutcome = 'failed';
    let writer: PlatformWriter | undefined;
    let target: ReportTarget | undefined;
    let usesDriftwatch = false;
    try {
      const { client, login } = clientFor(job.installationId);
      const pull: PullRequestRef = { owner: job.owner, repo: job.repo, number: job.number };
      const reader = githubReader(client, pull);
      writer = githubWriter(client, pull, {
        reports: settings.auth.kind === 'app' ? 'check-runs' : 'statuses',
        login,
        ...(settings.auth.kind === 'app' ? { appId: settings.auth.appId } : {}),
      });

      const pullRequest = await reader.pullRequest();
      if (pullRequest.state !== 'open') {
        outcome = 'closed';
        logger.info(fields, 'pull request is closed: not analysed');
        return;
      }
      if (pullRequest.headSha !== job.headSha) {
        outcome = 'superseded';
        logger.info(
          { ...fields, currentHead: pullRequest.headSha },
          'pull request has a newer head: left to its own job',
        );
        return;
      }

      // Unchanged files have the same blobs in both commits: fetched once.
      const blobs: BlobCache = new Map();
      const [changedFiles, base, head] = await Promise.all([
        reader.changedFiles(),
        openCommitTree(reader, job.baseSha, { root, blobs }),
        openCommitTree(reader, job.headSha, { root, blobs }),
      ]);
      const configName = path.posix.basename(configFile);
      usesDriftwatch = base.files().includes(configName) || head.files().includes(configName);
      if (!usesDriftwatch) {
        outcome = 'no-config';
        logger.info(fields, `no ${configFile} on the base or the head: nothing to do`);
        return;
      }
      if (supersededInQueue()) {
        outcome = 'superseded';
        logger.info(fields, 'a newer head was queued: nothing reported, left to its job');
        return;
      }
      target = await startReport(writer, job.headSha);

      const store = options.store;
      const analysis = await analyzePullRequest(
        {
          number: job.number,
          headSha: job.headSha,
          baseSha: job.baseSha,
          changedFiles,
          base,
          head,
          storedSnapshot: async (env) => (store ? await store.latestSnapshot(env) : undefined),
        },
        {
          configFile,
          fingerprintKey: options.fingerprintKey,
          now: options.now?.() ?? new Date(),
          maxScanFiles: options.maxScanFiles ?? DEFAULT_MAX_SCAN_FILES,
          scanCache,
        },
      );
      const rendered = renderComment(analysis);
      const headFiles = new Set(head.files().map((file) => head.repositoryPath(file)));
      const report = checkReportOf(analysis, rendered.body, (file) => headFiles.has(file));
      const requests = await finishReport(writer, target, report);

      // A push while we worked: the check run belongs to this head, the comment to the newest.
      const latest = await reader.pullRequest();
      if (latest.headSha !== job.headSha) {
        outcome = 'superseded';
        logger.info(
          { ...fields, currentHead: latest.headSha },
          'a newer head arrived during the analysis: comment left to its job',
        );
        return;
      }
      if (supersededInQueue()) {
        outcome = 'superseded';
        logger.info(fields, 'a newer head was queued during the analysis: comment left to its job');
        return;
      }
      const wanted: WantedComment =
        rendered.worthSaying || analysis.kind !== 'analysed'
          ? { kind: 'report', body: rendered.body }
          : { kind: 'resolved', body: resolvedComment(analysis) };
      const sticky = await upsertStickyComment(writer, wanted, { marker: COMMENT_MARKER, draft: latest.draft });
      outcome = 'reported';
      logger.info(
        {
          ...fields,
          kind: analysis.kind,
          conclusion: report.conclusion,
          annotations: report.annotations.length,
          checkRequests: requests,
          comment: sticky.outcome,
          duplicatesDeleted: sticky.deleted,
          draft: latest.draft,
        },
        'pull request analysed',
      );
    } catch (error) {
      outcome = 'failed';
      const reason = describeFailure(error);
      const retry = isRetryable(error);
      logger.error({ ...fields, reason, retry, ...errorFields(error) }, 'pull request analysis failed');
      if (writer && usesDriftwatch) {
        try {
          target ??= await startReport(writer, job.headSha);
          await failReport(writer, target, reason);
        } catch (markError) {
          logger.warn({ ...fields, reason: describeFailure(markError) }, 'could not mark the check as failed');
        }
      }
      if (retry) throw error;
    } finally {
      metrics?.analysisFinished(outcome, (performance.now() - started) / 1000);
    }
  };
}

/** The login comments carry: `slug[bot]` for an App, the token's user otherwise. */
async function loginOf(client: GithubClient, settings: GithubSettings): Promise<string> {
  if (settings.auth.kind === 'app') {
    const { data } = await client.rest.apps.getAuthenticated();
    if (!data?.slug) throw new Error('GitHub did not say which App this is (GET /app has no slug)');
    return `${data.slug}[bot]`;
  }
  const { data } = await client.rest.users.getAuthenticated();
  return data.login;
}

interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly method?: string; readonly url?: string };
  /** Absent when no answer came: the connection failed or timed out. */
  readonly response?: unknown;
}

function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<HttpFailure>;
  return typeof candidate.status === 'number' && typeof candidate.message === 'string'
    ? (candidate as HttpFailure)
    : undefined;
}

/**
 * Why an analysis failed, for the check run and the log: what GitHub
 * answered to which request, or which input could not be read. Never a
 * response body or a config value.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof StoreError) return `the history store failed: ${error.problems.map(formatProblem).join('; ')}`;
  if (error instanceof DriftwatchError) return error.problems.map(formatProblem).join('; ');
  const http = httpFailure(error);
  if (http) {
    const method = http.request?.method ?? 'a request';
    const route = http.request?.url ? new URL(http.request.url, 'http://github.invalid').pathname : '';
    const rateLimited = /rate limit/i.test(http.message);
    // No response: octokit reports a connection that failed or timed out as a 500 with the cause as message.
    if (http.response === undefined) {
      return `GitHub could not be reached for ${method} ${route} (${http.message.slice(0, 200)})`;
    }
    return `GitHub answered ${http.status}${rateLimited ? ' (rate limited)' : ''} to ${method} ${route}`;
  }
  const name = error instanceof Error ? error.name : typeof error;
  return `an unexpected error (${name}); the service log has the details`;
}

/** A retry can help when GitHub or the store was unavailable, not when it refused or when driftwatch has a bug. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof DriftwatchError) return false;
  if (error instanceof Error && error.name === 'StoreError')
    return (error as { reason?: string }).reason === 'unavailable';
  const http = httpFailure(error);
  if (!http) return false;
  if (http.status >= 500 || http.status === 429) return true;
  return http.status === 403 && /rate limit/i.test(http.message);
}

/** What the log keeps of an error: never the request (headers) or the response (body). */
function errorFields(error: unknown): Record<string, unknown> {
  const http = httpFailure(error);
  if (http) return { status: http.status };
  if (error instanceof DriftwatchError) return { code: error.code };
  if (error instanceof Error) return { error: error.name, stack: error.stack };
  return {};
}
