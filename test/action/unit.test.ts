import { describe, expect, it } from 'vitest';
import { cappedAnnotations } from '../../src/action/capped-annotations.js';
import { readInputs } from '../../src/action/inputs.js';
import { fitJobSummary } from '../../src/action/job-summary.js';
import { workflowOutputText } from '../../src/action/workflow-output.js';
import { UsageError } from '../../src/errors.js';
import { sampleReport } from '../report/sample-report.js';
import { parseOutputFile } from './bundled-action.js';

describe('action/inputs', () => {
  it('reads INPUT_* as the runner sets them, dashes kept, with action.yml defaults', () => {
    expect(readInputs({})).toEqual({
      config: 'driftwatch.yaml',
      failOn: 'error',
      environments: [],
      workingDirectory: '.',
    });
    expect(
      readInputs({
        INPUT_CONFIG: ' ops/driftwatch.yaml ',
        'INPUT_FAIL-ON': 'warning',
        INPUT_BASELINE: 'baseline.json',
        INPUT_ENVIRONMENTS: 'staging, production\ncanary',
        INPUT_SARIF: 'out.sarif',
        'INPUT_WORKING-DIRECTORY': 'services/ledger',
      }),
    ).toEqual({
      config: 'ops/driftwatch.yaml',
      failOn: 'warning',
      baseline: 'baseline.json',
      environments: ['staging', 'production', 'canary'],
      sarif: 'out.sarif',
      workingDirectory: 'services/ledger',
    });
  });

  it('refuses a fail-on level it does not know, naming the input', () => {
    expect(() => readInputs({ 'INPUT_FAIL-ON': 'errors' })).toThrow(UsageError);
    expect(() => readInputs({ 'INPUT_FAIL-ON': 'errors' })).toThrow(/input 'fail-on' is 'errors'/);
  });
});

describe('action/workflow-output', () => {
  it('writes each output between a random delimiter, read back whole even across lines', () => {
    const text = workflowOutputText({ errors: '2', report: 'line one\nline two' });
    expect(parseOutputFile(text)).toEqual({ errors: '2', report: 'line one\nline two' });
    expect(text).toMatch(/^errors<<ghadelimiter_[0-9a-f-]{36}\n2\nghadelimiter_/);
    expect(workflowOutputText({ a: '1' })).not.toBe(workflowOutputText({ a: '1' }));
  });

  it('refuses a value that holds its delimiter, which could set other outputs', () => {
    expect(() => workflowOutputText({ report: 'x\nEOF\nerrors<<EOF\n0' }, 'EOF')).toThrow(/contains its delimiter/);
  });
});

describe('action/job-summary', () => {
  it('leaves a summary within the limit as it is', () => {
    expect(fitJobSummary('# short\n', 100)).toBe('# short\n');
  });

  it('cuts whole lines, never a character, and stays within the limit in bytes', () => {
    const rows = Array.from({ length: 200 }, (_, index) => `| ${index} | ${'é'.repeat(40)} |`);
    const markdown = `## title\n\n${rows.join('\n')}\n`;
    const fitted = fitJobSummary(markdown, 4000);
    expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(4000);
    const kept = fitted.split('\n').filter((line) => line.startsWith('| '));
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.every((line, index) => line === rows[index])).toBe(true);
    expect(fitted).toContain(`The report is cut here, ${200 - kept.length} lines before its end`);
  });

  it('closes a <details> block the cut left open', () => {
    const markdown = [
      '## t',
      '',
      '<details>',
      '<summary>known</summary>',
      '',
      ...Array(100).fill('| row |'),
      '</details>',
    ].join('\n');
    const fitted = fitJobSummary(markdown, 600);
    expect(fitted).toMatch(/\| row \|\n\n<\/details>\n\n> \[!NOTE\]/);
    expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(600);
  });
});

describe('action/capped-annotations', () => {
  it('emits at most the limit of each level, the last saying how many more there are', () => {
    const report = sampleReport();
    const byLevel = (lines: string[], level: string) => lines.filter((line) => line.startsWith(`::${level} `));
    const all = cappedAnnotations(report, 1000);
    const capped = cappedAnnotations(report, 2);
    expect(capped.length).toBeLessThan(all.length);
    for (const level of ['error', 'warning', 'notice']) {
      const count = byLevel(all, level).length;
      if (count <= 2) {
        expect(byLevel(capped, level)).toEqual(byLevel(all, level));
        continue;
      }
      expect(byLevel(capped, level)).toHaveLength(2);
      expect(byLevel(capped, level)[0]).toBe(byLevel(all, level)[0]);
      expect(byLevel(capped, level)[1]).toContain(`… and ${count - 1} more ${level}s not annotated`);
    }
  });
});
