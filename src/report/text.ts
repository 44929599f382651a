import { compareCodeUnits } from '../compare-code-units.js';
import { formatProblem } from '../errors.js';
import { plural } from '../plural.js';
import type { Finding, Report, Reporter, Severity } from './report.js';
import { SEVERITIES } from './report.js';
import { terminalSafe } from './terminal-safe.js';
import { terminalValue } from './terminal-value.js';

/**
 * For a person at a terminal: source errors first and loud, then one line per
 * environment, findings grouped by severity (errors first), baseline findings
 * dimmed at the end, and one closing summary line. Colour only when asked for.
 */
export const textReporter: Reporter = (report, options) => {
  const style = stylist(options.color);
  const blocks: string[] = [];

  if (report.errors.length > 0) {
    blocks.push(
      report.errors.map((error) => style(`error: ${terminalSafe(formatProblem(error))}`, 'red', 'bold')).join('\n'),
    );
  }

  if (report.environments.length > 0) {
    blocks.push(report.environments.map(environmentLine).join('\n'));
  }

  const envOrder = report.environments.map((environment) => environment.name);
  const current = report.findings.filter((finding) => finding.baseline !== true);
  for (const severity of SEVERITIES) {
    const findings = current.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    const heading = style(`${SECTION_TITLES[severity]} (${findings.length})`, 'bold');
    blocks.push(
      `${heading}\n${findings.map((finding) => renderFinding(finding, envOrder, style, false)).join('\n\n')}`,
    );
  }

  const known = report.findings.filter((finding) => finding.baseline === true);
  if (known.length > 0) {
    const heading = style(`Known from baseline (${known.length}), not counted`, 'dim', 'bold');
    blocks.push(`${heading}\n${known.map((finding) => renderFinding(finding, envOrder, style, true)).join('\n\n')}`);
  }

  if (report.unchecked && report.errors.length === 0 && current.length > 0) {
    blocks.push(`Not checked: ${uncheckedText(report.unchecked)}.`);
  }
  blocks.push(style(summaryLine(report, current.length, known.length), 'bold'));
  return `${blocks.join('\n\n')}\n`;
};

const SECTION_TITLES: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', notice: 'Notices' };
const SEVERITY_COLOURS: Record<Severity, StyleName> = { error: 'red', warning: 'yellow', notice: 'cyan' };

function environmentLine(environment: Report['environments'][number]): string {
  const failed = environment.sources.filter((source) => source.status === 'error').length;
  const line = `${terminalSafe(environment.name)}: ${plural(environment.keys, 'key')} from ${plural(environment.sources.length, 'source')}`;
  return failed > 0 ? `${line} (${failed} could not be read)` : line;
}

function renderFinding(finding: Finding, envOrder: readonly string[], style: Stylist, known: boolean): string {
  // Baseline findings are dimmed line by line, so every line stays dim on its own.
  const line = (text: string, ...styles: StyleName[]) => (known ? style(text, 'dim') : style(text, ...styles));
  const badge = finding.severity.toUpperCase();
  const header = [
    known ? `known (baseline) ${badge}` : style(badge, SEVERITY_COLOURS[finding.severity], 'bold'),
    terminalSafe(finding.rule),
    known ? terminalSafe(finding.key) : style(terminalSafe(finding.key), 'bold'),
    `[${finding.envs.map(terminalSafe).join(', ')}]`,
    ...(finding.firstSeen ? [`first seen ${terminalSafe(finding.firstSeen)}`] : []),
  ].join('  ');

  const lines = [line(`  ${header}`)];
  for (const messageLine of finding.message.split(/\r\n|\r|\n/)) {
    lines.push(line(`    ${terminalSafe(messageLine)}`));
  }

  const envWidth = Math.max(0, ...finding.locations.map((location) => terminalSafe(location.env).length));
  for (const location of finding.locations) {
    const where = [location.file, location.line, location.line ? location.column : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    lines.push(line(`    ${terminalSafe(location.env).padEnd(envWidth)}  ${terminalSafe(where)}`, 'gray'));
  }

  const values = orderedValues(finding.values, envOrder);
  if (values.length > 0) {
    lines.push(line('    values:', 'gray'));
    const width = Math.max(...values.map(([env]) => terminalSafe(env).length));
    for (const [env, value] of values) {
      lines.push(line(`      ${terminalSafe(env).padEnd(width)}  ${terminalValue(value)}`));
    }
  }
  return lines.join('\n');
}

/** Environments in the report's order, then any others by name: deterministic whatever the object's insertion order. */
function orderedValues(
  values: Readonly<Record<string, string>> | undefined,
  envOrder: readonly string[],
): [string, string][] {
  if (!values) return [];
  const rank = (env: string) => {
    const index = envOrder.indexOf(env);
    return index === -1 ? envOrder.length : index;
  };
  return Object.entries(values).sort(([a], [b]) => rank(a) - rank(b) || compareCodeUnits(a, b));
}

function summaryLine(report: Report, currentCount: number, knownCount: number): string {
  const { summary } = report;
  const counts = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${plural(summary.notice, 'notice')}`;
  const known = knownCount > 0 ? ` (${knownCount} known from baseline)` : '';
  if (report.errors.length > 0) {
    return `Check could not be completed (${plural(report.errors.length, 'source error')}). Found so far: ${counts}${known}`;
  }
  if (currentCount > 0) return `${counts}${known}`;
  const names = report.environments.map((environment) => terminalSafe(environment.name)).join(', ');
  const across = names ? ` across ${names}` : '';
  // "No drift found" only when no difference went unjudged: otherwise say what the rules did not look at.
  if (report.unchecked) return `No rule failed${across}${known}; ${uncheckedText(report.unchecked)}.`;
  return knownCount > 0 ? `No new drift found${across}${known}.` : `No drift found${across}.`;
}

/** `9 values differ between staging and production without a rule (driftwatch diff staging production)` */
function uncheckedText(unchecked: NonNullable<Report['unchecked']>): string {
  const envs = unchecked.envs.map(terminalSafe);
  const between =
    envs.length === 2 ? `${envs[0]} and ${envs[1]}` : `${envs.slice(0, -1).join(', ')} and ${envs.at(-1)}`;
  const parts = [
    ...(unchecked.values > 0
      ? [`${plural(unchecked.values, 'value')} ${unchecked.values === 1 ? 'differs' : 'differ'}`]
      : []),
    ...(unchecked.missing > 0
      ? [`${plural(unchecked.missing, 'key')} ${unchecked.missing === 1 ? 'is' : 'are'} missing from some`]
      : []),
  ];
  const command = envs.length === 2 ? `driftwatch diff ${envs[0]} ${envs[1]}` : 'driftwatch diff ENV_A ENV_B';
  return `${parts.join(' and ')} between ${between} without a rule (${command})`;
}

type StyleName = 'bold' | 'dim' | 'red' | 'yellow' | 'cyan' | 'gray';
type Stylist = (text: string, ...styles: StyleName[]) => string;

// Raw SGR codes rather than util.styleText: its behaviour depends on the Node version and on the
// process's streams, and a reporter must give the same string for the same input everywhere.
const SGR: Record<StyleName, readonly [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  gray: [90, 39],
};

function stylist(color: boolean): Stylist {
  if (!color) return (text) => text;
  return (text, ...styles) =>
    styles.reduce((styled, name) => `\u001b[${SGR[name][0]}m${styled}\u001b[${SGR[name][1]}m`, text);
}
