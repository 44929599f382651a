import { formatProblem } from '../errors.js';
import {
  type AgedFinding,
  type DigestFinding,
  type DigestRenderer,
  describeAge,
  digestHeadline,
  type ReportDigest,
  severityCounts,
  zonedDate,
  zonedTime,
} from './digest.js';
import { TEXT_LIST_LIMIT } from './digest-text.js';
import { markdownCode, markdownText } from './markdown.js';

/**
 * The drift report in GitHub-flavoured Markdown (a CI job summary, a wiki
 * page). Keys, names and messages escaped as in the check's markdown report.
 */
export const digestMarkdownRenderer: DigestRenderer = (digest) => {
  const headline = markdownText(digestHeadline(digest));
  const link =
    digest.link === undefined ? undefined : `[details](<${digest.link.replace(/[<>]/g, encodeURIComponent)}>)`;
  if (digest.quiet) return `**${headline}**${link === undefined ? '' : ` · ${link}`}\n`;

  const blocks = [
    `## ${headline}`,
    `Built ${zonedTime(digest.at, digest.timezone)} (${markdownText(digest.timezone)})`,
  ];
  if (digest.complete) blocks.push(summary(digest));
  if (digest.failedSources.length > 0) {
    blocks.push(
      `### Sources that could not be read (${digest.failedSources.length})`,
      list(
        digest.failedSources.map((problem) => {
          const env = problem.env === undefined ? '' : `${markdownText(problem.env)}: `;
          return `${env}${markdownText(formatProblem(problem))}`;
        }),
      ),
    );
  }
  if (digest.since !== undefined && digest.new.length > 0) {
    blocks.push(`### New since the last report (${digest.new.length})`, list(digest.new.map((f) => findingLine(f))));
  }
  if (digest.resolved.length > 0) {
    blocks.push(`### Resolved (${digest.resolved.length})`, list(digest.resolved.map((f) => findingLine(f))));
  }
  if (digest.oldest.length > 0) {
    blocks.push('### Open longest', list(digest.oldest.map((f) => agedLine(f, digest))));
  }
  if (digest.top.length > 0) {
    blocks.push(
      '### Top findings',
      list(
        digest.top.map((f) => findingLine(f)),
        digest.openCount,
      ),
    );
  }
  if (link !== undefined) blocks.push(`See the ${link}.`);
  return `${blocks.join('\n\n')}\n`;
};

function summary(digest: ReportDigest): string {
  const environments = digest.environments.map((environment) => {
    const { error, warning, notice } = environment.findings;
    return `**${markdownText(environment.name)}** ${error + warning + notice} (${environment.keys} keys)`;
  });
  return [
    `**${digest.openCount} open**: ${severityCounts(digest.open)}`,
    ...(environments.length > 0 ? [`By environment: ${environments.join(' · ')}`] : []),
    digest.since === undefined
      ? 'First report: from the next one on, it says what is new and what was resolved.'
      : `Since the last report (${zonedTime(digest.since.at, digest.timezone)}): **${digest.new.length} new**, **${digest.resolved.length} resolved**`,
  ].join('<br>\n');
}

function list(lines: readonly string[], total = lines.length): string {
  const shown = lines.slice(0, TEXT_LIST_LIMIT);
  const more = total - shown.length;
  return [...shown.map((line) => `- ${line}`), ...(more > 0 ? [`- …and ${more} more`] : [])].join('\n');
}

function findingLine(finding: DigestFinding): string {
  return `**${finding.severity}** ${markdownCode(finding.key)} in ${finding.envs.map(markdownText).join(', ')} — ${markdownCode(finding.rule)}`;
}

function agedLine(finding: AgedFinding, digest: ReportDigest): string {
  const age = finding.ageDays === undefined ? '' : `${describeAge(finding.ageDays)}: `;
  const since = finding.firstSeen === undefined ? '' : ` (since ${zonedDate(finding.firstSeen, digest.timezone)})`;
  return `${age}${findingLine(finding)}${since}`;
}
