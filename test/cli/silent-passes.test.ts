import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './io.js';
import { expectCleanFailure, project } from './project.js';

/** Two environments; production reads `source` (a YAML flow map), staging a plain file with a key. */
function configWith(source: string): string {
  return `version: 1\nenvironments:\n  staging: {sources: [{path: staging.env}]}\n  production:\n    sources:\n      - ${source}\n`;
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    const bodies: Record<string, [string, Buffer]> = {
      '/empty-map': ['application/json', Buffer.from('{}')],
      '/latin1': ['text/plain', Buffer.from([0x41, 0x3d, 0x63, 0x61, 0x66, 0xe9, 0x0a])],
    };
    const [type, body] = bodies[request.url ?? ''] ?? ['text/plain', Buffer.from('A=1\n')];
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('cli: a source with no keys fails closed', () => {
  const empties: Record<string, string> = {
    'an empty file': '',
    'a comment-only file': '# nothing here yet\n# (production values go here)\n',
    'a lone document marker': '---\n',
    'a null document': '~\n',
    'an empty map': '{}\n',
  };
  for (const [what, text] of Object.entries(empties)) {
    it(`refuses ${what} with exit 2, naming the file`, async () => {
      const dir = project({
        'driftwatch.yaml': configWith('path: production.yaml'),
        'staging.env': 'A=1\n',
        'production.yaml': text,
      });
      const result = await run(dir, ['check']);
      expectCleanFailure(result);
      expect(result.stdout).toContain(
        "error: production.yaml: no keys: the document is empty, only comments, or an empty map or list ('---', '~', '{}'); if it may be empty, set 'allowEmpty: true' on the source",
      );
      expect(result.stdout).not.toContain('No drift found');
    });
  }

  it('refuses an empty dotenv file and a URL answering {}', async () => {
    const dotenv = project({
      'driftwatch.yaml': configWith('path: production.env'),
      'staging.env': 'A=1\n',
      'production.env': '\n',
    });
    const fromFile = await run(dotenv, ['check', '--format', 'json']);
    expectCleanFailure(fromFile);
    expect(JSON.parse(fromFile.stdout).errors).toEqual([
      expect.objectContaining({ env: 'production', source: 'production.env', file: 'production.env' }),
    ]);

    const url = project({ 'driftwatch.yaml': configWith(`url: ${base}/empty-map`), 'staging.env': 'A=1\n' });
    const fromUrl = await run(url, ['check']);
    expectCleanFailure(fromUrl);
    expect(fromUrl.stdout).toContain(`error: ${base}/empty-map: no keys`);
  });

  it('accepts an empty source that says allowEmpty: true', async () => {
    const dir = project({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: staging.env}, {path: overrides.yaml, allowEmpty: true}]}',
        '  production: {sources: [{path: staging.env}]}',
      ].join('\n'),
      'staging.env': 'A=1\n',
      'overrides.yaml': '# no overrides in staging\n',
    });
    const result = await run(dir, ['check', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).errors).toEqual([]);
  });
});

describe('cli: text that is not UTF-8 fails closed', () => {
  const latin1 = Buffer.concat([Buffer.from('A=1\nPASSWORD=caf'), Buffer.from([0xe9]), Buffer.from('\n')]);

  it('refuses a file with invalid UTF-8, naming its line', async () => {
    const dir = project({
      'driftwatch.yaml': configWith('path: production.env'),
      'staging.env': 'A=1\n',
      'production.env': latin1,
    });
    const result = await run(dir, ['check']);
    expectCleanFailure(result);
    expect(result.stdout).toContain('error: production.env:2:13: not valid UTF-8 here;');
  });

  it('refuses invalid UTF-8 from a URL, a command and a git blob alike', async () => {
    const command = `command: [${JSON.stringify(process.execPath)}, -e, "process.stdout.write(Buffer.from([0x41,0x3d,0xff,0x0a]))"]`;
    for (const [source, column] of [
      [`url: ${base}/latin1`, 6],
      [command, 3],
    ] as const) {
      const dir = project({ 'driftwatch.yaml': configWith(source), 'staging.env': 'A=1\n' });
      const result = await run(dir, ['check', '--format', 'json']);
      expectCleanFailure(result);
      const [error] = JSON.parse(result.stdout).errors;
      expect(error, source).toMatchObject({ line: 1, column });
      expect(error.message).toMatch(/^not valid UTF-8 here/);
    }

    const dir = project({
      'driftwatch.yaml': configWith('{git: HEAD, path: production.env}'),
      'staging.env': 'A=1\n',
      'production.env': latin1,
    });
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'config');
    const fromGit = await run(dir, ['check', '--format', 'json']);
    expectCleanFailure(fromGit);
    expect(JSON.parse(fromGit.stdout).errors[0]).toMatchObject({ file: 'production.env', line: 2, column: 13 });
  });

  it('reads Latin-1 on purpose with encoding: latin1', async () => {
    const dir = project({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: staging.env, encoding: latin1}]}',
        `  production: {sources: [{url: "${base}/latin1", format: dotenv, encoding: latin1}]}`,
      ].join('\n'),
      'staging.env': Buffer.from([0x41, 0x3d, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
    });
    const result = await run(dir, ['diff', 'staging', 'production']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('staging (1 key) vs production (1 key): no differences.\n');
    const snapshot = await run(dir, ['snapshot', '--env', 'staging', '--format', 'json']);
    expect(JSON.parse(snapshot.stdout).snapshots[0].entries[0].value).toBe('café');
  });
});

describe('cli: path sources have a size limit', () => {
  it('refuses a file past maxBytes with exit 2, naming it', async () => {
    const dir = project({
      'driftwatch.yaml': configWith('{path: production.yaml, maxBytes: 1KiB}'),
      'staging.env': 'A=1\n',
      'production.yaml': `a: "${'x'.repeat(2000)}"\n`,
    });
    const result = await run(dir, ['snapshot', '--env', 'production']);
    expectCleanFailure(result);
    expect(result.stderr).toContain(
      'error: [production] production.yaml: the file is 2006 bytes, larger than 1KiB (maxBytes); raise maxBytes on the source if it really is configuration\n',
    );
  });
});

describe('cli: an allowance naming a rule that does not exist', () => {
  const config = (rules: string) =>
    `version: 1\nenvironments:\n  staging: {sources: [{path: staging.env}]}\n  production: {sources: [{path: production.env}]}\nrules: [driftwatch:recommended, rules.yaml]\n${rules}`;

  it('is a config error at the pack and line of the allowance, with the likely rule', async () => {
    const dir = project({
      'driftwatch.yaml': config(''),
      'staging.env': 'A=1\n',
      'production.env': 'A=1\n',
      'rules.yaml': [
        'rules:',
        '  - {id: same-a, kind: equal, keys: [A]}',
        '  - id: shared-on-purpose',
        '    kind: allow',
        '    keys: [A]',
        '    rules: [no-shared-secret]',
        '    reason: both read one vault',
        '  - {id: typo, kind: allow, keys: [A], rules: [zzz-nothing-like-it], reason: x}',
      ].join('\n'),
    });
    const result = await run(dir, ['check']);
    expectCleanFailure(result);
    expect(result.stderr).toBe(
      [
        "error: rules.yaml:3: rule 'shared-on-purpose' (allow): rules: no rule 'no-shared-secret' is defined; did you mean 'no-shared-secrets'?",
        "error: rules.yaml:8: rule 'typo' (allow): rules: no rule 'zzz-nothing-like-it' is defined; the rules are no-plaintext-secrets, no-shared-secrets, parity, removed-elsewhere, retired-keys, same-a, shared-on-purpose, typo",
        '',
      ].join('\n'),
    );
  });

  it('accepts rules from every pack and the built-in read-but-missing', async () => {
    const dir = project({
      'driftwatch.yaml': config('references: {include: ["src/**"]}\n'),
      'staging.env': 'A=1\n',
      'production.env': 'A=1\n',
      'src/app.js': 'process.env.A;\n',
      'rules.yaml':
        'rules:\n  - {id: quiet, kind: allow, keys: ["**"], rules: [parity, read-but-missing], reason: x}\n',
    });
    expect((await run(dir, ['check'])).code).toBe(0);
  });
});

describe('cli: check says what no rule looked at instead of "No drift found"', () => {
  const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../schema/report.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  const files = (rules: string) => ({
    'driftwatch.yaml': `version: 1\nenvironments:\n  staging: {sources: [{path: staging.env}]}\n  production: {sources: [{path: production.env}]}\nrules: [${rules}]\n`,
    'staging.env': 'A=1\nB=x\nC=same\n',
    'production.env': 'A=2\nB=y\nC=same\n',
    'rules.yaml':
      'rules:\n  - {id: same-a, kind: equal, keys: [A], severity: warning}\n  - {id: b-differs, kind: allow, keys: [B], reason: by design}\n',
  });

  it('with the recommended pack, the changed values are counted and the command to see them named', async () => {
    const dir = project(files('driftwatch:recommended'));
    const text = await run(dir, ['check']);
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe(
      'No rule failed across staging, production; 2 values differ between staging and production without a rule (driftwatch diff staging production).',
    );
    expect(text.stdout).not.toContain('No drift found');

    const json = await run(dir, ['check', '--format', 'json']);
    const report = JSON.parse(json.stdout);
    expect(report.unchecked).toEqual({ values: 2, missing: 0, envs: ['staging', 'production'] });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('beside findings, says it on a line of its own', async () => {
    const dir = project({
      ...files('driftwatch:recommended, rules.yaml'),
      'rules.yaml': 'rules:\n  - {id: same-a, kind: equal, keys: [A], severity: warning}\n',
    });
    const text = await run(dir, ['check']);
    expect(text.stdout).toContain(
      '\n\nNot checked: 1 value differs between staging and production without a rule (driftwatch diff staging production).\n\n0 errors, 1 warning, 0 notices\n',
    );
  });

  it('says "No drift found" only when every difference was judged', async () => {
    const dir = project({ ...files('driftwatch:recommended, rules.yaml'), 'production.env': 'A=1\nB=y\nC=same\n' });
    const text = await run(dir, ['check']);
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('No drift found across staging, production.');
    const report = JSON.parse((await run(dir, ['check', '--format', 'json'])).stdout);
    expect(report.unchecked).toBeUndefined();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });
});
