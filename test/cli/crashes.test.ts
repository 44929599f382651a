import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './io.js';
import { expectCleanFailure, project } from './project.js';

const CONFIG = 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n  b: {sources: [{path: b.env}]}\n';

describe('cli: an unquoted glob starting with * is a config error, not a crash', () => {
  it('in driftwatch.yaml, with file:line and the hint to quote it', async () => {
    const dir = project({
      'driftwatch.yaml': 'version: 1\nenvironments:\n  a:\n    sources:\n      - path: **/*.env\n',
      'x.env': 'A=1\n',
    });
    const result = await run(dir, ['check']);
    expectCleanFailure(result);
    expect(result.stderr).toBe(
      `error: driftwatch.yaml:5:15: '**/*.env' is read as a YAML alias (of an anchor '&*/*.env' that is not defined); a glob that starts with '*' must be quoted: "**/*.env"\n`,
    );
  });

  it('in a rule pack, with pack:line', async () => {
    const dir = project({
      'driftwatch.yaml': `${CONFIG}rules: [rules.yaml]\n`,
      'a.env': 'A=1\n',
      'b.env': 'A=1\n',
      'rules.yaml': 'rules:\n  - id: no-tokens\n    kind: forbid\n    keys: [*_TOKEN]\n',
    });
    const result = await run(dir, ['check']);
    expectCleanFailure(result);
    expect(result.stderr).toContain(`error: rules.yaml:4:12: '*_TOKEN' is read as a YAML alias`);
    expect(result.stderr).toContain(`must be quoted: "*_TOKEN"`);
  });

  it('still accepts aliases of anchors that exist', async () => {
    const dir = project({
      'driftwatch.yaml': 'version: 1\nenvironments:\n  a: {sources: &files [{path: a.env}]}\n  b: {sources: *files}\n',
      'a.env': 'A=1\n',
    });
    expect((await run(dir, ['check'])).code).toBe(0);
  });
});

describe('cli: an output that cannot be written is a clear error, before any work', () => {
  function setup() {
    const dir = project({ 'driftwatch.yaml': CONFIG, 'a.env': 'A=1\n', 'b.env': 'A=2\n' });
    mkdirSync(path.join(dir, 'reports'));
    return dir;
  }

  it('--format json=FILE in a folder that does not exist', async () => {
    const dir = setup();
    const result = await run(dir, ['check', '--format', 'json=missing/dir/x.json']);
    expectCleanFailure(result);
    expect(result.stderr).toBe('error: cannot write missing/dir/x.json: the folder missing/dir does not exist\n');
    expect(result.stdout).toBe('');
  });

  it('--output naming a directory', async () => {
    const dir = setup();
    const result = await run(dir, ['check', '--format', 'json', '--output', 'reports']);
    expectCleanFailure(result);
    expect(result.stderr).toBe('error: cannot write reports: it is a directory; name a file\n');
  });

  it('baseline --output in a missing folder', async () => {
    const dir = setup();
    const result = await run(dir, ['baseline', '--output', 'nowhere/baseline.json']);
    expectCleanFailure(result);
    expect(result.stderr).toBe('error: cannot write nowhere/baseline.json: the folder nowhere does not exist\n');
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  // Root writes anywhere, so this one needs an ordinary user.
  it.skipIf(process.getuid?.() === 0)('a folder it may not write in', async () => {
    const dir = setup();
    const { chmodSync } = await import('node:fs');
    chmodSync(path.join(dir, 'reports'), 0o500);
    try {
      const result = await run(dir, ['check', '--format', 'sarif=reports/x.sarif', '--format', 'text']);
      expectCleanFailure(result);
      expect(result.stderr).toBe('error: cannot write reports/x.sarif: permission denied\n');
    } finally {
      chmodSync(path.join(dir, 'reports'), 0o700);
    }
  });
});
