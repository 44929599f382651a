import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubReporter } from '../../src/report/github.js';
import { htmlReporter } from '../../src/report/html.js';
import { isReportFormat, REPORT_FORMATS, reporters } from '../../src/report/index.js';
import { jsonReporter } from '../../src/report/json.js';
import { junitReporter } from '../../src/report/junit.js';
import { markdownReporter } from '../../src/report/markdown.js';
import type { Report, ReportFormat } from '../../src/report/report.js';
import { sarifReporter } from '../../src/report/sarif.js';
import { textReporter } from '../../src/report/text.js';
import { cleanReport, completedReport, SENSITIVE_FINGERPRINT, sampleReport } from './sample-report.js';

/** Every ReportFormat; the type below fails to compile if one is added to the union and not here. */
const ALL_FORMATS = [
  'text',
  'json',
  'markdown',
  'sarif',
  'junit',
  'github',
  'html',
] as const satisfies readonly ReportFormat[];
type Unlisted = Exclude<ReportFormat, (typeof ALL_FORMATS)[number]>;
const everyFormatListed: [Unlisted] extends [never] ? true : never = true;

const FIXTURES: Record<string, () => Report> = {
  sample: sampleReport,
  completed: completedReport,
  clean: cleanReport,
};

const CANARY = 'CANARY-9f8e7d';

/**
 * The sample, with a canary planted in fields no reporter may print: runtime
 * properties outside the Report types, as a careless producer might leave a
 * raw value on a finding. Reporters render declared fields only.
 */
function reportWithCanaries(): Report {
  const report = sampleReport();
  const plant = <T extends object>(value: T): T => ({ ...value, rawValue: CANARY, secret: { value: CANARY } });
  return plant({
    ...report,
    environments: report.environments.map((environment) =>
      plant({ ...environment, sources: environment.sources.map(plant) }),
    ),
    findings: report.findings.map((finding) => plant({ ...finding, locations: finding.locations.map(plant) })),
    errors: report.errors.map(plant),
    rules: report.rules.map(plant),
    matrix: report.matrix?.map((row) =>
      plant({ ...row, cells: row.cells.map((cell) => (cell === undefined ? undefined : plant(cell))) }),
    ),
  });
}

/** The same report with every `values` object built in the opposite order. */
function reorderedValues(report: Report): Report {
  return {
    ...report,
    findings: report.findings.map((finding) => ({
      ...finding,
      values: finding.values ? Object.fromEntries(Object.entries(finding.values).reverse()) : undefined,
    })),
  };
}

describe('report/conformance', () => {
  it('registers every format, each under its own name', () => {
    expect(everyFormatListed).toBe(true);
    expect([...REPORT_FORMATS].sort()).toEqual([...ALL_FORMATS].sort());
    expect(reporters).toEqual({
      text: textReporter,
      json: jsonReporter,
      markdown: markdownReporter,
      sarif: sarifReporter,
      junit: junitReporter,
      github: githubReporter,
      html: htmlReporter,
    });
  });

  it('recognises format names', () => {
    for (const format of ALL_FORMATS) expect(isReportFormat(format)).toBe(true);
    for (const other of ['xml', 'TEXT', 'toString', '__proto__', '']) expect(isReportFormat(other)).toBe(false);
  });

  describe.each(ALL_FORMATS)('%s', (format) => {
    const reporter = reporters[format];

    it.each(Object.keys(FIXTURES))('returns a string ending in a newline (%s)', (fixture) => {
      const output = reporter(FIXTURES[fixture]?.() ?? sampleReport(), { color: false });
      expect(typeof output).toBe('string');
      expect(output.endsWith('\n')).toBe(true);
      expect(output.endsWith('\n\n')).toBe(false);
    });

    it('is deterministic: same input, same string, whatever the insertion order of values', () => {
      const first = reporter(sampleReport(), { color: false });
      expect(reporter(sampleReport(), { color: false })).toBe(first);
      expect(reporter(reorderedValues(sampleReport()), { color: false })).toBe(first);
    });

    it('does not change its input', () => {
      const report = sampleReport();
      reporter(report, { color: true });
      expect(report).toEqual(sampleReport());
    });

    it('prints only what the report holds: no field outside the types, nothing from the environment', () => {
      const output = reporter(reportWithCanaries(), { color: false });
      expect(output).not.toContain(CANARY);
      expect(output).not.toContain('rawValue');
      expect(output).not.toContain(process.env.DRIFTWATCH_TEST_CANARY);
    });

    it('prints no fingerprint the report does not hold', () => {
      const output = reporter(sampleReport(), { color: false });
      const fingerprints = new Set(output.match(/fp:[0-9a-f]{8}/g) ?? []);
      expect([...fingerprints].every((fingerprint) => fingerprint === SENSITIVE_FINGERPRINT)).toBe(true);
    });

    if (format !== 'text') {
      it('ignores the colour option', () => {
        expect(reporter(sampleReport(), { color: true })).toBe(reporter(sampleReport(), { color: false }));
      });
    }
  });

  beforeEach(() => {
    process.env.DRIFTWATCH_TEST_CANARY = `${CANARY}-env`;
  });
  afterEach(() => {
    delete process.env.DRIFTWATCH_TEST_CANARY;
  });
});
