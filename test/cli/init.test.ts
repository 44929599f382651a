import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { run } from './io.js';
import { expectCleanFailure, project } from './project.js';

const LAYOUT = {
  'config/default.json': '{"db": {"pool": 10}, "features": {"beta": false}}\n',
  'config/staging.json': '{"db": {"host": "db.staging"}}\n',
  'config/production.json': '{"db": {"host": "db.production", "pool": 50}}\n',
  'config/database.yml': 'adapter: postgres\n',
  '.env.production': 'TZ=UTC\n',
  'src/server.js': "const host = config.get('db.host');\n",
};

const EXPECTED_CONFIG = `# A starting point, written by driftwatch init from the layout of this repository.
# Sources are merged in order, later ones win. Check it, then run
# driftwatch snapshot --all to see what it reads.

version: 1
environments:
  # node-config config/staging.json over config/default.json
  staging:
    sources:
      - path: config/default.json
      - path: config/staging.json
  # node-config config/production.json over config/default.json
  # dotenv .env.production
  production:
    sources:
      - path: config/default.json
      - path: config/production.json
      - path: .env.production
rules: [driftwatch:recommended]
# Code seen: 1 file (.js 1) in src/**. Where it reads configuration, for stale and missing keys.
references:
  include: [src/**]

# Not placed in any environment (add them by hand where they belong):
#   config/database.yml: 'database' is not a name environments go by; add it to one by hand
`;

const EXPECTED_SUMMARY = [
  'staging: 2 sources',
  '  node-config config/staging.json over config/default.json',
  'production: 3 sources',
  '  node-config config/production.json over config/default.json',
  '  dotenv .env.production',
  'references: 1 file (.js 1) in src/**',
  'not placed (1):',
  "  config/database.yml: 'database' is not a name environments go by; add it to one by hand",
];

describe('cli/init', () => {
  it('writes driftwatch.yaml with the evidence as comments, says what it found, and the config snapshots', async () => {
    const dir = project(LAYOUT);
    const result = await run(dir, ['init']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      ...EXPECTED_SUMMARY,
      'Wrote driftwatch.yaml with 2 environments; run driftwatch snapshot --all to see what it reads',
      '',
    ]);
    expect(readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8')).toBe(EXPECTED_CONFIG);
    // Written through a temporary file and a rename: nothing else is left behind.
    expect(readdirSync(dir).sort()).toEqual(['.env.production', 'config', 'driftwatch.yaml', 'src']);

    const snapshot = await run(dir, ['snapshot', '--env', 'production', '--format', 'json']);
    expect(snapshot.code).toBe(0);
    const entries = JSON.parse(snapshot.stdout).snapshots[0].entries as { key: string }[];
    const keys = entries.map((entry) => entry.key).sort();
    expect(keys).toEqual(['TZ', 'db.host', 'db.pool', 'features.beta']);
    expect((await run(dir, ['refs'])).code).toBe(0);
  });

  it('never overwrites an existing file without --force', async () => {
    const dir = project({ ...LAYOUT, 'driftwatch.yaml': 'version: 1 # mine\n' });
    const refused = await run(dir, ['init']);
    expectCleanFailure(refused);
    expect(refused.stderr).toBe(
      'error: driftwatch.yaml already exists: --force replaces it, --dry-run prints the new one instead\n',
    );
    expect(refused.stdout).toBe('');
    expect(readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8')).toBe('version: 1 # mine\n');

    const forced = await run(dir, ['init', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8')).toBe(EXPECTED_CONFIG);
  });

  it('--dry-run prints the file on standard output, what it found on standard error, and writes nothing', async () => {
    const dir = project({ ...LAYOUT, 'driftwatch.yaml': 'version: 1 # mine\n' });
    const result = await run(dir, ['init', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(EXPECTED_CONFIG);
    expect(result.stderr.split('\n')).toEqual([...EXPECTED_SUMMARY, '']);
    expect(readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8')).toBe('version: 1 # mine\n');
    expect(parseConfig(result.stdout, path.join(dir, 'x.yaml')).environments.map((env) => env.name)).toEqual([
      'staging',
      'production',
    ]);
  });

  it('-c writes into a folder of the repository, with paths relative to it', async () => {
    const dir = project({ 'service/.env.staging': 'A=1\n', 'service/.env.production': 'A=2\n', '.env.qa': 'A=3\n' });
    const result = await run(dir, ['init', '-c', 'service/driftwatch.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').at(-2)).toBe(
      'Wrote service/driftwatch.yaml with 2 environments; run driftwatch snapshot --all -c service/driftwatch.yaml to see what it reads',
    );
    const written = readFileSync(path.join(dir, 'service', 'driftwatch.yaml'), 'utf8');
    expect(written).toContain('      - path: .env.staging\n');
    expect(written).not.toContain('qa');
    expect((await run(dir, ['snapshot', '--all', '-c', 'service/driftwatch.yaml'])).code).toBe(0);
  });

  it('never writes outside the current folder, not even through a link', async () => {
    const dir = project({ 'repo/.env.staging': 'A=1\n' });
    const repo = path.join(dir, 'repo');
    const above = await run(repo, ['init', '-c', '../driftwatch.yaml']);
    expectCleanFailure(above);
    expect(above.stderr).toBe('error: ../driftwatch.yaml: init writes inside the current folder, not outside it\n');

    const elsewhere = mkdtempSync(path.join(tmpdir(), 'driftwatch-init-elsewhere-'));
    try {
      symlinkSync(elsewhere, path.join(repo, 'link'));
      const linked = await run(repo, ['init', '-c', 'link/driftwatch.yaml']);
      expectCleanFailure(linked);
      expect(linked.stderr).toBe(
        'error: link/driftwatch.yaml: its folder links outside the current folder; init writes only inside it\n',
      );
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(readdirSync(dir).sort()).toEqual(['repo']);
  });

  it('finds nothing: says so and what it saw, exits 2 and writes nothing', async () => {
    const dir = project({ '.env': 'A=1\n', 'README.md': '# app\n' });
    const result = await run(dir, ['init']);
    expectCleanFailure(result);
    expect(result.stdout.split('\n')).toEqual([
      'not placed (1):',
      '  .env: a .env with no .env.<env> beside it: which environment it is, is not said',
      '',
    ]);
    expect(result.stderr).toBe(
      'error: found no environments in a layout driftwatch knows; nothing written (write driftwatch.yaml by hand: see the README)\n',
    );
    expect(readdirSync(dir).sort()).toEqual(['.env', 'README.md']);
  });

  it('a folder that is not there, or a folder named as the file, is a clean error', async () => {
    const dir = project({ '.env.staging': 'A=1\n', 'deploy/.env.production': 'A=2\n' });
    const result = await run(dir, ['init', '-c', 'missing/driftwatch.yaml']);
    expectCleanFailure(result);
    expect(result.stderr).toBe('error: cannot write missing/driftwatch.yaml: the folder missing does not exist\n');
    const folder = await run(dir, ['init', '--force', '-c', 'deploy']);
    expectCleanFailure(folder);
    expect(folder.stderr).toBe('error: deploy is a folder: name the file to write, e.g. deploy/driftwatch.yaml\n');
  });
});

describe('cli/init: secrets', () => {
  const CANARY = 'canary-secret-generator-81b2';
  const ENV_CANARY = 'canary-init-env-value-4d17';
  const temporary: string[] = [];
  afterEach(() => {
    for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("a secretGenerator's values are in no output of init, and the config it writes does not read them", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-init-secrets-'));
    temporary.push(dir);
    const overlay = path.join(dir, 'overlays', 'production');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(
      path.join(overlay, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'configMapGenerator: [{name: app, envs: [app.env]}]',
        'secretGenerator: [{name: db, envs: [production.env]}]',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(overlay, 'app.env'), `WELCOME_TEXT=${ENV_CANARY}\n`);
    // A key name that does not look secret: only the generator says it is.
    writeFileSync(path.join(overlay, 'production.env'), `WELCOME=${CANARY}\n`);
    const init = await run(dir, ['init']);
    const dry = await run(dir, ['init', '--dry-run']);
    const snapshot = await run(dir, ['snapshot', '--all']);
    expect([init.code, dry.code, snapshot.code]).toEqual([0, 0, 0]);
    const written = readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8');
    for (const text of [init.stdout, init.stderr, dry.stdout, dry.stderr, written]) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(ENV_CANARY);
    }
    expect(snapshot.stdout + snapshot.stderr).not.toContain(CANARY);
    expect(snapshot.stdout).toContain('app.WELCOME_TEXT');
  });
});
