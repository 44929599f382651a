import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { openTreeWorkspace } from '../../src/check/workspace.js';
import { githubReporter } from '../../src/report/github.js';
import { jsonReporter } from '../../src/report/json.js';
import { sarifReporter } from '../../src/report/sarif.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';
import { run } from '../cli/io.js';
import { reportSchemaErrors } from '../helpers/report-schema.js';

const execFileAsync = promisify(execFile);

/** The real git, configured by flags so no global or CI configuration matters. */
async function git(cwd: string, ...args: string[]): Promise<void> {
  await execFileAsync(
    'git',
    ['-c', 'user.name=driftwatch', '-c', 'user.email=driftwatch@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd },
  );
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

/** The monorepo of the issue: the ledger service keeps its driftwatch.yaml in services/ledger/. */
const LEDGER_CONFIG = `version: 1
environments:
  staging:
    sources:
      - path: [../shared/base.yaml, config/staging.yaml]
  production:
    sources:
      - path: ../shared/base.yaml
      - git: production
        path: config/production.yaml
      - env: {only: LEDGER_}
rules: [rules/*.yaml]
`;
const LEDGER_PACK = `rules:
  - {id: same-pool, kind: equal, keys: [db.pool]}
  - {id: no-legacy, kind: forbid, keys: [legacy.*, LEDGER_LEGACY]}
  - {id: region-set, kind: require, keys: [region]}
`;
const LEDGER_FILES = {
  'services/ledger/driftwatch.yaml': LEDGER_CONFIG,
  'services/ledger/rules/ledger.yaml': LEDGER_PACK,
  'services/ledger/config/staging.yaml': 'db:\n  pool: 5\n',
  'services/shared/base.yaml': 'db:\n  host: db.internal\nregion: eu\n',
};

const severities = (findings: readonly { rule: string }[]) => findings.map((finding) => finding.rule);

describe('check/place-in-repository: files named from the repository root', () => {
  let root: string;
  let repo: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-place-'));
    repo = path.join(root, 'monorepo');
    await mkdir(repo);
    await git(repo, 'init', '--quiet', '--initial-branch=main');
    await writeFiles(repo, LEDGER_FILES);
    await git(repo, 'add', '.');
    await git(repo, 'commit', '--quiet', '-m', 'ledger');
    await git(repo, 'checkout', '--quiet', '-b', 'production');
    await writeFiles(repo, { 'services/ledger/config/production.yaml': 'db:\n  pool: 20\nlegacy:\n  token: x\n' });
    await git(repo, 'add', '.');
    await git(repo, 'commit', '--quiet', '-m', 'production settings');
    await git(repo, 'checkout', '--quiet', 'main');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const ledger = () => path.join(repo, 'services', 'ledger');
  const env = { LEDGER_LEGACY: 'on' };

  it("the html report's matrix names files as the findings do", async () => {
    const result = await run(ledger(), ['check', '--format', 'html'], env);
    expect(result.code).toBe(1);
    const data = /id="matrix-data">([^<]*)</.exec(result.stdout)?.[1] ?? '';
    expect(JSON.parse(data).files.sort()).toEqual([
      'env',
      'services/ledger/config/production.yaml',
      'services/ledger/config/staging.yaml',
      'services/shared/base.yaml',
    ]);
  });

  it('JSON, SARIF and annotations point at services/ledger/..., also for a git: source', async () => {
    const result = await run(ledger(), ['check', '--format', 'json'], env);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(reportSchemaErrors(report)).toEqual([]);
    const locations = Object.fromEntries(
      report.findings.map((finding: { rule: string; key: string; locations: unknown[] }) => [
        `${finding.rule} ${finding.key}`,
        finding.locations,
      ]),
    );
    expect(locations).toEqual({
      'same-pool db.pool': [
        { env: 'staging', file: 'services/ledger/config/staging.yaml', line: 2, column: 9 },
        { env: 'production', file: 'services/ledger/config/production.yaml', line: 2, column: 9 },
      ],
      'no-legacy legacy.token': [
        { env: 'production', file: 'services/ledger/config/production.yaml', line: 4, column: 10 },
      ],
      // The process environment is not a file: named as itself.
      'no-legacy LEDGER_LEGACY': [{ env: 'production', file: 'env' }],
    });
    // What the config wrote stays as it wrote it: the source labels.
    expect(report.environments[1].sources.map((source: { source: string }) => source.source)).toEqual([
      '../shared/base.yaml',
      'git:production:config/production.yaml',
      'env: LEDGER_*',
    ]);

    const sarif = JSON.parse((await run(ledger(), ['check', '--format', 'sarif'], env)).stdout);
    const uris = sarif.runs[0].results.map(
      (sarifResult: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        sarifResult.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    // The finding about the process environment sits on the config file, and says where its value came from.
    expect(uris).toEqual([
      'services/ledger/driftwatch.yaml',
      'services/ledger/config/staging.yaml',
      'services/ledger/config/production.yaml',
    ]);
    const fromEnv = sarif.runs[0].results[0];
    expect(fromEnv.properties.key).toBe('LEDGER_LEGACY');
    expect(fromEnv.locations[0].message).toEqual({ text: 'production: env' });
    expect(JSON.stringify(sarif)).not.toContain('%3A');

    const annotations = (await run(ledger(), ['check', '--format', 'github'], env)).stdout.split('\n');
    expect(annotations.filter((line) => line.startsWith('::error'))).toEqual([
      expect.stringMatching(
        /^::error title=no-legacy%3A LEDGER_LEGACY::LEDGER_LEGACY \(production\): .*%0Ain production: env$/,
      ),
      expect.stringMatching(
        /^::error file=services\/ledger\/config\/staging\.yaml,line=2,col=9,title=same-pool%3A db\.pool::.*%0Aalso in production: services\/ledger\/config\/production\.yaml:2:9$/,
      ),
      expect.stringMatching(/^::error file=services\/ledger\/config\/production\.yaml,line=4,col=10,title=no-legacy/),
    ]);
  });

  it('the text report names files from where it runs', async () => {
    const fromService = await run(ledger(), ['check'], env);
    expect(fromService.stdout).toContain('    production  config/production.yaml:4:10\n');
    expect(fromService.stdout).toContain('    staging     config/staging.yaml:2:9\n');
    const fromRoot = await run(repo, ['check', '-c', 'services/ledger/driftwatch.yaml'], env);
    expect(fromRoot.stdout).toContain('    production  services/ledger/config/production.yaml:4:10\n');
    const fromRules = await run(path.join(ledger(), 'rules'), ['check', '-c', '../driftwatch.yaml'], env);
    expect(fromRules.stdout).toContain('    production  ../config/production.yaml:4:10\n');
    expect(fromRules.stdout).toContain('    production  env\n');
  });

  it('unreadable files are errors at their repository path, in SARIF and annotations too', async () => {
    await writeFiles(repo, { 'services/ledger/config/staging.yaml': 'db:\n  pool: [5\n' });
    try {
      const json = JSON.parse((await run(ledger(), ['check', '--format', 'json'], env)).stdout);
      expect(json.errors).toEqual([
        expect.objectContaining({ env: 'staging', file: 'services/ledger/config/staging.yaml', line: 3 }),
      ]);
      const annotations = (await run(ledger(), ['check', '--format', 'github'], env)).stdout;
      expect(annotations).toMatch(/^::error file=services\/ledger\/config\/staging\.yaml,line=3,/);
      const text = await run(ledger(), ['check'], env);
      expect(text.stdout).toMatch(/^error: config\/staging\.yaml:3:\d+: /);
    } finally {
      await writeFiles(repo, {
        'services/ledger/config/staging.yaml': LEDGER_FILES['services/ledger/config/staging.yaml'],
      });
    }
  });

  it("without a repository, paths are from the config's folder", async () => {
    const plain = path.join(root, 'plain');
    await writeFiles(plain, {
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n  b: {sources: [{path: b.env}]}\n',
      'a.env': 'X=1\n',
      'b.env': 'Y=1\n',
    });
    const report = JSON.parse((await run(plain, ['check', '--format', 'json'])).stdout);
    expect(
      report.findings.flatMap((finding: { locations: { file: string }[] }) => finding.locations.map((l) => l.file)),
    ).toEqual(['a.env', 'b.env']);
  });

  it("a commit's tree, with driftwatch.yaml in services/ledger/, reads and names files the same way", async () => {
    const files = new Map<string, string>(Object.entries(LEDGER_FILES));
    files.set('services/ledger/config/staging.yaml', 'db:\n  pool: 5\nlegacy:\n  flag: true\n');
    files.set(
      'services/ledger/driftwatch.yaml',
      'version: 1\nenvironments:\n  staging: {sources: [{path: [../shared/base.yaml, "config/*.yaml"]}]}\nrules: [rules/*.yaml]\n',
    );
    const workspace = await openTreeWorkspace({
      files: memoryFileTree(files),
      configFile: 'services/ledger/driftwatch.yaml',
      dir: 'acme/monorepo@1a2b3c4',
      fingerprintKey: Buffer.alloc(32, 1),
      env: {},
    });
    expect(workspace.repositoryPrefix).toBe('services/ledger');
    const { report, incomplete } = await runCheck(workspace, { now: new Date('2026-12-01T00:00:00Z') });
    expect(incomplete).toBe(false);
    expect(severities(report.findings)).toEqual(['no-legacy']);
    expect(report.findings[0]?.locations).toEqual([
      { env: 'staging', file: 'services/ledger/config/staging.yaml', line: 4, column: 9, inRepository: true },
    ]);
    expect(report.configFile).toBe('services/ledger/driftwatch.yaml');
    expect(JSON.parse(jsonReporter(report, { color: false })).findings[0].locations).toEqual([
      { env: 'staging', file: 'services/ledger/config/staging.yaml', line: 4, column: 9 },
    ]);
    expect(githubReporter(report, { color: false })).toContain('file=services/ledger/config/staging.yaml,line=4');
    const sarif = JSON.parse(sarifReporter(report, { color: false }));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'services/ledger/config/staging.yaml',
      uriBaseId: '%SRCROOT%',
    });
  });
});
