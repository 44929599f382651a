import { compareCodeUnits } from '../compare-code-units.js';
import { formatProblem } from '../errors.js';
import { plural } from '../plural.js';
import type { Finding, Report, Reporter, Severity } from './report.js';
import { SEVERITIES } from './report.js';

/** The PR bot finds its own comment again by this line; never change it. */
export const MARKDOWN_REPORT_MARKER = '<!-- driftwatch-report -->';

/**
 * For a PR comment or a CI job summary (GitHub-flavoured Markdown). Keys,
 * messages, values, files and names come from config and rule packs, so every
 * one of them is escaped: a config value cannot add markup, links or HTML.
 */
export const markdownReporter: Reporter = (report) => {
  const current = report.findings.filter((finding) => finding.baseline !== true);
  const known = report.findings.filter((finding) => finding.baseline === true);
  const blocks = [MARKDOWN_REPORT_MARKER, heading(report, current.length, known.length)];

  if (report.errors.length > 0) blocks.push(errorBlock(report));
  if (report.environments.length > 0) blocks.push(environmentsLine(report, current.length));

  for (const severity of SEVERITIES) {
    const findings = current.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    blocks.push(`### ${SECTION_TITLES[severity]} (${findings.length})`, findingTable(findings, false));
  }

  if (known.length > 0) {
    blocks.push(
      [
        '<details>',
        `<summary>${known.length} known from baseline (not counted)</summary>`,
        '',
        findingTable(known, true),
        '',
        '</details>',
      ].join('\n'),
    );
  }
  return `${blocks.join('\n\n')}\n`;
};

const SECTION_TITLES: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', notice: 'Notices' };

function heading(report: Report, currentCount: number, knownCount: number): string {
  const { summary } = report;
  const known = knownCount > 0 ? ` (${knownCount} known from baseline)` : '';
  const counts = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${plural(summary.notice, 'notice')}`;
  if (report.errors.length > 0) return `## ❌ driftwatch: the check could not be completed; so far ${counts}${known}`;
  if (currentCount === 0) return `## ✅ driftwatch: no ${knownCount > 0 ? 'new ' : ''}drift found${known}`;
  const icon = summary.error > 0 ? '❌' : summary.warning > 0 ? '⚠️' : 'ℹ️';
  return `## ${icon} driftwatch: ${counts}${known}`;
}

function errorBlock(report: Report): string {
  const lines = [
    '> [!WARNING]',
    `> **The check could not be completed** (${plural(report.errors.length, 'source error')}): findings may be missing.`,
    '>',
  ];
  for (const error of report.errors) {
    const env = error.env ? ` (${markdownText(error.env)})` : '';
    lines.push(`> - ${markdownText(formatProblem(error))}${env}`);
  }
  return lines.join('\n');
}

function environmentsLine(report: Report, currentCount: number): string {
  const parts = report.environments.map((environment) => {
    const failed = environment.sources.filter((source) => source.status === 'error').length;
    const unread = failed > 0 ? `, ${failed} could not be read` : '';
    return `**${markdownText(environment.name)}** (${plural(environment.keys, 'key')} from ${plural(environment.sources.length, 'source')}${unread})`;
  });
  const outcome = currentCount === 0 && report.errors.length === 0 ? ': no drift found.' : '.';
  return `Compared ${parts.join(', ')}${outcome}`;
}

function findingTable(findings: readonly Finding[], withSeverity: boolean): string {
  const columns = [...(withSeverity ? ['Severity'] : []), 'Rule', 'Key', 'Environments', 'Message', 'Where'];
  const rows = findings.map((finding) => {
    const cells = [
      ...(withSeverity ? [finding.severity] : []),
      markdownCode(finding.rule),
      markdownCode(finding.key),
      finding.envs.map(markdownText).join(', '),
      messageCell(finding),
      whereCell(finding),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [`| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`, ...rows].join('\n');
}

function messageCell(finding: Finding): string {
  const lines = [markdownText(finding.message)];
  // Environments by name: the same order whatever the object's insertion order.
  const values = Object.entries(finding.values ?? {}).sort(([a], [b]) => compareCodeUnits(a, b));
  for (const [env, value] of values) {
    lines.push(`${markdownText(env)}: ${value === '' ? '*(empty)*' : markdownCode(value)}`);
  }
  if (finding.firstSeen) lines.push(`first seen ${markdownText(finding.firstSeen)}`);
  return lines.join('<br>');
}

function whereCell(finding: Finding): string {
  if (finding.locations.length === 0 && finding.ruleLocation) {
    return `${markdownCode(`${finding.ruleLocation.file}:${finding.ruleLocation.line}`)} (rule)`;
  }
  if (finding.locations.length === 0) return '—';
  return finding.locations
    .map((location) => {
      const where = [location.file, location.line, location.line ? location.column : undefined]
        .filter((part) => part !== undefined)
        .join(':');
      return `${markdownCode(where)} (${markdownText(location.env)})`;
    })
    .join('<br>');
}

/**
 * Plain text inside a table cell or a line: HTML-escaped (no tags, no
 * entities of its own), inline Markdown punctuation backslash-escaped (no
 * emphasis, links, images, code, math, strikethrough or cell breaks; text
 * never starts a line, so block syntax cannot apply), line breaks as
 * `<br>` (a raw newline would end the table row), other control characters
 * made visible.
 */
export function markdownText(text: string): string {
  return visibleControls(text, true)
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n/g, '<br>');
}

/**
 * A code span, safe inside a table cell: fenced with more backticks than the
 * longest run inside (backslashes do not escape in code spans), `|` escaped
 * (GFM splits cells before it parses code spans), line breaks and control
 * characters made visible.
 */
export function markdownCode(text: string): string {
  const content = visibleControls(text, false).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space on both sides is stripped by the parser; it keeps a leading or trailing backtick, or spaces, intact.
  const pad = /^[` ]|[` ]$/.test(content) && content.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Control characters as visible escapes; newlines kept when the caller renders them. */
function visibleControls(text: string, keepNewlines: boolean): string {
  let visible = '';
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\n') visible += keepNewlines ? '\n' : '\\n';
    else if (char === '\t') visible += ' ';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) visible += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      visible += `\\u{${code.toString(16)}}`;
    } else visible += char;
  }
  return visible;
}
