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
import { terminalSafe } from './terminal-safe.js';

/** Lines per list on a terminal; the rest are counted ("…and 143 more"). The JSON digest has them all. */
export const TEXT_LIST_LIMIT = 50;

/** The drift report for a terminal or a CI log. On a quiet day, one line. */
export const digestTextRenderer: DigestRenderer = (digest) => {
  const headline = digestHeadline(digest);
  const link = digest.link === undefined ? '' : terminalSafe(digest.link);
  if (digest.quiet) return `${headline}${link === '' ? '' : ` · details: ${link}`}\n`;

  const blocks = [`${headline}\nBuilt ${zonedTime(digest.at, digest.timezone)} (${digest.timezone})`];
  if (digest.complete) blocks.push(summary(digest));
  if (digest.failedSources.length > 0) {
    blocks.push(
      list(
        `Sources that could not be read (${digest.failedSources.length})`,
        digest.failedSources.map((problem) => {
          const env = problem.env === undefined ? '' : `[${terminalSafe(problem.env)}] `;
          return `${env}${terminalSafe(formatProblem(problem))}`;
        }),
      ),
    );
  }
  if (digest.since !== undefined && digest.new.length > 0) {
    blocks.push(
      list(
        `New since the last report (${digest.new.length})`,
        digest.new.map((f) => findingLine(f)),
      ),
    );
  }
  if (digest.resolved.length > 0) {
    blocks.push(
      list(
        `Resolved (${digest.resolved.length})`,
        digest.resolved.map((f) => findingLine(f)),
      ),
    );
  }
  if (digest.oldest.length > 0) {
    blocks.push(
      list(
        'Open longest',
        digest.oldest.map((f) => agedLine(f, digest)),
      ),
    );
  }
  if (digest.top.length > 0) {
    blocks.push(
      list(
        'Top findings',
        digest.top.map((f) => findingLine(f)),
        digest.openCount,
      ),
    );
  }
  if (link !== '') blocks.push(`Details: ${link}`);
  return `${blocks.join('\n\n')}\n`;
};

function summary(digest: ReportDigest): string {
  const lines = [`${digest.openCount} open: ${severityCounts(digest.open)}`];
  const width = Math.max(0, ...digest.environments.map((environment) => terminalSafe(environment.name).length));
  for (const environment of digest.environments) {
    const { error, warning, notice } = environment.findings;
    lines.push(
      `  ${terminalSafe(environment.name).padEnd(width)}  ${String(error + warning + notice).padStart(4)} open  (${environment.keys} keys)`,
    );
  }
  lines.push(
    digest.since === undefined
      ? 'First report: from the next one on, it says what is new and what was resolved.'
      : `Since the last report (${zonedTime(digest.since.at, digest.timezone)}): ${digest.new.length} new, ${digest.resolved.length} resolved`,
  );
  return lines.join('\n');
}

function list(title: string, lines: readonly string[], total = lines.length): string {
  const shown = lines.slice(0, TEXT_LIST_LIMIT);
  const more = total - shown.length;
  return [title, ...shown.map((line) => `  ${line}`), ...(more > 0 ? [`  …and ${more} more`] : [])].join('\n');
}

function findingLine(finding: DigestFinding): string {
  return [
    finding.severity.toUpperCase().padEnd(7),
    terminalSafe(finding.key),
    `[${finding.envs.map(terminalSafe).join(', ')}]`,
    terminalSafe(finding.rule),
  ].join('  ');
}

function agedLine(finding: AgedFinding, digest: ReportDigest): string {
  const since = finding.firstSeen === undefined ? '' : `  since ${zonedDate(finding.firstSeen, digest.timezone)}`;
  const age = finding.ageDays === undefined ? '' : `${describeAge(finding.ageDays).padEnd(9)}  `;
  return `${age}${findingLine(finding)}${since}`;
}
