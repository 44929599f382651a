import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { textReporter } from '../../src/report/text.js';
import { baselineFinding, cleanReport, completedReport, SENSITIVE_FINGERPRINT, sampleReport } from './sample-report.js';

const ESC = '\u001b';

function render(report: Report, color = false): string {
  return textReporter(report, { color });
}

function lines(report: Report, color = false): string[] {
  return render(report, color).trimEnd().split('\n');
}

function stripAnsi(text: string): string {
  return text.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
}

describe('report/text', () => {
  it('puts source errors first, as file:line:column: message', () => {
    const [first, second] = lines(sampleReport());
    expect(first).toBe(
      'error: config/production/broken.yaml:3:7: could not parse YAML: bad indentation of a mapping entry',
    );
    expect(second).toBe('error: https://config.internal/production.json: HTTP 503 Service Unavailable');
  });

  it('summarises each environment in one line', () => {
    const output = lines(sampleReport());
    expect(output).toContain('development: 1 key from 1 source');
    expect(output).toContain('staging: 412 keys from 3 sources');
    expect(output).toContain('production: 398 keys from 3 sources (2 could not be read)');
  });

  it('groups findings by severity, errors first, baseline last', () => {
    const output = render(sampleReport());
    const order = ['Errors (2)', 'Warnings (2)', 'Notices (1)', 'Known from baseline (1), not counted'].map((heading) =>
      output.indexOf(`\n${heading}\n`),
    );
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints a finding: badge, rule, key, envs, message, locations and values', () => {
    const output = render(completedReport());
    expect(output).toContain(
      [
        '  ERROR  retired-global-oauth  oauth.global.client_id  [production]',
        '    Global OAuth credentials are retired; tenants use their own.',
        '    production  config/production/app.yaml:14:3',
        '    production  deploy/production.env:2',
        '    values:',
        '      production  legacy-client-0042',
      ].join('\n'),
    );
  });

  it('prints sensitive values as the fingerprints the report holds, and nothing else', () => {
    const output = render(completedReport());
    expect(output).toContain(
      [
        '  ERROR  no-shared-secrets  db.password  [production, staging]',
        '    staging and production share the same value.',
        '    production  config/production/db.yaml:7',
        '    staging     config/staging/db.yaml:7',
        '    values:',
        `      staging     ${SENSITIVE_FINGERPRINT}`,
        `      production  ${SENSITIVE_FINGERPRINT}`,
      ].join('\n'),
    );
  });

  it('prints a location without a line as the file alone, and a finding without locations without any', () => {
    const output = render(completedReport());
    expect(output).toContain('    development  deploy/development.env\n');
    expect(output).toContain('  NOTICE  stale-keys  legacy.timeout  [staging]\n    No code reads legacy.timeout.\n\n');
  });

  it('shows baseline findings as known, apart, and does not count them', () => {
    const output = lines(completedReport());
    const known = output.indexOf('Known from baseline (1), not counted');
    expect(output[known + 1]).toBe(
      '  known (baseline) WARNING  cache-parity  cache.ttl  [production]  first seen 2026-01-15',
    );
    expect(output.at(-1)).toBe('2 errors, 2 warnings, 1 notice (1 known from baseline)');
  });

  it('says the check could not be completed when a source failed', () => {
    expect(lines(sampleReport()).at(-1)).toBe(
      'Check could not be completed (2 source errors). Found so far: 2 errors, 2 warnings, 1 notice (1 known from baseline)',
    );
    const onlyErrors = { ...cleanReport(), errors: sampleReport().errors };
    expect(lines(onlyErrors).at(-1)).toBe(
      'Check could not be completed (2 source errors). Found so far: 0 errors, 0 warnings, 0 notices',
    );
  });

  it('says there is no drift, naming the environments, when there is none', () => {
    expect(render(cleanReport())).toBe(
      [
        'development: 1 key from 1 source',
        'staging: 412 keys from 3 sources',
        'production: 398 keys from 3 sources',
        '',
        'No drift found across development, staging, production.',
        '',
      ].join('\n'),
    );
    const onlyKnown: Report = { ...cleanReport(), findings: [baselineFinding()] };
    expect(lines(onlyKnown).at(-1)).toBe(
      'No new drift found across development, staging, production (1 known from baseline).',
    );
  });

  it('writes no escape code without colour, even when a value holds one', () => {
    const output = render(sampleReport(), false);
    expect(output.includes(ESC)).toBe(false);
    // The hostile value's ESC, CR and LF are shown, not obeyed: quoted on one line, so the escapes read as escapes.
    expect(output).toContain('      production  "100%, on: yes\\r\\nnext\\x1b[31mred"\n');
  });

  it('colours with ANSI codes when asked, and says the same thing', () => {
    const coloured = render(sampleReport(), true);
    expect(coloured).toContain(`${ESC}[31m`);
    expect(coloured).toContain(`${ESC}[2m`);
    expect(stripAnsi(coloured)).toBe(render(sampleReport(), false));
  });

  it('keeps a multi-line message inside its finding and escapes keys', () => {
    const output = render(completedReport());
    expect(output).toContain(
      [
        '  WARNING  same-feature-flags  features.<script>alert(1)</script>|new,checkout:%  [production, staging]',
        '    Differs: 50% of | users, see [docs](1) <b>now</b>',
        '    second line: yes, `really`',
      ].join('\n'),
    );
  });

  it('escapes bidirectional overrides in keys', () => {
    const report: Report = {
      ...cleanReport(),
      findings: [{ ...baselineFinding(), baseline: false, key: 'admin\u202Eexe.txt' }],
      summary: { error: 0, warning: 1, notice: 0 },
    };
    const output = render(report);
    expect(output).toContain('admin\\u{202e}exe.txt');
    expect(output.includes('\u202E')).toBe(false);
  });
});
