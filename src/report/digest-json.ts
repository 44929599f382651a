import type { AgedFinding, DigestFinding, DigestRenderer, ReportDigest } from './digest.js';

/**
 * The digest as JSON, every list in full. Rebuilt field by field in a fixed
 * order, so key order never varies and nothing a producer adds at run time
 * reaches the output.
 */
export const digestJsonRenderer: DigestRenderer = (digest) => `${JSON.stringify(toJson(digest), null, 2)}\n`;

function toJson(digest: ReportDigest) {
  return {
    version: digest.version,
    at: digest.at,
    timezone: digest.timezone,
    complete: digest.complete,
    quiet: digest.quiet,
    since: digest.since === undefined ? undefined : { at: digest.since.at },
    open: { error: digest.open.error, warning: digest.open.warning, notice: digest.open.notice },
    openCount: digest.openCount,
    environments: digest.environments.map((environment) => ({
      name: environment.name,
      keys: environment.keys,
      findings: {
        error: environment.findings.error,
        warning: environment.findings.warning,
        notice: environment.findings.notice,
      },
    })),
    new: digest.new.map(agedJson),
    resolved: digest.resolved.map(findingJson),
    oldest: digest.oldest.map(agedJson),
    top: digest.top.map(agedJson),
    failedSources: digest.failedSources.map((problem) => ({
      source: problem.source,
      env: problem.env,
      message: problem.message,
      file: problem.file,
      line: problem.line,
      column: problem.column,
    })),
    link: digest.link,
  };
}

function findingJson(finding: DigestFinding) {
  return { id: finding.id, severity: finding.severity, rule: finding.rule, key: finding.key, envs: [...finding.envs] };
}

function agedJson(finding: AgedFinding) {
  return { ...findingJson(finding), firstSeen: finding.firstSeen, ageDays: finding.ageDays };
}
