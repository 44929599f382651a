import type { Problem } from '../errors.js';
import { scrubProblem } from '../snapshot/scrub.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { type Finding, type Report, type ReportError, type RuleInfo, SEVERITIES, type Severity } from './report.js';
import { reportMatrix } from './report-matrix.js';

export interface BuildReportOptions {
  /**
   * Carry the key matrix (every key of every environment, for the html
   * reporter). Off unless asked for: it holds as much as the snapshots do.
   */
  readonly matrix?: boolean;
}

/**
 * Assembles the report: environments, findings, errors, the counts that
 * decide the gate, and, when asked for and every source was read, the key matrix.
 */
export function buildReport(
  snapshots: readonly Snapshot[],
  findings: readonly Finding[],
  problems: readonly (Problem & { readonly env?: string })[],
  rules: readonly RuleInfo[],
  options: BuildReportOptions = {},
): Report {
  const summary = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) if (!finding.baseline) summary[finding.severity]++;
  return {
    version: 1,
    environments: snapshots.map((snapshot) => ({
      name: snapshot.env,
      keys: snapshot.entries.size,
      sources: snapshot.sources.map((source) => ({ source: source.source, status: source.status })),
    })),
    findings,
    // Error texts quote outside text (stderr, error pages): scrubbed before any channel renders them.
    errors: problems.map((problem) => toReportError(scrubProblem(problem))),
    summary,
    rules,
    ...(options.matrix === true && problems.length === 0 ? { matrix: reportMatrix(snapshots) } : {}),
  };
}

function toReportError(problem: Problem & { readonly env?: string }): ReportError {
  return {
    ...(problem.source !== undefined ? { source: problem.source } : {}),
    ...(problem.env !== undefined ? { env: problem.env } : {}),
    message: problem.message,
    ...(problem.file !== undefined ? { file: problem.file } : {}),
    ...(problem.line !== undefined ? { line: problem.line } : {}),
    ...(problem.column !== undefined ? { column: problem.column } : {}),
  };
}

export type FailOn = Severity | 'never';

/** Whether the report fails the gate: findings at or above the threshold, baseline ones excluded. */
export function failsGate(report: Report, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITIES.indexOf(failOn);
  return SEVERITIES.some((severity, rank) => rank <= threshold && report.summary[severity] > 0);
}
