import { compareCodeUnits } from '../compare-code-units.js';
import { VERSION } from '../version.js';
import type { Finding, FindingLocation, Report, ReportError, Reporter, RuleInfo, Severity } from './report.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer): one run,
 * one rule descriptor per rule that ran, one result per finding.
 *
 * Baseline findings are results with `baselineState: 'unchanged'` rather than
 * suppressions: they are known, not dismissed, and GitHub keeps tracking them.
 */
export const sarifReporter: Reporter = (report) => `${JSON.stringify(toSarifLog(report), null, 2)}\n`;

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * GitHub rejects a result without a location, and a finding about a key that
 * is missing everywhere (or whose value came from a URL or a command) has no
 * file to point at. Such results point at the first line of the config file
 * that declared the environments and rules: `report.configFile` (its path
 * from the repository root, which the check pipeline sets), else
 * `driftwatch.yaml` at the root, where DESIGN.md puts it.
 */
export const FALLBACK_LOCATION = { file: 'driftwatch.yaml', line: 1 } as const;

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };

function toSarifLog(report: Report) {
  const rules = ruleDescriptors(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'driftwatch',
            informationUri: 'https://github.com/driftwatch/driftwatch',
            semanticVersion: VERSION,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map(toNotification),
          },
        ],
        results: report.findings.map((finding) =>
          toResult(finding, ruleIndex.get(finding.rule) ?? 0, report.configFile ?? FALLBACK_LOCATION.file),
        ),
      },
    ],
  };
}

/**
 * The rules that ran, in the report's order; a rule that has findings but is
 * missing from `report.rules` (it should not happen) still gets a descriptor,
 * so every result's `ruleIndex` points at its own rule.
 */
function ruleDescriptors(report: Report) {
  const rules: RuleInfo[] = [...report.rules];
  const known = new Set(rules.map((rule) => rule.id));
  const missing = new Map<string, RuleInfo>();
  for (const finding of report.findings) {
    if (known.has(finding.rule) || missing.has(finding.rule)) continue;
    missing.set(finding.rule, {
      id: finding.rule,
      kind: finding.kind,
      severity: finding.severity,
      description: `${finding.kind} rule ${finding.rule}`,
    });
  }
  rules.push(...[...missing.values()].sort((a, b) => compareCodeUnits(a.id, b.id)));
  return rules.map(toRuleDescriptor);
}

function toRuleDescriptor(rule: RuleInfo) {
  const description = rule.description.trim() || `${rule.kind} rule ${rule.id}`;
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: firstSentence(description) },
    fullDescription: { text: description },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: { tags: ['configuration', 'drift', rule.kind] },
  };
}

function toResult(finding: Finding, ruleIndex: number, configFile: string) {
  // The alert sits on a file of the repository: the first location that is one, else the config file.
  const primary = finding.locations.find(isRepositoryFile);
  const others = finding.locations.filter((location) => location !== primary);
  const [firstOther] = others;
  // A finding about the rule itself (its keys match nothing) points at the rule in its pack.
  const located =
    primary !== undefined
      ? toLocation(primary)
      : finding.ruleLocation !== undefined
        ? toLocation(finding.ruleLocation)
        : toLocation({ file: configFile, line: FALLBACK_LOCATION.line, env: firstOther?.env }, firstOther?.file);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: plainMessage(`${finding.key} (${finding.envs.join(', ')}): ${finding.message}`) },
    locations: [located],
    // GitHub shows one location per alert; the other environments' places stay in the log.
    relatedLocations:
      others.length > 0
        ? others.map((location, index) => ({ id: index + 1, ...toRelatedLocation(location) }))
        : undefined,
    partialFingerprints: { 'driftwatch/v1': finding.id },
    baselineState: finding.baseline === true ? 'unchanged' : 'new',
    properties: {
      key: finding.key,
      kind: finding.kind,
      envs: [...finding.envs],
      values: finding.values
        ? Object.fromEntries(Object.entries(finding.values).sort(([a], [b]) => compareCodeUnits(a, b)))
        : undefined,
      firstSeen: finding.firstSeen,
    },
  };
}

/**
 * A file SARIF viewers can open: a path in the repository. URLs, commands and
 * `env` (marked by the check pipeline) are not; a report that carries no marks
 * is taken at its word.
 */
function isRepositoryFile(location: Pick<FindingLocation, 'inRepository'>): boolean {
  return location.inRepository !== false;
}

/** A related place: a file when it is one, else a message naming what the value came from. */
function toRelatedLocation(location: FindingLocation) {
  if (isRepositoryFile(location)) return toLocation(location);
  return { message: { text: plainMessage(`${location.env}: ${location.file}`) } };
}

/** `source`: what the value came from when `location` is the config file standing in for it. */
function toLocation(location: Pick<FindingLocation, 'file' | 'line' | 'column'> & { env?: string }, source?: string) {
  const text =
    location.env === undefined ? undefined : source === undefined ? location.env : `${location.env}: ${source}`;
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(location.file),
      region: {
        startLine: location.line !== undefined && location.line >= 1 ? location.line : 1,
        startColumn:
          location.line !== undefined && location.column !== undefined && location.column >= 1
            ? location.column
            : undefined,
      },
    },
    message: text !== undefined ? { text: plainMessage(text) } : undefined,
  };
}

function toNotification(error: ReportError) {
  return {
    level: 'error',
    message: {
      text: plainMessage(
        error.source && error.source !== error.file ? `${error.source}: ${error.message}` : error.message,
      ),
    },
    locations:
      error.file && isRepositoryFile(error)
        ? [toLocation({ file: error.file, line: error.line, column: error.column })]
        : undefined,
    properties: { source: error.source, env: error.env },
  };
}

/**
 * A repository file is a relative URI against %SRCROOT%, percent-encoded per
 * segment (a space, `#`, `%` or a `:` in a name would otherwise change what the
 * URI means). A source that is already an absolute URI (an HTTP source) is kept
 * as it is, with no base.
 */
function artifactLocation(file: string) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return { uri: file };
  const relative = file.replace(/^(\.\/)+/, '');
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * SARIF plain-text messages treat `[text](n)` as a link to a related location
 * (§3.11.6); literal brackets are escaped so a key or value cannot forge one.
 */
function plainMessage(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}

function firstSentence(text: string): string {
  const firstLine = text.split('\n')[0] ?? text;
  const end = firstLine.search(/[.!?](\s|$)/);
  return end === -1 ? firstLine : firstLine.slice(0, end + 1);
}
