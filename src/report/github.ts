import { compareCodeUnits } from '../compare-code-units.js';
import { plural } from '../plural.js';
import type { Finding, Report, ReportError, Reporter, Severity } from './report.js';
import { escapeData, workflowCommand } from './workflow-command.js';

/**
 * GitHub Actions workflow commands: one annotation per finding (on the
 * finding's first location; the others are named in the message), one
 * `::error` per source that could not be read, and a plain summary line.
 * Baseline findings are left out: they are known, and annotations are for
 * what is new. Every user-controlled string is escaped, so a value with a
 * newline cannot start a workflow command of its own. GitHub shows only the
 * first few annotations of each kind per step; the summary line has the totals.
 */
export const githubReporter: Reporter = (report) => {
  const lines = [...annotationsOf(report).map((annotation) => annotation.command), summaryLine(report)];
  return `${lines.join('\n')}\n`;
};

/** One annotation's workflow command, with its level: GitHub shows a limited number of each level per step. */
export interface Annotation {
  readonly level: Severity;
  readonly command: string;
}

/** The annotations of a report, in the reporter's order: sources that could not be read, then findings. */
export function annotationsOf(report: Report): Annotation[] {
  return [
    ...report.errors.map((error) => ({ level: 'error' as const, command: errorCommand(error) })),
    ...report.findings
      .filter((finding) => finding.baseline !== true)
      .map((finding) => ({ level: finding.severity, command: findingCommand(finding) })),
  ];
}

const COMMANDS = { error: 'error', warning: 'warning', notice: 'notice' } as const;

/**
 * Annotations attach to a file of the repository, by its path from the root;
 * what a URL, a command or `env` names is not one (the check pipeline marks it),
 * so such a finding is annotated on the run and says where its value came from.
 */
function findingCommand(finding: Finding): string {
  const first = finding.locations.find((location) => location.inRepository !== false);
  const others = finding.locations.filter((location) => location !== first);
  // A finding about the rule itself (its keys match nothing) is annotated on the rule in its pack.
  const at = first ?? finding.ruleLocation;
  const properties = {
    file: at?.file,
    line: at?.line,
    col: first?.line !== undefined ? first.column : undefined,
    title: `${finding.rule}: ${finding.key}`,
  };
  const lines = [`${finding.key} (${finding.envs.join(', ')}): ${finding.message}`];
  const values = Object.entries(finding.values ?? {}).sort(([a], [b]) => compareCodeUnits(a, b));
  for (const [env, value] of values) lines.push(`${env}: ${value}`);
  for (const location of others) {
    const where = [location.file, location.line, location.line ? location.column : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    lines.push(`${first === undefined ? 'in' : 'also in'} ${location.env}: ${where}`);
  }
  return workflowCommand(COMMANDS[finding.severity], properties, lines.join('\n'));
}

function errorCommand(error: ReportError): string {
  const source = error.source && error.source !== error.file ? `${error.source}: ` : '';
  const env = error.env ? ` (${error.env})` : '';
  const file = error.inRepository === false ? undefined : error.file;
  const properties = {
    file,
    line: file ? error.line : undefined,
    col: file && error.line !== undefined ? error.column : undefined,
    title: 'driftwatch could not read a source',
  };
  return workflowCommand('error', properties, `${source}${error.message}${env}`);
}

/** The plain log line after the annotations: the totals, which GitHub's capped annotation lists do not show. */
export function summaryLine(report: Report): string {
  const known = report.findings.filter((finding) => finding.baseline === true).length;
  const { summary } = report;
  const counts = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${plural(summary.notice, 'notice')}`;
  const baseline = known > 0 ? ` (${known} known from baseline)` : '';
  const names = report.environments.map((environment) => escapeData(environment.name)).join(', ');
  if (report.errors.length > 0) {
    return `driftwatch: the check could not be completed (${plural(report.errors.length, 'source error')}); found so far ${counts}${baseline}`;
  }
  const across = names ? ` across ${names}` : '';
  const current = report.findings.length - known;
  if (current === 0) return `driftwatch: no ${known > 0 ? 'new ' : ''}drift found${across}${baseline}`;
  return `driftwatch: ${counts}${baseline}${across}`;
}
