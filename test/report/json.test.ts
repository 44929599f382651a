import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../src/report/json.js';
import type { Finding, Report } from '../../src/report/report.js';
import { ruleKinds } from '../../src/rules/index.js';
import { validateReport as validate } from '../helpers/report-schema.js';
import {
  cleanReport,
  completedReport,
  retiredOauthFinding,
  SENSITIVE_FINGERPRINT,
  sampleReport,
} from './sample-report.js';

const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../schema/report.schema.json'), 'utf8'));

function render(report: Report): string {
  return jsonReporter(report, { color: false });
}

function parsed(report: Report) {
  return JSON.parse(render(report));
}

function expectValid(output: unknown): void {
  const valid = validate(output);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

describe('report/json', () => {
  it('prints exactly the contract: version, environments, findings, errors, summary, in that order', () => {
    expect(Object.keys(parsed(sampleReport()))).toEqual(['version', 'environments', 'findings', 'errors', 'summary']);
  });

  it('is 2-space indented with a trailing newline', () => {
    const output = render(sampleReport());
    expect(output).toBe(`${JSON.stringify(JSON.parse(output), null, 2)}\n`);
    expect(output.startsWith('{\n  "version": 1,\n  "environments": [\n    {\n')).toBe(true);
  });

  it('writes fields in the contract order', () => {
    const output = parsed(sampleReport());
    expect(Object.keys(output.environments[0])).toEqual(['name', 'keys', 'sources']);
    expect(Object.keys(output.findings[0])).toEqual([
      'id',
      'rule',
      'kind',
      'severity',
      'key',
      'envs',
      'message',
      'locations',
      'values',
    ]);
    expect(Object.keys(output.findings[1].locations[0])).toEqual(['env', 'file', 'line', 'column']);
    expect(Object.keys(output.errors[0])).toEqual(['source', 'env', 'message', 'file', 'line', 'column']);
    expect(Object.keys(output.summary)).toEqual(['error', 'warning', 'notice']);
  });

  it('renders a finding as the contract shows it', () => {
    const report: Report = {
      ...cleanReport(),
      findings: [retiredOauthFinding()],
      summary: { error: 1, warning: 0, notice: 0 },
    };
    expect(parsed(report).findings).toEqual([
      {
        id: '3f9c1a2b',
        rule: 'retired-global-oauth',
        kind: 'forbid',
        severity: 'error',
        key: 'oauth.global.client_id',
        envs: ['production'],
        message: 'Global OAuth credentials are retired; tenants use their own.',
        locations: [
          { env: 'production', file: 'config/production/app.yaml', line: 14, column: 3 },
          { env: 'production', file: 'deploy/production.env', line: 2 },
        ],
        values: { production: 'legacy-client-0042' },
      },
    ]);
  });

  it('keeps optional fields only when set: baseline, firstSeen, values, line', () => {
    const findings = parsed(sampleReport()).findings as Record<string, unknown>[];
    const byKey = new Map(findings.map((finding) => [finding.key, finding]));
    expect(byKey.get('cache.ttl')).toMatchObject({ baseline: true, firstSeen: '2026-01-15' });
    expect(byKey.get('db.password')).not.toHaveProperty('baseline');
    expect(byKey.get('db.password')).toHaveProperty('values', {
      production: SENSITIVE_FINGERPRINT,
      staging: SENSITIVE_FINGERPRINT,
    });
    expect(byKey.get('legacy.timeout')).not.toHaveProperty('values');
    expect(byKey.get('TZ')).toHaveProperty('locations', [{ env: 'development', file: 'deploy/development.env' }]);
  });

  it('leaves out the rules, which are not part of the contract', () => {
    expect(parsed(sampleReport())).not.toHaveProperty('rules');
    expect(render(sampleReport())).not.toContain('unused-rule');
  });

  it('is deterministic: values are sorted by environment whatever their insertion order', () => {
    const report = completedReport();
    const reordered: Report = {
      ...report,
      findings: report.findings.map((finding) => ({
        ...finding,
        values: finding.values ? Object.fromEntries(Object.entries(finding.values).reverse()) : undefined,
      })),
    };
    expect(render(reordered)).toBe(render(report));
    expect(Object.keys(parsed(report).findings[0].values)).toEqual(['production', 'staging']);
  });

  it('drops fields the contract does not have, even if a producer adds them at run time', () => {
    const leaky = { ...retiredOauthFinding(), rawValue: 'hunter2' } as Finding;
    const output = render({ ...cleanReport(), findings: [leaky], summary: { error: 1, warning: 0, notice: 0 } });
    expect(output).not.toContain('hunter2');
  });

  describe('schema/report.schema.json', () => {
    it('accepts what the reporter prints', () => {
      expectValid(parsed(sampleReport()));
      expectValid(parsed(completedReport()));
      expectValid(parsed(cleanReport()));
    });

    it('knows every rule kind a pack can use', () => {
      const kinds: string[] = schema.$defs.finding.properties.kind.enum;
      for (const kind of ruleKinds.keys()) expect(kinds).toContain(kind);
    });

    it('leaves out whether a file is in the repository, which is for reporters, not the contract', () => {
      const finding = retiredOauthFinding();
      const marked: Finding = {
        ...finding,
        locations: finding.locations.map((location) => ({ ...location, inRepository: true })),
      };
      const output = parsed({ ...cleanReport(), findings: [marked], summary: { error: 1, warning: 0, notice: 0 } });
      expectValid(output);
      expect(JSON.stringify(output)).not.toContain('inRepository');
    });

    it('accepts the example in DESIGN.md', () => {
      expectValid({
        version: 1,
        environments: [
          { name: 'production', keys: 412, sources: [{ source: 'config/production/app.yaml', status: 'ok' }] },
        ],
        findings: [
          {
            id: '3f9c1a2b',
            rule: 'retired-global-oauth',
            kind: 'forbid',
            severity: 'error',
            key: 'oauth.global.client_id',
            envs: ['production'],
            message: '…',
            locations: [{ env: 'production', file: 'config/production/app.yaml', line: 14 }],
          },
        ],
        errors: [{ source: '…', message: '…', file: '…', line: 3, column: 7 }],
        summary: { error: 1, warning: 0, notice: 0 },
      });
    });

    it('rejects what the contract does not allow', () => {
      const good = parsed(sampleReport());
      const cases: [string, (report: ReturnType<typeof parsed>) => void][] = [
        ['an unknown top-level field', (report) => Object.assign(report, { rules: [] })],
        ['an unknown finding field', (report) => Object.assign(report.findings[0], { rawValue: 'x' })],
        ['a missing summary', (report) => delete report.summary],
        ['an unknown severity', (report) => Object.assign(report.findings[0], { severity: 'fatal' })],
        ['line 0', (report) => Object.assign(report.findings[0].locations[0], { line: 0 })],
        ['baseline: false', (report) => Object.assign(report.findings[0], { baseline: false })],
        ['a non-string value', (report) => Object.assign(report.findings[0].values, { staging: 42 })],
        ['version 2', (report) => Object.assign(report, { version: 2 })],
      ];
      for (const [name, spoil] of cases) {
        const report = structuredClone(good);
        spoil(report);
        expect(validate(report), name).toBe(false);
      }
    });
  });
});
