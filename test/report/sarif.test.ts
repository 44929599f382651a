import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { FALLBACK_LOCATION, SARIF_SCHEMA_URI, sarifReporter } from '../../src/report/sarif.js';
import { VERSION } from '../../src/version.js';
import { cleanReport, completedReport, retiredOauthFinding, sampleReport } from './sample-report.js';

const root = path.resolve(import.meta.dirname, '../..');

function render(report: Report) {
  return JSON.parse(sarifReporter(report, { color: false }));
}

function firstRun(report: Report) {
  return render(report).runs[0];
}

function resultFor(report: Report, key: string) {
  const result = firstRun(report).results.find(
    (candidate: { properties: { key: string } }) => candidate.properties.key === key,
  );
  if (!result) throw new Error(`no result for ${key}`);
  return result;
}

/**
 * The official SARIF 2.1.0 schema, when a package that ships it is installed
 * (`@microsoft/jest-sarif` carries the final 2.1.0 schema, rtm.5, as draft-04).
 */
function officialSchema(): Record<string, unknown> | undefined {
  try {
    return createRequire(import.meta.url)('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  } catch {
    return undefined;
  }
}

describe('report/sarif', () => {
  describe('is valid SARIF 2.1.0', () => {
    const subset = JSON.parse(readFileSync(path.join(root, 'test/fixtures/sarif-2.1.0-subset.schema.json'), 'utf8'));
    // strictRequired off: the spec's `anyOf: [{required: [text]}, {required: [id]}]` names properties defined beside it.
    const validateSubset = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(subset);

    it('against the specification subset in test/fixtures', () => {
      for (const report of [sampleReport(), completedReport(), cleanReport()]) {
        const valid = validateSubset(render(report));
        expect(validateSubset.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
    });

    it('and the subset is strict enough to reject broken SARIF', () => {
      const broken = render(sampleReport());
      broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      broken.runs[0].results[1].level = 'notice';
      delete broken.runs[0].invocations[0].executionSuccessful;
      expect(validateSubset(broken)).toBe(false);
      expect(validateSubset.errors?.length).toBe(3);
    });

    const official = officialSchema();
    it.skipIf(official === undefined)('against the official schema (needs @microsoft/jest-sarif installed)', () => {
      const { $schema: _draft04, id: _id, ...schema } = official ?? {};
      // The official schema is draft-04 with a non-Unicode regex; Ajv 8 compiles it with these relaxations.
      const ajv = new Ajv({
        allErrors: true,
        strict: false,
        validateSchema: false,
        validateFormats: false,
        unicodeRegExp: false,
      });
      const validate = ajv.compile(schema);
      for (const report of [sampleReport(), completedReport(), cleanReport()]) {
        const valid = validate(render(report));
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
    });
  });

  it('declares the schema, version and one run of driftwatch', () => {
    const log = render(sampleReport());
    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { rules, ...driver } = log.runs[0].tool.driver;
    expect(driver).toEqual({
      name: 'driftwatch',
      informationUri: 'https://github.com/driftwatch/driftwatch',
      semanticVersion: VERSION,
    });
    expect(rules).toHaveLength(sampleReport().rules.length);
  });

  it('keeps VERSION equal to package.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(VERSION).toBe(manifest.version);
  });

  it('describes every rule that ran', () => {
    const rules = firstRun(sampleReport()).tool.driver.rules;
    expect(rules.map((rule: { id: string }) => rule.id)).toEqual(sampleReport().rules.map((rule) => rule.id));
    expect(rules[1]).toEqual({
      id: 'no-shared-secrets',
      name: 'no-shared-secrets',
      shortDescription: { text: 'Secrets differ between environments.' },
      fullDescription: { text: 'Secrets differ between environments. Sharing one widens the blast radius of a leak.' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['configuration', 'drift', 'differ'] },
    });
    const levels = Object.fromEntries(
      rules.map((rule: { id: string; defaultConfiguration: { level: string } }) => [
        rule.id,
        rule.defaultConfiguration.level,
      ]),
    );
    expect(levels).toMatchObject({ 'cache-parity': 'warning', 'retired-global-oauth': 'error', 'stale-keys': 'note' });
  });

  it('adds a descriptor for a rule that has findings but is not listed, so ruleIndex stays right', () => {
    const report: Report = { ...sampleReport(), rules: [] };
    const run = firstRun(report);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('makes one result per finding, pointing at its rule', () => {
    const run = firstRun(sampleReport());
    expect(run.results).toHaveLength(sampleReport().findings.length);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(resultFor(sampleReport(), 'oauth.global.client_id')).toEqual({
      ruleId: 'retired-global-oauth',
      ruleIndex: 2,
      level: 'error',
      message: {
        text: 'oauth.global.client_id (production): Global OAuth credentials are retired; tenants use their own.',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'config/production/app.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 14, startColumn: 3 },
          },
          message: { text: 'production' },
        },
      ],
      relatedLocations: [
        {
          id: 1,
          physicalLocation: {
            artifactLocation: { uri: 'deploy/production.env', uriBaseId: '%SRCROOT%' },
            region: { startLine: 2 },
          },
          message: { text: 'production' },
        },
      ],
      partialFingerprints: { 'driftwatch/v1': '3f9c1a2b' },
      baselineState: 'new',
      properties: {
        key: 'oauth.global.client_id',
        kind: 'forbid',
        envs: ['production'],
        values: { production: 'legacy-client-0042' },
      },
    });
  });

  it('maps severities to SARIF levels', () => {
    expect(resultFor(sampleReport(), 'db.password').level).toBe('error');
    expect(resultFor(sampleReport(), 'TZ').level).toBe('warning');
    expect(resultFor(sampleReport(), 'legacy.timeout').level).toBe('note');
  });

  it('marks baseline findings unchanged instead of suppressing them', () => {
    const output = sarifReporter(sampleReport(), { color: false });
    expect(output).not.toContain('suppressions');
    expect(resultFor(sampleReport(), 'cache.ttl').baselineState).toBe('unchanged');
    expect(resultFor(sampleReport(), 'db.password').baselineState).toBe('new');
  });

  it('gives a finding without a line startLine 1, and one without locations the config file', () => {
    expect(resultFor(sampleReport(), 'TZ').locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(resultFor(sampleReport(), 'legacy.timeout').locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: FALLBACK_LOCATION.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: 1 },
        },
      },
    ]);
    expect(FALLBACK_LOCATION.file).toBe('driftwatch.yaml');
  });

  it('percent-encodes file names into URI references', () => {
    const result = resultFor(sampleReport(), 'features.<script>alert(1)</script>|new,checkout:%');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('config/production/flags%2C%20100%25.yaml');
  });

  it('escapes brackets so a message cannot forge an embedded link', () => {
    const result = resultFor(sampleReport(), 'features.<script>alert(1)</script>|new,checkout:%');
    expect(result.message.text).toContain('see \\[docs\\](1)');
  });

  it('reports unreadable sources as tool execution notifications and an unsuccessful run', () => {
    const [invocation] = firstRun(sampleReport()).invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'config/production/*.yaml: could not parse YAML: bad indentation of a mapping entry' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'config/production/broken.yaml', uriBaseId: '%SRCROOT%' },
              region: { startLine: 3, startColumn: 7 },
            },
          },
        ],
        properties: { source: 'config/production/*.yaml', env: 'production' },
      },
      {
        level: 'error',
        message: { text: 'https://config.internal/production.json: HTTP 503 Service Unavailable' },
        properties: { source: 'https://config.internal/production.json', env: 'production' },
      },
    ]);
    expect(firstRun(completedReport()).invocations).toEqual([
      { executionSuccessful: true, toolExecutionNotifications: [] },
    ]);
  });

  it('keeps sensitive values as their fingerprints', () => {
    expect(resultFor(sampleReport(), 'db.password').properties.values).toEqual({
      production: 'fp:1a2b3c4d',
      staging: 'fp:1a2b3c4d',
    });
  });

  it('puts a finding on a file of the repository, else on the config file, naming where its value came from', () => {
    const finding = retiredOauthFinding();
    const fromUrl = { env: 'production', file: 'https://config.internal/production.json', inRepository: false };
    const report: Report = {
      ...completedReport(),
      configFile: 'services/ledger/driftwatch.yaml',
      findings: [
        { ...finding, id: 'f1', locations: [fromUrl] },
        { ...finding, id: 'f2', locations: [fromUrl, { ...finding.locations[0], inRepository: true }] },
      ] as Report['findings'],
    };
    const [onlyUrl, both] = firstRun(report).results;
    expect(onlyUrl.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'services/ledger/driftwatch.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1 },
        },
        message: { text: 'production: https://config.internal/production.json' },
      },
    ]);
    expect(onlyUrl.relatedLocations).toEqual([
      { id: 1, message: { text: 'production: https://config.internal/production.json' } },
    ]);
    expect(both.locations[0].physicalLocation.artifactLocation.uri).toBe('config/production/app.yaml');
    expect(both.relatedLocations).toEqual([
      { id: 1, message: { text: 'production: https://config.internal/production.json' } },
    ]);
  });
});
