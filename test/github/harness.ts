import { createRequire } from 'node:module';
import type { AnalysisOutcome, Logger, PullRequestMetrics } from '../../src/github/observability.js';
import { createPullRequestAnalyzer, type PullRequestAnalyzerOptions } from '../../src/github/pull-request-analyzer.js';
import type { GithubSettings } from '../../src/github/settings.js';
import { AnalyzePullRequestJob } from '../../src/jobs/jobs.js';
import type { GithubStandIn, StandInFiles } from '../helpers/github-stand-in.js';

/** The fields of a `pull_request` delivery the job is built from. */
export interface PullRequestEvent {
  action: string;
  installation?: { id: number };
  repository: { name: string; owner: { login: string } };
  pull_request: {
    number: number;
    draft?: boolean;
    head: { sha: string; ref: string };
    base: { sha: string; ref: string };
  };
}

const webhookExamples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: unknown[];
}[];

/** A real webhook payload from @octokit/webhooks-examples. */
export function examplePayload(action: string, withInstallation = true): PullRequestEvent {
  const definition = webhookExamples.find((candidate) => candidate.name === 'pull_request');
  const example = (definition?.examples as PullRequestEvent[] | undefined)?.find(
    (candidate) => candidate.action === action && (candidate.installation !== undefined) === withInstallation,
  );
  if (!example) throw new Error(`no pull_request.${action} example`);
  return structuredClone(example);
}

/** The job the webhook route queues for a payload, validated by the shared schema. */
export function jobOf(
  payload: PullRequestEvent,
  overrides: Partial<AnalyzePullRequestJob> = {},
): AnalyzePullRequestJob {
  return AnalyzePullRequestJob.parse({
    deliveryId: `delivery-${Math.random().toString(16).slice(2)}`,
    ...(payload.installation ? { installationId: payload.installation.id } : {}),
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    number: payload.pull_request.number,
    headSha: payload.pull_request.head.sha,
    baseSha: payload.pull_request.base.sha,
    baseRef: payload.pull_request.base.ref,
    draft: payload.pull_request.draft === true,
    ...overrides,
  });
}

/** Every log line, as the JSON pino would write: what tests search for planted secrets. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  info(fields: Record<string, unknown>, message: string) {
    this.lines.push(JSON.stringify({ level: 'info', ...fields, msg: message }));
  }
  warn(fields: Record<string, unknown>, message: string) {
    this.lines.push(JSON.stringify({ level: 'warn', ...fields, msg: message }));
  }
  error(fields: Record<string, unknown>, message: string) {
    this.lines.push(JSON.stringify({ level: 'error', ...fields, msg: message }));
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export class RecordingMetrics implements PullRequestMetrics {
  readonly analyses: { outcome: AnalysisOutcome; seconds: number }[] = [];
  readonly apiErrors: { method: string; route: string; status: number }[] = [];
  analysisFinished(outcome: AnalysisOutcome, seconds: number) {
    this.analyses.push({ outcome, seconds });
  }
  githubApiError(labels: { method: string; route: string; status: number }) {
    this.apiErrors.push({ ...labels });
  }
  outcomes(): AnalysisOutcome[] {
    return this.analyses.map((analysis) => analysis.outcome);
  }
}

/** Retries and waits cut to milliseconds, so that fault tests stay fast; the behaviour is the same. */
export const FAST_GITHUB = {
  retries: 2,
  retryBaseMs: 1,
  rateLimitUnitMs: 1,
  writeSpacingMs: 0,
  notificationSpacingMs: 0,
  requestTimeoutMs: 2_000,
} as const;

export function appSettings(standIn: GithubStandIn): GithubSettings {
  return {
    webhookSecrets: ['webhook-secret'],
    auth: { kind: 'app', appId: standIn.app.id, privateKey: standIn.privateKey },
    apiUrl: standIn.url,
  };
}

export function tokenSettings(standIn: GithubStandIn, token: string): GithubSettings {
  return { webhookSecrets: ['webhook-secret'], auth: { kind: 'token', token }, apiUrl: standIn.url };
}

export interface Bot {
  readonly analyze: ReturnType<typeof createPullRequestAnalyzer>;
  readonly logger: RecordingLogger;
  readonly metrics: RecordingMetrics;
}

export function botFor(settings: GithubSettings, extra: Partial<PullRequestAnalyzerOptions> = {}): Bot {
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const analyze = createPullRequestAnalyzer({
    settings,
    fingerprintKey: Buffer.alloc(32, 7),
    logger,
    metrics,
    github: FAST_GITHUB,
    now: () => new Date('2026-12-01T12:00:00Z'),
    ...extra,
  });
  return { analyze, logger, metrics };
}

/** The changed-file list GitHub would give for two commits' files. */
export function changesBetween(base: StandInFiles, head: StandInFiles) {
  const files: { filename: string; status: 'added' | 'removed' | 'modified' }[] = [];
  const same = (a: StandInFiles[string] | undefined, b: StandInFiles[string] | undefined) =>
    JSON.stringify(a) === JSON.stringify(b);
  for (const path of new Set([...Object.keys(base), ...Object.keys(head)])) {
    if (!(path in base)) files.push({ filename: path, status: 'added' });
    else if (!(path in head)) files.push({ filename: path, status: 'removed' });
    else if (!same(base[path], head[path])) files.push({ filename: path, status: 'modified' });
  }
  return files.sort((a, b) => (a.filename < b.filename ? -1 : 1));
}
