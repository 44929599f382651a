import { compareCodeUnits } from '../compare-code-units.js';
import type { AgedFinding, DigestEnvironment, DigestFinding, ReportDigest } from '../report/digest.js';
import { type Finding, type Report, type ReportError, SEVERITIES, type Severity } from '../report/report.js';

/** How many of the longest-open findings the digest names. */
export const OLDEST_COUNT = 5;
/** How many of the most severe findings the digest names. */
export const TOP_COUNT = 10;

const DAY_MS = 86_400_000;

export interface DigestInput {
  /** A fresh check. */
  readonly report: Report;
  /** The check could not be completed: its findings say nothing. */
  readonly incomplete: boolean;
  /** The last delivered report: what it saw open, and when it was built. Absent before the first. */
  readonly previous?: { readonly createdAt: string; readonly openFindings: readonly DigestFinding[] };
  /** First sighting of each finding id in the history (ISO 8601 UTC). */
  readonly firstSeen: ReadonlyMap<string, string>;
  readonly now: Date;
  readonly timezone: string;
  readonly link?: string;
  /** Scheduled snapshots that failed or were refused since the last delivered report: listed with the failed sources. */
  readonly snapshotProblems?: readonly ReportError[];
}

/**
 * The digest of a check against the history: what is new and what was
 * resolved since the last delivered report (by finding id, exactly), what has
 * been open longest, the counts, the sources that failed (this check's, and
 * the scheduled snapshots' since the last report). Pure.
 */
export function buildReportDigest(input: DigestInput): ReportDigest {
  const { report, previous, now } = input;
  const snapshotProblems = input.snapshotProblems ?? [];
  const complete = !input.incomplete && report.errors.length === 0;
  const open = complete ? report.findings.filter((finding) => finding.baseline !== true) : [];
  const aged = open.map((finding) => agedFinding(finding, input.firstSeen, now));

  const before = new Set(previous?.openFindings.map((finding) => finding.id));
  const openIds = new Set(open.map((finding) => finding.id));
  // An incomplete check knows nothing about findings: nothing is new, nothing resolved.
  const fresh = complete ? aged.filter((finding) => !before.has(finding.id)) : [];
  const resolved =
    complete && previous ? previous.openFindings.filter((finding) => !openIds.has(finding.id)).map(digestFinding) : [];

  const oldest = aged
    .map((finding, index) => ({ finding, index }))
    .filter(({ finding }) => finding.firstSeen !== undefined)
    .sort(
      (a, b) =>
        compareCodeUnits(a.finding.firstSeen as string, b.finding.firstSeen as string) ||
        // Same first sighting: the report's own order (severity first) decides.
        a.index - b.index,
    )
    .slice(0, OLDEST_COUNT)
    .map(({ finding }) => finding);

  return {
    version: 1,
    at: now.toISOString(),
    timezone: input.timezone,
    complete,
    open: countBySeverity(open),
    environments: report.environments.map((environment): DigestEnvironment => {
      const concerning = open.filter((finding) => finding.envs.includes(environment.name));
      return { name: environment.name, keys: environment.keys, findings: countBySeverity(concerning) };
    }),
    ...(previous ? { since: { at: previous.createdAt } } : {}),
    new: fresh,
    resolved,
    oldest,
    top: aged.slice(0, TOP_COUNT),
    openCount: open.length,
    failedSources: [...report.errors, ...snapshotProblems],
    ...(input.link === undefined ? {} : { link: input.link }),
    quiet:
      complete &&
      previous !== undefined &&
      fresh.length === 0 &&
      resolved.length === 0 &&
      snapshotProblems.length === 0,
  };
}

/** The findings a report saw open, as the outbox keeps them for the next report's diff. */
export function openFindingsOf(report: Report): DigestFinding[] {
  return report.findings.filter((finding) => finding.baseline !== true).map(digestFinding);
}

/** Field by field, so nothing else a finding carries (its message, its values) reaches a digest. */
function digestFinding(finding: DigestFinding): DigestFinding {
  return { id: finding.id, severity: finding.severity, rule: finding.rule, key: finding.key, envs: [...finding.envs] };
}

function agedFinding(finding: Finding, firstSeen: ReadonlyMap<string, string>, now: Date): AgedFinding {
  const seen = firstSeen.get(finding.id);
  if (seen === undefined) return digestFinding(finding);
  const ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(seen)) / DAY_MS));
  return { ...digestFinding(finding), firstSeen: seen, ageDays };
}

function countBySeverity(findings: readonly DigestFinding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}
