import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../cli/io.js';

/**
 * The mistakes a newcomer makes first, each answered with what is wrong and
 * where (file:line:column), exit code 2, and no stack trace.
 */
const temporary: string[] = [];
function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-messages-'));
  temporary.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `driftwatch check` and checks what every one of these mistakes must give: exit 2 and no stack trace. */
async function check(dir: string, args: readonly string[] = []) {
  const result = await run(dir, ['check', ...args]);
  expect(result.code).toBe(2);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |Maximum call stack|Invalid input|Invalid key in record/);
  return result;
}

const ENV_A = 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n';

describe('config messages a newcomer trips on', () => {
  it('rules written inline under rules: instead of pack files, said once', async () => {
    const dir = project({
      'driftwatch.yaml': `${ENV_A}rules:\n  - id: same-flags\n    kind: equal\n    keys: [FEATURE_*]\n  - id: utc\n    kind: match\n`,
      'a.env': 'A=1\n',
    });
    const { stderr } = await check(dir);
    expect(stderr).toBe(
      "error: driftwatch.yaml:5:5: rules[0]: expected a rule pack file, not a rule: write the rules in a pack (rules/team.yaml, under its own 'rules:' key) and list the file here, as in rules: [driftwatch:recommended, rules/team.yaml]\n",
    );
  });

  it('a source with two kinds', async () => {
    const dir = project({
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  a:\n    sources:\n      - path: a.env\n        url: https://config.internal/a\n',
      'a.env': 'A=1\n',
    });
    const { stderr } = await check(dir);
    expect(stderr).toBe(
      "error: driftwatch.yaml:6:9: environments.a.sources[0].url: a source has exactly one kind, and this one has 'path' and 'url': write one source for each (a git source reads a file at a ref: {git: REF, path: FILE})\n",
    );
    // git + path is one kind: a file at a ref.
    const gitAndUrl = project({
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  a:\n    sources:\n      - {git: main, path: a.env, url: "https://x/a"}\n',
    });
    expect((await check(gitAndUrl)).stderr).toMatch(/this one has 'git' and 'url'/);
  });

  it('a bad duration, a bare number and a size without a unit', async () => {
    const dir = project({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  a:',
        '    sources:',
        '      - url: https://config.internal/a',
        '        timeout: ten seconds',
        '      - command: [cat, a.env]',
        '        timeout: 10',
        '        maxBytes: 5',
        '',
      ].join('\n'),
    });
    const { stderr } = await check(dir);
    expect(stderr.split('\n')).toEqual([
      "error: driftwatch.yaml:6:18: environments.a.sources[0].timeout: 'ten seconds' is not a duration; expected a number and a unit (ms, s, m, h), such as '30s' or '30ms'",
      "error: driftwatch.yaml:8:18: environments.a.sources[1].timeout: a duration needs a unit: write '10s' or '10ms', not a bare number",
      "error: driftwatch.yaml:9:19: environments.a.sources[1].maxBytes: a size needs a unit: write '5MB' or '5KiB', not a bare number",
      '',
    ]);
  });

  it('an environment name with a space', async () => {
    const dir = project({
      'driftwatch.yaml': 'version: 1\nenvironments:\n  eu production:\n    sources: [{path: a.env}]\n',
    });
    const { stderr } = await check(dir);
    expect(stderr).toBe(
      'error: driftwatch.yaml:3:3: environments."eu production": not an environment name: it has a space; an environment name is letters, digits, _, . and - (e.g. staging, eu-production)\n',
    );
  });

  it('YAML nested too deeply, in driftwatch.yaml and in a rule pack', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const dir = project({
      'driftwatch.yaml': `${ENV_A}retired: ${deep}\n`,
      'deep-pack.yaml': `${ENV_A}rules: [pack.yaml]\n`,
      'pack.yaml': `rules:\n  - ${deep}\n`,
      'a.env': 'A=1\n',
    });
    const config = await check(dir);
    expect(config.stderr).toMatch(
      /^error: driftwatch\.yaml:4:\d+: the YAML nests too deeply to read \(hundreds of levels\); no configuration needs that/,
    );
    const pack = await check(dir, ['-c', 'deep-pack.yaml']);
    expect(pack.stderr).toMatch(/^error: pack\.yaml:2:\d+: the YAML nests too deeply to read/);
  });

  it('YAML whose aliases expand without end (a billion laughs)', async () => {
    const laughs = ['x0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level++) {
      laughs.push(`x${level}: &a${level} [${Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ')}]`);
    }
    const dir = project({ 'driftwatch.yaml': `${ENV_A}${laughs.join('\n')}\n`, 'a.env': 'A=1\n' });
    expect((await check(dir)).stderr).toBe(
      'error: driftwatch.yaml: the YAML expands its aliases (*name) too many times to read; no configuration needs that\n',
    );
  });

  it('JSON saved as UTF-16, with a byte order mark or without, and a driftwatch.yaml saved as UTF-16', async () => {
    const json = '{"feature": {"beta": true}}\n';
    const utf16be = Buffer.from(`\ufeff${json}`, 'utf16le').swap16();
    const dir = project({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  le: {sources: [{path: le.json}]}',
        '  be: {sources: [{path: be.json}]}',
        '  bare: {sources: [{path: bare.json}]}',
        '',
      ].join('\n'),
      'le.json': Buffer.from(`\ufeff${json}`, 'utf16le'),
      'be.json': utf16be,
      'bare.json': Buffer.from(json, 'utf16le'),
    });
    const { stdout } = await check(dir, ['--format', 'json']);
    expect(JSON.parse(stdout).errors).toEqual([
      {
        source: 'le.json',
        env: 'le',
        file: 'le.json',
        line: 1,
        column: 1,
        message: 'the file is UTF-16 (little-endian, it starts with a byte order mark); save it as UTF-8',
      },
      {
        source: 'be.json',
        env: 'be',
        file: 'be.json',
        line: 1,
        column: 1,
        message: 'the file is UTF-16 (big-endian, it starts with a byte order mark); save it as UTF-8',
      },
      {
        source: 'bare.json',
        env: 'bare',
        file: 'bare.json',
        line: 1,
        column: 1,
        message:
          'the file has NUL bytes beside its characters: it is UTF-16 without a byte order mark; save it as UTF-8',
      },
    ]);
    const config = project({ 'driftwatch.yaml': Buffer.from(`\ufeff${ENV_A}`, 'utf16le') });
    expect((await check(config)).stderr).toBe(
      'error: driftwatch.yaml:1:1: the file is UTF-16 (little-endian, it starts with a byte order mark); save it as UTF-8\n',
    );
  });

  it('a rule pack glob that matches no file says which glob, where it is written and where it looked', async () => {
    const dir = project({
      'driftwatch.yaml': `${ENV_A}rules: [driftwatch:recommended, rules/*.yaml]\n`,
      'a.env': 'A=1\n',
    });
    const { stderr } = await check(dir);
    expect(stderr).toBe(
      `error: driftwatch.yaml:4:33: rules[1]: the rule pack glob 'rules/*.yaml' matched no files in ${dir} (rule pack paths are relative to driftwatch.yaml)\n`,
    );
  });
});
