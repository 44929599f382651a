import { compareCodeUnits } from '../compare-code-units.js';
import type { Finding, FindingLocation, Report, ReportError, Reporter } from './report.js';

/**
 * The public contract (DESIGN.md, schema/report.schema.json). Every object is
 * rebuilt field by field in the contract's order, so key order is fixed and a
 * field that is not in the contract (`rules`, or anything a producer adds at
 * run time) can never reach the output.
 */
export const jsonReporter: Reporter = (report) => `${JSON.stringify(toJsonReport(report), null, 2)}\n`;

function toJsonReport(report: Report) {
  return {
    version: report.version,
    environments: report.environments.map((environment) => ({
      name: environment.name,
      keys: environment.keys,
      sources: environment.sources.map((source) => ({ source: source.source, status: source.status })),
    })),
    findings: report.findings.map(toJsonFinding),
    errors: report.errors.map(toJsonError),
    summary: { error: report.summary.error, warning: report.summary.warning, notice: report.summary.notice },
    // Optional: differences no rule judged, so that "no findings" is not read as "no drift".
    unchecked: report.unchecked
      ? { values: report.unchecked.values, missing: report.unchecked.missing, envs: [...report.unchecked.envs] }
      : undefined,
  };
}

function toJsonFinding(finding: Finding) {
  return {
    id: finding.id,
    rule: finding.rule,
    kind: finding.kind,
    severity: finding.severity,
    key: finding.key,
    envs: [...finding.envs],
    message: finding.message,
    locations: finding.locations.map(toJsonLocation),
    // Optional fields: absent rather than null. Values by environment name, sorted.
    values: finding.values ? Object.fromEntries(Object.entries(finding.values).sort(byKey)) : undefined,
    baseline: finding.baseline === true ? true : undefined,
    firstSeen: finding.firstSeen,
    ruleLocation: finding.ruleLocation
      ? { file: finding.ruleLocation.file, line: finding.ruleLocation.line }
      : undefined,
  };
}

function toJsonLocation(location: FindingLocation) {
  return { env: location.env, file: location.file, line: location.line, column: location.column };
}

function toJsonError(error: ReportError) {
  return {
    source: error.source,
    env: error.env,
    message: error.message,
    file: error.file,
    line: error.line,
    column: error.column,
  };
}

function byKey([a]: [string, string], [b]: [string, string]): number {
  return compareCodeUnits(a, b);
}
