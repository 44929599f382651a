import { describe, expect, it } from 'vitest';
import { run } from './io.js';
import { expectCleanFailure, project } from './project.js';

const TWO_ENVS =
  'version: 1\nenvironments:\n  staging: {sources: [{path: staging.env}]}\n  production: {sources: [{path: production.env}]}\n';

describe('cli: snapshot and diff fail closed', () => {
  const broken = () =>
    project({ 'driftwatch.yaml': TWO_ENVS, 'staging.env': 'A=1\n', 'production.env': 'A=1\nnot an assignment\n' });

  it('snapshot exits 2 when a source fails, in text and JSON, and says which', async () => {
    const dir = broken();
    const text = await run(dir, ['snapshot', '--all']);
    expectCleanFailure(text);
    expect(text.stderr).toContain('error: [production] production.env:2');
    const json = await run(dir, ['snapshot', '--env', 'production', '--format', 'json']);
    expectCleanFailure(json);
    expect(JSON.parse(json.stdout).errors).toEqual([expect.objectContaining({ env: 'production', line: 2 })]);
  });

  it('diff exits 2 when a source fails, prints no comparison, and --exit-code does not hide it', async () => {
    const dir = broken();
    for (const args of [[], ['--exit-code'], ['--format', 'json']]) {
      const result = await run(dir, ['diff', 'staging', 'production', ...args]);
      expectCleanFailure(result);
      expect(result.stderr).toContain('driftwatch: cannot compare staging and production: 1 source problem above');
      expect(result.stdout).not.toContain('no differences');
    }
  });

  it('diff --exit-code exits 1 when the environments differ and 0 when they do not', async () => {
    const differ = project({ 'driftwatch.yaml': TWO_ENVS, 'staging.env': 'A=1\n', 'production.env': 'A=2\n' });
    expect((await run(differ, ['diff', 'staging', 'production'])).code).toBe(0);
    const strict = await run(differ, ['diff', 'staging', 'production', '--exit-code']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('~ A');
    const same = project({ 'driftwatch.yaml': TWO_ENVS, 'staging.env': 'A=1\n', 'production.env': 'A=1\n' });
    expect(await run(same, ['diff', 'staging', 'production', '--exit-code'])).toMatchObject({
      code: 0,
      stdout: 'staging (1 key) vs production (1 key): no differences.\n',
    });
  });
});

describe('cli: the retiredKeys list reaches the recommended forbid rule', () => {
  const files = (list: string) => ({
    'driftwatch.yaml': `${TWO_ENVS}${list}: [GLOBAL_OAUTH_*]\n`,
    'staging.env': 'A=1\n',
    'production.env': 'A=1\nGLOBAL_OAUTH_CLIENT_ID=abc\n',
  });

  it('fails the gate on a key listed under retiredKeys:', async () => {
    const result = await run(project(files('retiredKeys')), ['check', '--format', 'json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings.filter(
      (finding: { rule: string }) => finding.rule === 'retired-keys',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'forbid',
        key: 'GLOBAL_OAUTH_CLIENT_ID',
        envs: ['production'],
        severity: 'error',
      }),
    ]);
    expect(result.stderr).toBe('');
  });

  it('still reads the old name retired:, with a deprecation notice on stderr', async () => {
    const result = await run(project(files('retired')), ['check', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((finding: { rule: string }) => finding.rule)).toContain(
      'retired-keys',
    );
    expect(result.stderr).toBe(
      "warning: driftwatch.yaml:5:1: 'retired:' is now called 'retiredKeys:' (keys that must no longer exist anywhere); the old name still works\n",
    );
  });

  it('refuses both names at once', async () => {
    const dir = project({
      ...files('retiredKeys'),
      'driftwatch.yaml': `${files('retiredKeys')['driftwatch.yaml']}retired: [X]\n`,
    });
    const result = await run(dir, ['check']);
    expectCleanFailure(result);
    expect(result.stderr).toBe("error: driftwatch.yaml:6:1: give 'retiredKeys:' only; 'retired:' is its old name\n");
  });

  it('still loads keysFrom: retired and an allowance of the old rule id, with notices', async () => {
    const dir = project({
      ...files('retiredKeys'),
      'driftwatch.yaml': `${files('retiredKeys')['driftwatch.yaml']}rules: [rules.yaml]\n`,
      'rules.yaml': [
        'rules:',
        '  - {id: old-keys, kind: forbid, keysFrom: retired}',
        '  - {id: gone, kind: retired}',
        '  - {id: removed-elsewhere, kind: parity}',
        '  - {id: quiet, kind: allow, keys: ["**"], rules: [retired-elsewhere], reason: x}',
      ].join('\n'),
    });
    const result = await run(dir, ['check', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((finding: { rule: string }) => finding.rule)).toContain('old-keys');
    expect(result.stderr.split('\n')).toEqual([
      "warning: rules.yaml:2:44: rule 'old-keys': keysFrom 'retired' is now called 'retiredKeys'; the old name still works",
      "warning: rules.yaml:3:22: rule 'gone': kind 'retired' is now called 'removed-elsewhere'; the old name still works",
      "warning: rules.yaml:5: rule 'quiet' (allow): rules: 'retired-elsewhere' is now called 'removed-elsewhere'",
      '',
    ]);
  });
});

describe('cli: a missing --baseline file is an error, never an empty baseline', () => {
  it('exits 2 naming the file', async () => {
    const dir = project({ 'driftwatch.yaml': TWO_ENVS, 'staging.env': 'A=1\n', 'production.env': 'A=1\n' });
    const result = await run(dir, ['check', '--baseline', 'driftwatch.baseline.json']);
    expectCleanFailure(result);
    expect(result).toMatchObject({
      stdout: '',
      stderr: 'error: driftwatch.baseline.json: cannot read the baseline: file not found\n',
    });
  });
});
