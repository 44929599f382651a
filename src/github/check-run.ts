import type { Severity } from '../report/report.js';
import type { PullRequestAnalysis } from './analyze-pull-request.js';
import { clip } from './comment-markdown.js';
import type { CheckAnnotation, CheckConclusion, CheckOutput, PlatformWriter } from './platform.js';

/** The check's name on GitHub; branch protection requires it by this name. */
export const CHECK_NAME = 'driftwatch';

/** The Checks API takes at most this many annotations per request; more are sent in further updates. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** GitHub's limits on a check run's summary and a commit status's description. */
const MAX_SUMMARY_LENGTH = 65_535;
const MAX_DESCRIPTION_LENGTH = 140;
const MAX_ANNOTATION_MESSAGE = 4_000;

/** The check run (or commit status) of one analysis, as plain data. */
export interface CheckReport {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations: readonly CheckAnnotation[];
}

/** Where a pull request's result goes: a check run (GitHub App) or a commit status (plain token). */
export type ReportTarget =
  | { readonly kind: 'check-run'; readonly id: number }
  | { readonly kind: 'status'; readonly sha: string };

/**
 * What the check says for an analysis. Annotations go on the lines the
 * comment names, in files the head has: the reads in code, the config
 * entries, the findings' locations. `summary` is the comment's text.
 */
export function checkReportOf(
  analysis: PullRequestAnalysis,
  summary: string,
  inHead: (file: string) => boolean,
): CheckReport {
  const body = clip(summary.replace(/^<!--[^\n]*-->\n+/, ''), MAX_SUMMARY_LENGTH - 1);
  if (analysis.kind === 'no-config') {
    return {
      conclusion: 'neutral',
      title: `${analysis.configFile} is new: checked once merged`,
      summary: body,
      annotations: [],
    };
  }
  if (analysis.kind === 'config-invalid') {
    return {
      conclusion: 'failure',
      title: `The base branch's ${analysis.configFile} is invalid`,
      summary: body,
      annotations: [],
    };
  }
  const annotations: CheckAnnotation[] = [];
  const add = (file: string, line: number | undefined, level: Severity, title: string, message: string) => {
    if (!inHead(file)) return;
    const at = line ?? 1;
    annotations.push({
      path: file,
      startLine: at,
      endLine: at,
      level: LEVELS[level],
      title: clip(title, 200),
      message: clip(message, MAX_ANNOTATION_MESSAGE),
    });
  };
  for (const read of analysis.missingReads) {
    for (const site of read.sites) {
      add(
        site.file,
        site.line,
        read.severity,
        `${read.key} is missing in ${read.envs.join(', ')}`,
        `The code reads ${read.key} here; ${read.envs.join(', ')} ${read.envs.length === 1 ? 'does' : 'do'} not define it.${read.hasDefault ? ' Every read has a default, which it falls back to.' : ''}`,
      );
    }
  }
  for (const finding of analysis.couples) {
    for (const location of finding.locations.slice(0, 1))
      add(location.file, location.line, finding.severity, finding.rule, finding.message);
  }
  for (const change of analysis.oneSided) {
    for (const { env, change: kind, at } of change.changes) {
      if (!at || kind === 'removed') continue;
      add(
        at.file,
        at.line,
        'warning',
        `${change.key} ${kind} in ${env} only`,
        `${change.key} is ${kind} in ${env} but not touched in ${change.untouched.join(', ')}.`,
      );
    }
  }
  for (const key of analysis.stale) {
    const read = key.lastReads[0];
    for (const { env, at } of key.heldIn) {
      if (!at) continue;
      add(
        at.file,
        at.line,
        'warning',
        `${key.key} is stale`,
        `Nothing reads ${key.key} any more${read ? ` (its last read, ${read.file}:${read.line ?? 1}, is removed by this pull request)` : ''}; remove it from ${env}.`,
      );
    }
  }
  for (const finding of analysis.introduced) {
    for (const location of finding.locations) {
      add(location.file, location.line, finding.severity, `${finding.rule}: ${finding.key}`, finding.message);
    }
  }
  return {
    conclusion: analysis.conclusion,
    title: titleOf(analysis),
    summary: body,
    ...(analysis.notices.length > 0
      ? { text: clip(analysis.notices.map((notice) => `- ${notice}`).join('\n'), MAX_SUMMARY_LENGTH - 1) }
      : {}),
    annotations: dedupe(annotations),
  };
}

const LEVELS: Record<Severity, CheckAnnotation['level']> = { error: 'failure', warning: 'warning', notice: 'notice' };

function titleOf(analysis: Extract<PullRequestAnalysis, { kind: 'analysed' }>): string {
  if (analysis.headErrors.length > 0) return "This pull request's configuration cannot be read";
  const parts = [
    analysis.missingReads.length > 0 ? `${analysis.missingReads.length} missing` : '',
    analysis.couples.length > 0 ? `${analysis.couples.length} couple rule(s) unmet` : '',
    analysis.oneSided.length > 0 ? `${analysis.oneSided.length} one-sided change(s)` : '',
    analysis.stale.length > 0 ? `${analysis.stale.length} stale` : '',
    analysis.introduced.length > 0 ? `${analysis.introduced.length} new finding(s)` : '',
    analysis.fixed.length > 0 ? `${analysis.fixed.length} fixed` : '',
  ].filter((part) => part !== '');
  const unchecked = analysis.live.some((use) => use.storedAt === undefined) ? ' (some sources not checked)' : '';
  return `${parts.length > 0 ? parts.join(', ') : 'No drift introduced'}${unchecked}`;
}

function dedupe(annotations: readonly CheckAnnotation[]): CheckAnnotation[] {
  const seen = new Set<string>();
  return annotations.filter((annotation) => {
    const key = `${annotation.path}\0${annotation.startLine}\0${annotation.title}\0${annotation.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Says "in progress" on the head: a check run of ours that an earlier attempt
 * left unfinished is reused (it has no annotations yet: they are sent only
 * with the conclusion), otherwise a new one. With a plain token, a pending
 * commit status.
 */
export async function startReport(writer: PlatformWriter, headSha: string): Promise<ReportTarget> {
  if (writer.reports === 'statuses') {
    await writer.setStatus(headSha, {
      state: 'pending',
      context: CHECK_NAME,
      description: 'Checking the configuration this pull request needs',
    });
    return { kind: 'status', sha: headSha };
  }
  const unfinished = (await writer.checkRuns(headSha, CHECK_NAME)).find((run) => run.status !== 'completed');
  const run = unfinished ?? (await writer.createCheckRun(headSha, CHECK_NAME));
  return { kind: 'check-run', id: run.id };
}

/**
 * Completes the check with its conclusion and the first 50 annotations, then
 * sends the rest 50 per update (GitHub appends them). A commit status has no
 * annotations: a neutral result is a success there, its description says why.
 */
export async function finishReport(writer: PlatformWriter, target: ReportTarget, report: CheckReport): Promise<number> {
  if (target.kind === 'status') {
    await writer.setStatus(target.sha, {
      state: report.conclusion === 'failure' ? 'failure' : 'success',
      context: CHECK_NAME,
      description: clip(report.title, MAX_DESCRIPTION_LENGTH),
    });
    return 0;
  }
  const output = (annotations: readonly CheckAnnotation[]): CheckOutput => ({
    title: report.title,
    summary: report.summary,
    ...(report.text ? { text: report.text } : {}),
    ...(annotations.length > 0 ? { annotations } : {}),
  });
  const batches: CheckAnnotation[][] = [];
  for (let start = 0; start < report.annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(report.annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  await writer.updateCheckRun(target.id, { conclusion: report.conclusion, output: output(batches[0] ?? []) });
  for (const batch of batches.slice(1)) await writer.updateCheckRun(target.id, { output: output(batch) });
  return Math.max(1, batches.length);
}

/** Marks the check failed with the reason an analysis could not be done. The reason holds no config value. */
export async function failReport(writer: PlatformWriter, target: ReportTarget, reason: string): Promise<void> {
  const title = 'driftwatch could not analyse this pull request';
  if (target.kind === 'status') {
    await writer.setStatus(target.sha, {
      state: 'error',
      context: CHECK_NAME,
      description: clip(`Could not analyse: ${reason}`, MAX_DESCRIPTION_LENGTH),
    });
    return;
  }
  await writer.updateCheckRun(target.id, {
    conclusion: 'failure',
    output: {
      title,
      summary: clip(
        `The analysis failed: ${reason}. It is retried when a retry can help; pushing again starts a new one.`,
        MAX_SUMMARY_LENGTH - 1,
      ),
    },
  });
}
