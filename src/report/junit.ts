import { compareCodeUnits } from '../compare-code-units.js';
import { formatProblem } from '../errors.js';
import type { Finding, Report, ReportError, Reporter, Severity } from './report.js';

/**
 * JUnit XML for CI test tabs (GitLab, Jenkins, Azure, test-reporter actions).
 *
 * - one `<testsuite>` per rule that ran, named by rule id, and one for rules
 *   that produced findings without being listed in `report.rules`;
 * - one `<testcase>` per finding: error and warning findings fail, notices
 *   pass with their text in `<system-out>` (a notice is information, and a
 *   red test tab for it would train people to ignore the tab), baseline
 *   findings are skipped ("known in baseline");
 * - a rule with no findings gets one passing testcase, so a clean run shows
 *   what was checked rather than an empty tab;
 * - source errors come first, as `<error>` testcases of a
 *   `driftwatch.sources` suite: the check could not be completed.
 */
export const junitReporter: Reporter = (report) => {
  const suites = [...(report.errors.length > 0 ? [sourcesSuite(report.errors)] : []), ...ruleSuites(report)];
  const totals = suites.reduce(
    (sum, suite) => ({
      tests: sum.tests + suite.cases.length,
      failures: sum.failures + count(suite.cases, 'failure'),
      errors: sum.errors + count(suite.cases, 'error'),
      skipped: sum.skipped + count(suite.cases, 'skipped'),
    }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'driftwatch', ...totals })}>`,
    ...suites.flatMap(renderSuite),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
};

/** The name of the suite that holds source errors. */
export const SOURCES_SUITE = 'driftwatch.sources';

type Outcome = 'pass' | 'failure' | 'error' | 'skipped';

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: Outcome;
  /** The `message` and `type` attributes of a failure, error or skipped element. */
  readonly message?: string;
  readonly type?: string;
  /** Element text of the failure or error, or `<system-out>` of a passing notice. */
  readonly body?: string;
}

interface TestSuite {
  readonly name: string;
  readonly cases: readonly TestCase[];
}

function sourcesSuite(errors: readonly ReportError[]): TestSuite {
  return {
    name: SOURCES_SUITE,
    cases: errors.map((error) => ({
      classname: SOURCES_SUITE,
      name: [error.env, error.file ?? error.source ?? 'source'].filter(Boolean).join(': '),
      outcome: 'error',
      message: error.message,
      type: 'source-error',
      body: formatProblem(error),
    })),
  };
}

function ruleSuites(report: Report): TestSuite[] {
  const ruleIds = new Set([...report.rules.map((rule) => rule.id), ...report.findings.map((finding) => finding.rule)]);
  return [...ruleIds].sort(compareCodeUnits).map((rule) => {
    const findings = report.findings.filter((finding) => finding.rule === rule);
    const cases =
      findings.length > 0
        ? findings.map(findingCase)
        : [{ classname: rule, name: 'no findings', outcome: 'pass' as const }];
    return { name: rule, cases };
  });
}

const FAILING: Record<Severity, boolean> = { error: true, warning: true, notice: false };

function findingCase(finding: Finding): TestCase {
  const base = { classname: finding.rule, name: `${finding.key} [${finding.envs.join(', ')}]` };
  if (finding.baseline === true) return { ...base, outcome: 'skipped', message: 'known in baseline' };
  if (!FAILING[finding.severity]) return { ...base, outcome: 'pass', body: findingDetails(finding) };
  return {
    ...base,
    outcome: 'failure',
    message: finding.message,
    type: finding.severity,
    body: findingDetails(finding),
  };
}

function findingDetails(finding: Finding): string {
  const lines = [
    `${finding.severity}: ${finding.message}`,
    `key: ${finding.key}`,
    `environments: ${finding.envs.join(', ')}`,
  ];
  for (const location of finding.locations) {
    const where = [location.file, location.line, location.line ? location.column : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    lines.push(`at ${location.env}: ${where}`);
  }
  const values = Object.entries(finding.values ?? {}).sort(([a], [b]) => compareCodeUnits(a, b));
  for (const [env, value] of values) lines.push(`value in ${env}: ${value}`);
  if (finding.firstSeen) lines.push(`first seen: ${finding.firstSeen}`);
  return lines.join('\n');
}

function renderSuite(suite: TestSuite): string[] {
  const header = attributes({
    name: suite.name,
    tests: suite.cases.length,
    failures: count(suite.cases, 'failure'),
    errors: count(suite.cases, 'error'),
    skipped: count(suite.cases, 'skipped'),
  });
  return [`  <testsuite${header}>`, ...suite.cases.flatMap(renderCase), '  </testsuite>'];
}

function renderCase(testCase: TestCase): string[] {
  const open = `    <testcase${attributes({ classname: testCase.classname, name: testCase.name })}`;
  switch (testCase.outcome) {
    case 'pass':
      if (testCase.body === undefined) return [`${open}/>`];
      return [`${open}>`, `      <system-out>${xmlText(testCase.body)}</system-out>`, '    </testcase>'];
    case 'skipped':
      return [`${open}>`, `      <skipped${attributes({ message: testCase.message })}/>`, '    </testcase>'];
    case 'failure':
    case 'error': {
      const element = `<${testCase.outcome}${attributes({ message: testCase.message, type: testCase.type })}>`;
      return [`${open}>`, `      ${element}${xmlText(testCase.body ?? '')}</${testCase.outcome}>`, '    </testcase>'];
    }
  }
}

function count(cases: readonly TestCase[], outcome: Outcome): number {
  return cases.filter((testCase) => testCase.outcome === outcome).length;
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');
}

/**
 * XML 1.0 allows only tab, line feed, carriage return and
 * U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF; anything else (other
 * control characters, lone surrogates) makes the document unreadable, so it
 * is dropped.
 */
function xmlChars(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

function xmlText(text: string): string {
  return xmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values also keep their line breaks and tabs, which parsers would otherwise turn into spaces. */
function xmlAttribute(text: string): string {
  return xmlText(text).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
