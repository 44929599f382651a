import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../src/check/workspace.js';
import { REPORT_FORMATS } from '../../src/report/index.js';
import { run } from './io.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');
const onboarding = path.join(EXAMPLES, 'onboarding-outage');
const backups = path.join(EXAMPLES, 'silent-backups');

const temporary: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-cli-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cli/check on the onboarding example', () => {
  it('fails the gate on the retired global OAuth credentials in production', async () => {
    const result = await run(onboarding, ['check', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const retired = report.findings.filter((finding: { rule: string }) => finding.rule === 'retired-global-oauth');
    expect(retired.map((finding: { key: string; envs: string[] }) => [finding.key, finding.envs])).toEqual([
      ['GLOBAL_OAUTH_CLIENT_ID', ['production']],
      ['GLOBAL_OAUTH_CLIENT_SECRET', ['production']],
      ['oauth.global.client_id', ['production']],
      ['oauth.global.client_secret', ['production']],
    ]);
    // The JSON report names files from the repository root: where the example sits in this checkout.
    const fromRoot = path
      .relative(repositoryRoot(onboarding) ?? onboarding, onboarding)
      .split(path.sep)
      .join('/');
    expect(retired[1].locations).toEqual([
      { env: 'production', file: path.posix.join(fromRoot, 'deploy/production.env'), line: 8, column: 28 },
    ]);
    expect(
      report.environments.map((environment: { name: string; keys: number }) => [environment.name, environment.keys]),
    ).toEqual([
      ['staging', 21],
      ['production', 24],
    ]);
    expect(report.errors).toEqual([]);
    // What examples/onboarding-outage/README.md says it prints.
    expect(report.summary).toEqual({ error: 8, warning: 9, notice: 0 });
  });

  it('passes with --fail-on never, and fails on warnings with --fail-on warning', async () => {
    expect((await run(onboarding, ['check', '--fail-on', 'never'])).code).toBe(0);
    expect((await run(onboarding, ['check', '--fail-on', 'warning', '--env', 'staging'])).code).toBe(0);
  });

  it('never prints a secret value, in any format', async () => {
    const secrets = ['fceea167a5a36dedd4bea2543', 'stg-4f1d2c9a7be04d3f8e21', 'prd-db-pass-9876', 'stg-db-pass-1234'];
    for (const format of REPORT_FORMATS) {
      const result = await run(onboarding, ['check', '--format', format]);
      for (const secret of secrets) {
        expect(result.stdout, `${format} output`).not.toContain(secret);
        expect(result.stderr).not.toContain(secret);
      }
    }
    for (const args of [
      ['diff', 'staging', 'production'],
      ['diff', 'staging', 'production', '--format', 'json'],
      ['snapshot', '--all', '--format', 'json'],
      ['snapshot', '--all'],
    ]) {
      const result = await run(onboarding, args);
      for (const secret of secrets) expect(result.stdout, args.join(' ')).not.toContain(secret);
    }
  });

  it('writes several reports from one run', async () => {
    const out = project({});
    const sarif = path.join(out, 'report.sarif');
    const junit = path.join(out, 'report.xml');
    const result = await run(onboarding, [
      'check',
      '--format',
      'text',
      '--format',
      `sarif=${sarif}`,
      '--format',
      `junit=${junit}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('retired-global-oauth');
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml/);
  });

  it('is byte-for-byte deterministic', async () => {
    const first = await run(onboarding, ['check', '--format', 'json']);
    const second = await run(onboarding, ['check', '--format', 'json']);
    expect(second.stdout).toBe(first.stdout);
  });
});

describe('cli/check on the silent-backups example', () => {
  it('catches every quietly broken backup setting', async () => {
    const result = await run(backups, ['check', '--format', 'json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings as { rule: string; key: string; envs: string[] }[];
    const brief = findings.map((finding) => `${finding.rule} ${finding.key} ${finding.envs.join(',')}`);
    expect(brief).toContain('backups-enabled backup.enabled db-3');
    expect(brief).toContain('backups-enabled backup.verify_restore db-2');
    expect(brief).toContain('same-backup-tooling backup.pg_dump db-1,db-2,db-3');
    expect(brief).toContain('dumps-have-a-floor backup.min_dump_bytes db-2');
    expect(brief).toContain('backup-verification-everywhere backup.alert_channel db-3');
    expect(brief.some((line) => line.startsWith('parity host.role'))).toBe(false);
    // What examples/silent-backups/README.md says it prints.
    expect(JSON.parse(result.stdout).summary).toEqual({ error: 7, warning: 2, notice: 0 });
  });
});

describe('cli/check baseline', () => {
  it('round-trips: known findings are reported as such and no longer fail the gate; new ones do', async () => {
    const dir = project({
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n  b: {sources: [{path: b.env}]}\nrules: [rules.yaml]\n',
      'rules.yaml': 'rules:\n  - {id: same, kind: equal, keys: ["**"]}\n',
      'a.env': 'X=1\nY=1\n',
      'b.env': 'X=2\nY=1\n',
    });
    expect((await run(dir, ['check'])).code).toBe(1);
    const written = await run(dir, ['baseline']);
    expect(written.stdout).toBe('Wrote 1 known finding to driftwatch.baseline.json\n');
    const baseline = JSON.parse(readFileSync(path.join(dir, 'driftwatch.baseline.json'), 'utf8'));
    expect(baseline.findings.map((finding: { key: string }) => finding.key)).toEqual(['X']);

    const known = await run(dir, ['check', '--baseline', 'driftwatch.baseline.json', '--format', 'json']);
    expect(known.code).toBe(0);
    const report = JSON.parse(known.stdout);
    expect(report.findings[0].baseline).toBe(true);
    expect(report.summary).toEqual({ error: 0, warning: 0, notice: 0 });

    writeFileSync(path.join(dir, 'b.env'), 'X=2\nY=2\n');
    const fresh = await run(dir, ['check', '--baseline', 'driftwatch.baseline.json', '--format', 'json']);
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.stdout).summary.error).toBe(1);
  });

  it('rejects a file that is not a baseline, with exit 2', async () => {
    const dir = project({
      'driftwatch.yaml': 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n',
      'a.env': 'X=1\n',
      'bad.json': '{"findings": 3}',
    });
    const result = await run(dir, ['check', '--baseline', 'bad.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: bad\.json: not a driftwatch baseline/);
  });
});

describe('cli/check fails closed', () => {
  it('exits 2 and lists every source problem, never an empty environment', async () => {
    const dir = project({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: "config/staging/*.yaml"}, {path: staging.env}]}',
        '  production: {sources: [{path: production.env}, {path: broken.yaml}]}',
      ].join('\n'),
      'staging.env': 'A=1\nthis line is not an assignment\n',
      'production.env': 'A=1\n',
      'broken.yaml': 'a: [1, 2\n',
    });
    const result = await run(dir, ['check', '--format', 'json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    const errors = report.errors.map((error: { env: string; file?: string; line?: number; message: string }) => [
      error.env,
      error.file,
      error.line,
    ]);
    expect(errors).toContainEqual(['staging', undefined, undefined]);
    expect(errors).toContainEqual(['staging', 'staging.env', 2]);
    expect(errors.some(([env, file]: [string, string]) => env === 'production' && file === 'broken.yaml')).toBe(true);
    expect(report.errors[0].message).toBe("the glob 'config/staging/*.yaml' matched no files");
    expect(result.stderr).toContain('the check could not be completed');
  });

  it('exits 2 with file, line and column for a config mistake, and no stack trace', async () => {
    const dir = project({
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  production:\n    sources:\n      - comand: [kubectl, get, configmap]\n',
    });
    const result = await run(dir, ['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: driftwatch.yaml:5:9: environments.production.sources[0]: unknown source kind 'comand'; expected one of git, url, command, env, path\n",
    );
  });

  it('names the pack, line and rule id of a rule mistake', async () => {
    const dir = project({
      'driftwatch.yaml': 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\nrules: [rules/oauth.yaml]\n',
      'a.env': 'X=1\n',
      'rules/oauth.yaml':
        'rules:\n  - id: ok\n    kind: parity\n  - id: typo\n    kind: forbidd\n    keys: [X]\n  - id: bad-field\n    kind: forbid\n    keyz: [X]\n',
    });
    const result = await run(dir, ['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "error: rules/oauth.yaml:5:11: rule 'typo': unknown kind 'forbidd'; expected one of parity, require, forbid, equal,",
    );
    expect(result.stderr).toContain("error: rules/oauth.yaml:9:5: rule 'bad-field': unknown field 'keyz'");
  });

  it('names the rule that needs a references block when the config has none', async () => {
    const dir = project({
      'driftwatch.yaml': 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\nrules: [rules.yaml]\n',
      'a.env': 'X=1\n',
      'rules.yaml': 'rules:\n  - id: stale\n    kind: referenced\n',
    });
    const result = await run(dir, ['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: rules.yaml:2: rule 'stale' (referenced) needs a 'references:' block in driftwatch.yaml saying where the code is\n",
    );
  });

  it('reports code it cannot scan and a history it cannot open in the report, and exits 2', async () => {
    const dir = project({
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\nreferences: {include: ["nothing-here/**"]}\n',
      'a.env': 'X=1\n',
    });
    const unreachable = 'postgres://driftwatch:canary-db-pass-4d2@127.0.0.1:1/history';
    const result = await run(dir, ['check', '--format', 'json'], { DRIFTWATCH_DATABASE_URL: unreachable });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(report.errors.map((error: { source: string }) => error.source)).toEqual([
      'references',
      'postgres://driftwatch:***@127.0.0.1:1/history',
    ]);
    expect(result.stdout + result.stderr).not.toContain('canary-db-pass-4d2');
  });

  it('refuses a missing config file with exit 2', async () => {
    const dir = project({});
    const result = await run(dir, ['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: driftwatch.yaml: cannot read the config file: file not found\n');
    expect(existsSync(path.join(dir, '.driftwatch'))).toBe(false);
  });

  it('rejects an unknown environment and an unknown format with exit 2', async () => {
    expect((await run(onboarding, ['check', '--env', 'prod'])).stderr).toContain(
      "unknown environment 'prod'; the config defines staging, production",
    );
    expect((await run(onboarding, ['check', '--format', 'yaml'])).code).toBe(2);
  });
});
