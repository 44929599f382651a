import { createAppAuth } from '@octokit/auth-app';
import type { Octokit as CoreOctokit, OctokitOptions } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { Logger } from './observability.js';
import type { GithubSettings } from './settings.js';

/** One failed HTTP attempt against GitHub, retried or not: for the API-error counter. */
export interface GithubApiError {
  readonly method: string;
  /** The route template (`/repos/{owner}/{repo}/pulls/{pull_number}`): a bounded label, never an id. */
  readonly route: string;
  /** HTTP status; 500 for a connection that failed or timed out (as octokit reports it). */
  readonly status: number;
}

declare module '@octokit/core/types' {
  interface OctokitOptions {
    /** Called for every failed attempt, before the retry plugins decide whether to try again. */
    onApiError?: (error: GithubApiError) => void;
  }
}

/**
 * Sees every attempt: registered before the retry and throttling plugins, so
 * its error hook sits inside theirs.
 */
function countApiErrors(octokit: CoreOctokit, options: OctokitOptions): void {
  const report = options.onApiError;
  if (!report) return;
  octokit.hook.error('request', (error, request) => {
    const status =
      typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    report({ method: String(request.method), route: routeOf(String(request.url)), status });
    throw error;
  });
}

/**
 * A request's path as a bounded label: owner, repository, numbers and SHAs
 * replaced (`/repos/{owner}/{repo}/pulls/{id}/files`), the query dropped.
 */
export function routeOf(url: string): string {
  return new URL(url, 'http://github.invalid').pathname
    .replace(/^(.*?\/repos)\/[^/]+\/[^/]+/, '$1/{owner}/{repo}')
    .replace(/\/[0-9a-f]{40}(?=\/|$)/g, '/{sha}')
    .replace(/\/\d+(?=\/|$)/g, '/{id}');
}

const DriftwatchOctokit = Octokit.plugin(countApiErrors, retry, throttling);
export type GithubClient = InstanceType<typeof DriftwatchOctokit>;

/** How hard the client tries. The defaults suit GitHub; tests shrink the waits. */
export interface GithubRetryOptions {
  /** Retries of a 5xx or a connection that failed or timed out (plugin-retry). Default 3. */
  readonly retries?: number;
  /** The n-th retry waits (n+1)² × this. Default 1000 ms. */
  readonly retryBaseMs?: number;
  /** A rate limit's `retry-after` seconds are multiplied by this. Default 1000 ms (real seconds). */
  readonly rateLimitUnitMs?: number;
  /** Secondary rate limits (403 with `retry-after`) retried this many times. Default 2. */
  readonly secondaryRateLimitRetries?: number;
  /** A primary rate limit is waited out only when it resets within this many seconds; otherwise the job is retried later. Default 60. */
  readonly maxRateLimitWaitSeconds?: number;
  /** Writes of one installation are spaced by this much, as GitHub asks ("at least one second"). Default 1000 ms. */
  readonly writeSpacingMs?: number;
  /** Writes that notify people (comments) are spaced by this much, as octokit does by default. Default 3000 ms. */
  readonly notificationSpacingMs?: number;
  /** One HTTP attempt gives up after this long; it then counts as a failed attempt and is retried. Default 20,000 ms. */
  readonly requestTimeoutMs?: number;
}

export interface GithubClientOptions extends GithubRetryOptions {
  readonly settings: GithubSettings;
  /** With a GitHub App: the installation whose token the client uses. */
  readonly installationId?: number;
  readonly logger: Logger;
  readonly onApiError?: (error: GithubApiError) => void;
}

/**
 * An octokit for one installation (GitHub App) or for the plain token, with
 * retries of 5xx and timeouts, and waits for secondary rate limits. Its base
 * URL is the settings' API URL: GitHub, GitHub Enterprise, or a stand-in.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const { settings, logger } = options;
  const timeoutMs = options.requestTimeoutMs ?? 20_000;
  const secondaryRetries = options.secondaryRateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const id = options.installationId === undefined ? 'token' : `installation-${options.installationId}`;
  const auth =
    settings.auth.kind === 'app'
      ? {
          authStrategy: createAppAuth,
          auth: {
            appId: settings.auth.appId,
            privateKey: settings.auth.privateKey,
            ...(options.installationId === undefined ? {} : { installationId: options.installationId }),
          },
        }
      : { auth: settings.auth.token };
  return new DriftwatchOctokit({
    ...auth,
    baseUrl: settings.apiUrl.replace(/\/+$/, ''),
    userAgent: 'driftwatch',
    // octokit would otherwise write to the console; request URLs carry no token.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn({ github: message }, 'github client'),
      error: (message: string) => logger.warn({ github: message }, 'github client'),
    },
    request: { fetch: fetchWithTimeout(timeoutMs) },
    ...(options.onApiError ? { onApiError: options.onApiError } : {}),
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle: {
      id,
      retryAfterBaseValue: options.rateLimitUnitMs ?? 1000,
      // One write queue per client: GitHub's spacing applies per installation, and tests can shrink it.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.notificationSpacingMs ?? 3000 }),
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        logger.warn(
          { method: request.method, route: request.url, retryAfter, retryCount },
          'github secondary rate limit',
        );
        return retryCount < secondaryRetries;
      },
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        logger.warn({ method: request.method, route: request.url, retryAfter, retryCount }, 'github rate limit');
        return retryCount < 1 && retryAfter <= maxWait;
      },
    },
  });
}

/**
 * fetch with a deadline per attempt. A timed-out attempt rejects with a
 * TimeoutError, which octokit turns into a 500 that plugin-retry retries (an
 * AbortError would not be).
 */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}
