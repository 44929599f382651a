import { formatProblem } from '../errors.js';
import { plural } from '../plural.js';
import {
  type AgedFinding,
  type DigestFinding,
  describeAge,
  digestHeadline,
  type ReportDigest,
  severityCounts,
  zonedDate,
  zonedTime,
} from '../report/digest.js';
import type { ReportError, Severity } from '../report/report.js';
import { slackCode, slackLink, slackText, truncateText } from './mrkdwn.js';

/** Slack's limits for a message (Block Kit reference). */
export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150 } as const;

/** What a report allows itself in all (JSON characters): well under the ~12,000 past which Slack cuts or refuses. */
export const MESSAGE_BUDGET = 10_000;

/** Each list's share of the budget, in JSON characters; each stays under a section's 3,000. */
const SECTION_BUDGET = { summary: 900, failed: 1200, new: 2200, resolved: 1200, oldest: 1000, top: 1500 } as const;

/** Beyond these a key, a name or a message is cut (at a character boundary, before escaping). */
const KEY_LENGTH = 120;
const NAME_LENGTH = 40;
const RULE_LENGTH = 60;
const PROBLEM_LENGTH = 200;
/** Environments named on one finding's line; the rest are counted. */
const ENVS_SHOWN = 3;

const SEVERITY_EMOJI: Record<Severity, string> = {
  error: ':red_circle:',
  warning: ':large_orange_circle:',
  notice: ':large_blue_circle:',
};

export type SlackBlock =
  | {
      readonly type: 'header';
      readonly text: { readonly type: 'plain_text'; readonly text: string; readonly emoji: true };
    }
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | { readonly type: 'context'; readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[] };

/** An incoming-webhook message: blocks, and the plain text notifications and old clients show. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly unfurl_links: false;
  readonly unfurl_media: false;
}

/**
 * The report as a Block Kit message. A fixed handful of blocks (well under
 * 50); each list fills its share of the budget with whole lines and says how
 * many it left out ("…and 143 more"), so no block is ever cut in half. On a
 * quiet day, one line. Pure.
 */
export function slackMessage(digest: ReportDigest): SlackMessage {
  const headline = digestHeadline(digest);
  const text = slackText(headline);
  if (digest.quiet) {
    const link = digest.link === undefined ? '' : ` · ${slackLink(digest.link, 'details')}`;
    return finish(text, [section(`${text}${link}`)]);
  }

  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncateText(headline, SLACK_LIMITS.headerText), emoji: true },
    },
    section(summaryText(digest)),
  ];
  // Lower in the list, dropped first should the whole ever exceed the budget.
  const lists: SlackBlock[] = [];
  if (digest.failedSources.length > 0) {
    lists.push(
      listSection(
        `:warning: *Sources that could not be read (${digest.failedSources.length})*`,
        digest.failedSources,
        problemLine,
        SECTION_BUDGET.failed,
      ),
    );
  }
  // In the first report every open finding is new: the top findings say it without repeating them all.
  if (digest.since !== undefined && digest.new.length > 0) {
    lists.push(
      listSection(
        `*New since the last report (${digest.new.length})*`,
        digest.new,
        (f) => findingLine(f, digest),
        SECTION_BUDGET.new,
      ),
    );
  }
  if (digest.resolved.length > 0) {
    lists.push(
      listSection(
        `*Resolved (${digest.resolved.length})*`,
        digest.resolved,
        (f) => findingLine(f, digest),
        SECTION_BUDGET.resolved,
      ),
    );
  }
  if (digest.oldest.length > 0) {
    lists.push(
      listSection(
        '*Open longest*',
        digest.oldest,
        (f) => findingLine(f, digest, 'age'),
        SECTION_BUDGET.oldest,
        digest.oldest.length,
      ),
    );
  }
  if (digest.top.length > 0) {
    lists.push(
      listSection('*Top findings*', digest.top, (f) => findingLine(f, digest), SECTION_BUDGET.top, digest.openCount),
    );
  }
  const context = contextBlock(digest);
  for (;;) {
    const message = finish(text, [...blocks, ...lists, context]);
    if (JSON.stringify(message).length <= MESSAGE_BUDGET || lists.length === 0) return message;
    lists.pop();
  }
}

function finish(text: string, blocks: SlackBlock[]): SlackMessage {
  return { text, blocks, unfurl_links: false, unfurl_media: false };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Characters `text` takes in the JSON payload: what the budgets count. */
function jsonLength(text: string): number {
  return JSON.stringify(text).length - 2;
}

/**
 * A title and as many whole lines as fit in `budget`, then how many were left
 * out of `total` (which may count items not in `items`, as with the top findings).
 */
function listSection<T>(
  title: string,
  items: readonly T[],
  line: (item: T) => string,
  budget: number,
  total = items.length,
): SlackBlock {
  const lines = [title];
  let size = jsonLength(title);
  const newline = jsonLength('\n');
  for (const [index, item] of items.entries()) {
    const text = line(item);
    const leftAfter = total - (index + 1);
    const after = size + newline + jsonLength(text) + (leftAfter > 0 ? newline + jsonLength(moreLine(leftAfter)) : 0);
    if (after > budget) break;
    lines.push(text);
    size += newline + jsonLength(text);
  }
  const shown = lines.length - 1;
  if (shown < total) lines.push(moreLine(total - shown));
  return section(lines.join('\n'));
}

function moreLine(count: number): string {
  return `_…and ${count} more_`;
}

function summaryText(digest: ReportDigest): string {
  const when = zonedTime(digest.at, digest.timezone);
  if (!digest.complete) {
    return [
      '*The check could not be completed*: until every source can be read, nothing is said about findings.',
      `Checked ${when} (${slackText(digest.timezone)}).`,
    ].join('\n');
  }
  const lines = [`*${digest.openCount} open*: ${severityCounts(digest.open)}`];
  const envs = digest.environments.map(
    (environment) =>
      `${slackText(truncateText(environment.name, NAME_LENGTH))} ${countOf(environment.findings)} (${plural(environment.keys, 'key')})`,
  );
  if (envs.length > 0) {
    // Dozens of environments must not crowd out the rest.
    let shown = envs.length;
    const envLine = (count: number) =>
      `*By environment*: ${envs.slice(0, count).join(' · ')}${count < envs.length ? ` · and ${envs.length - count} more` : ''}`;
    while (shown > 1 && jsonLength(envLine(shown)) > SECTION_BUDGET.summary / 2) shown--;
    lines.push(envLine(shown));
  }
  if (digest.since === undefined) {
    lines.push('First report: from the next one on, it says what is new and what was resolved.');
  } else {
    lines.push(
      `Since the last report (${zonedTime(digest.since.at, digest.timezone)}): *${digest.new.length} new*, *${digest.resolved.length} resolved*`,
    );
  }
  return lines.join('\n');
}

function countOf(counts: Readonly<Record<Severity, number>>): number {
  return counts.error + counts.warning + counts.notice;
}

function findingLine(finding: DigestFinding | AgedFinding, digest: ReportDigest, show?: 'age'): string {
  const envs = finding.envs.slice(0, ENVS_SHOWN).map((env) => slackText(truncateText(env, NAME_LENGTH)));
  const moreEnvs = finding.envs.length > ENVS_SHOWN ? ` +${finding.envs.length - ENVS_SHOWN}` : '';
  const age =
    show === 'age' && 'ageDays' in finding && finding.ageDays !== undefined && finding.firstSeen !== undefined
      ? `${describeAge(finding.ageDays)} (since ${zonedDate(finding.firstSeen, digest.timezone)}) · `
      : '';
  const key = slackCode(truncateText(finding.key, KEY_LENGTH));
  const rule = slackText(truncateText(finding.rule, RULE_LENGTH));
  return `• ${age}${SEVERITY_EMOJI[finding.severity]} ${key} in ${envs.join(', ')}${moreEnvs} — ${rule}`;
}

function problemLine(problem: ReportError): string {
  const env = problem.env === undefined ? '' : `[${slackText(truncateText(problem.env, NAME_LENGTH))}] `;
  return `• ${env}${slackText(truncateText(formatProblem(problem), PROBLEM_LENGTH))}`;
}

function contextBlock(digest: ReportDigest): SlackBlock {
  const elements: { type: 'mrkdwn'; text: string }[] = [
    { type: 'mrkdwn', text: `driftwatch · ${zonedTime(digest.at, digest.timezone)} (${slackText(digest.timezone)})` },
  ];
  if (digest.link !== undefined) elements.unshift({ type: 'mrkdwn', text: slackLink(digest.link, 'Details') });
  return { type: 'context', elements };
}
