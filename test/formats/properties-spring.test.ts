import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { openTreeWorkspace } from '../../src/check/workspace.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';
import { readCorpus } from '../corpus.js';

const MODULE = 'macrozheng__mall/mall-admin/src/main/resources';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/spring/mall-admin/application-prod.properties');

/** dev: the real application.yml + application-dev.yml; prod: application.yml + the prod profile, in either format. */
function configFor(prodProfile: string): string {
  return `version: 1
environments:
  dev:
    sources: [{path: application.yml}, {path: application-dev.yml}]
  prod:
    sources: [{path: application.yml}, {path: ${prodProfile}}]
rules: [rules.yaml]
`;
}

const RULES = `rules:
  - {id: parity, kind: parity}
  - {id: same-datasource, kind: equal, keys: ["spring.datasource.*"]}
  - {id: same-pool, kind: equal, keys: ["spring.datasource.druid.**"]}
  - {id: same-redis-port, kind: equal, keys: [spring.redis.port]}
  - {id: same-logging, kind: equal, keys: ["logging.level.**"]}
  - {id: same-minio, kind: equal, keys: ["minio.*"]}
`;

async function check(prodProfile = 'application-prod.properties') {
  const files = memoryFileTree(
    new Map([
      ['driftwatch.yaml', configFor(prodProfile)],
      ['rules.yaml', RULES],
      ['application.yml', readCorpus(MODULE, 'application.yml')],
      ['application-dev.yml', readCorpus(MODULE, 'application-dev.yml')],
      ['application-prod.yml', readCorpus(MODULE, 'application-prod.yml')],
      ['application-prod.properties', readFileSync(FIXTURE, 'utf8')],
    ]),
  );
  const workspace = await openTreeWorkspace({
    files,
    configFile: 'driftwatch.yaml',
    dir: 'mall-admin',
    fingerprintKey: Buffer.alloc(32, 3),
    env: {},
  });
  return runCheck(workspace, { now: new Date('2026-12-01T00:00:00Z') });
}

describe('formats/properties beside Spring YAML (macrozheng/mall mall-admin)', () => {
  it('compares a setting written in application-dev.yml and application-prod.properties as one key', async () => {
    const { report, incomplete } = await check();
    expect(incomplete).toBe(false);
    const findings = report.findings.map((finding) => [finding.rule, finding.key]);
    // The values that really differ between dev and prod, found by globs over the properties keys.
    expect(findings).toEqual(
      expect.arrayContaining([
        ['same-datasource', 'spring.datasource.url'],
        ['same-datasource', 'spring.datasource.username'],
        ['same-datasource', 'spring.datasource.password'],
        ['same-minio', 'minio.endpoint'],
        ['same-logging', 'logging.level."com.macro.mall"'],
      ]),
    );
    const username = report.findings.find((finding) => finding.key === 'spring.datasource.username');
    expect(username?.locations).toEqual([
      { env: 'dev', file: 'application-dev.yml', line: 4, column: 15, inRepository: true },
      { env: 'prod', file: 'application-prod.properties', line: 4, column: 28, inRepository: true },
    ]);
    // Equal values typed alike in both formats are no drift: 5 in YAML is 5 in properties.
    for (const key of ['spring.datasource.druid.initial-size', 'spring.redis.port', 'logging.level.root']) {
      expect(findings.map(([, found]) => found)).not.toContain(key);
    }
  });

  it('finds the same drift whether the prod profile is written as YAML or as properties', async () => {
    const summary = async (prodProfile: string) =>
      (await check(prodProfile)).report.findings.map((finding) => `${finding.rule} ${finding.key} ${finding.envs}`);
    const fromYaml = await summary('application-prod.yml');
    expect(fromYaml.length).toBeGreaterThan(5);
    expect(await summary('application-prod.properties')).toEqual(fromYaml);
    // Keys one environment lacks are the real ones (parity names the environment that lacks it), not artefacts of the format.
    expect(fromYaml.filter((finding) => finding.startsWith('parity '))).toEqual([
      'parity logging.file.path dev',
      'parity logstash.enableInnerLog prod',
    ]);
  });
});
