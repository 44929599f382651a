import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { SQLITE_STORE_PATH } from '../../src/store/sqlite-store-path.js';
import { run as runCli } from '../cli/io.js';
import { ACTION_NODE, actionCheckout, actionNodeVersion, runBundledAction } from './bundled-action.js';

/** Planted in a password and in an environment variable a source reads: neither may leave. */
const CANARIES = { password: 'canary-action-pass-4d1e9b', fromEnv: 'canary-action-env-7c20aa' };
/** What the drifting repository's `env` source reads: a token, sensitive by its name. */
const RUNNER_ENV = { RELEASE_TOKEN: CANARIES.fromEnv };

const version = await actionNodeVersion();
if (!version.startsWith('v24.')) {
  console.warn(
    `test/action: no Node 24 named in DRIFTWATCH_TEST_NODE24; the bundle runs on ${version} (${ACTION_NODE})`,
  );
}

const temporary: string[] = [];
let checkout = '';

beforeAll(() => {
  const copy = actionCheckout();
  checkout = copy.dir;
  temporary.push(copy.dir);
});
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A git repository holding these files: the checkout a workflow's step runs in. */
function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-action-repo-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  execFileSync('git', ['init', '--quiet'], { cwd: dir });
  return dir;
}

/**
 * Thirteen flags staging has and production lacks and a token only production has (parity warnings), a
 * password in both files (plaintext warnings, and a notice that they differ), two legacy keys in production (errors).
 */
function driftingFiles(prefix = ''): Record<string, string> {
  const flags = Array.from({ length: 13 }, (_, index) => `FEATURE_${index + 1}=on`);
  return {
    [`${prefix}driftwatch.yaml`]: [
      'version: 1',
      'environments:',
      '  staging: {sources: [{path: staging.env}]}',
      '  production: {sources: [{path: production.env}, {env: {only: RELEASE_}}]}',
      'rules: [driftwatch:recommended, rules.yaml]',
    ].join('\n'),
    [`${prefix}rules.yaml`]: [
      'rules:',
      '  - {id: no-legacy, kind: forbid, keys: ["LEGACY_*"], severity: error, message: Legacy keys are gone.}',
      '  - {id: same-password, kind: equal, keys: ["*_PASSWORD"], severity: notice}',
    ].join('\n'),
    [`${prefix}staging.env`]: [`API_PASSWORD=${CANARIES.password}`, ...flags].join('\n'),
    [`${prefix}production.env`]: [`API_PASSWORD=${CANARIES.password}-prod`, 'LEGACY_TOKEN_URL=x', 'LEGACY_HOST=y'].join(
      '\n',
    ),
  };
}

function annotations(stdout: string, level: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith(`::${level} `) || line.startsWith(`::${level}::`));
}

function expectNoCanary(text: string, where: string): void {
  for (const [kind, canary] of Object.entries(CANARIES))
    expect(text.includes(canary), `${kind} in ${where}`).toBe(false);
}

describe(`the bundled GitHub Action on Node ${version}`, () => {
  it('annotates, summarises, sets outputs, writes SARIF and fails on errors, as driftwatch check does', async () => {
    const repo = repository(driftingFiles());
    const run = await runBundledAction(checkout, repo, { sarif: 'driftwatch.sarif' }, RUNNER_ENV);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.outputs['report-contents'] as string) as Report;
    expect(report.summary).toEqual({ error: 2, warning: 16, notice: 1 });
    expect({ errors: run.outputs.errors, warnings: run.outputs.warnings, notices: run.outputs.notices }).toEqual({
      errors: '2',
      warnings: '16',
      notices: '1',
    });

    // Ten warnings at most: nine findings and one that says how many more there are.
    const warnings = annotations(run.stdout, 'warning');
    expect(warnings).toHaveLength(10);
    expect(warnings.at(-1)).toBe(
      '::warning title=driftwatch::… and 7 more warnings not annotated (GitHub shows 10 of each level per step); the job summary lists them all',
    );
    expect(annotations(run.stdout, 'error')).toHaveLength(2);
    expect(annotations(run.stdout, 'error')[0]).toMatch(
      /^::error file=production\.env,line=\d+,col=\d+,title=no-legacy%3A /,
    );
    expect(annotations(run.stdout, 'notice')).toHaveLength(1);
    expect(run.stdout).toContain('driftwatch: 2 errors, 16 warnings, 1 notice across staging, production\n');

    expect(
      run.summary.startsWith('<!-- driftwatch-report -->\n\n## ❌ driftwatch: 2 errors, 16 warnings, 1 notice\n'),
    ).toBe(true);
    expect(run.summary).toContain('### Warnings (16)');
    expect(run.summary).toContain('| `no-legacy` | `LEGACY_HOST` | production | Legacy keys are gone.');

    const sarif = JSON.parse(readFileSync(path.join(repo, 'driftwatch.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(19);

    // The canaries were read: findings name the keys that hold them.
    expect(report.findings.map((finding) => finding.key)).toEqual(
      expect.arrayContaining(['API_PASSWORD', 'RELEASE_TOKEN']),
    );
    for (const [where, text] of Object.entries({
      stdout: run.stdout,
      summary: run.summary,
      outputs: run.outputFile,
      report: run.outputs['report-contents'] as string,
      sarif: readFileSync(path.join(repo, 'driftwatch.sarif'), 'utf8'),
    })) {
      expectNoCanary(text, where);
    }
  });

  it('passes with fail-on: never, and fails on warnings with fail-on: warning', async () => {
    const files = driftingFiles();
    files['production.env'] = `API_PASSWORD=${CANARIES.password}-prod`;
    const repo = repository(files);
    expect((await runBundledAction(checkout, repo, { 'fail-on': 'never' }, RUNNER_ENV)).code).toBe(0);
    expect((await runBundledAction(checkout, repo, { 'fail-on': 'error' }, RUNNER_ENV)).code).toBe(0);
    expect((await runBundledAction(checkout, repo, { 'fail-on': 'warning' }, RUNNER_ENV)).code).toBe(1);
  });

  it('checks only the environments named, and reads config, baseline and SARIF paths from working-directory', async () => {
    const repo = repository({
      ...driftingFiles('services/ledger/'),
      'services/ledger/baseline.json': JSON.stringify({ version: 1, findings: [] }),
    });
    const run = await runBundledAction(
      checkout,
      repo,
      {
        'working-directory': 'services/ledger',
        environments: 'production',
        baseline: 'baseline.json',
        sarif: 'out.sarif',
      },
      RUNNER_ENV,
    );
    const report = JSON.parse(run.outputs['report-contents'] as string) as Report;
    expect(report.environments.map((environment) => environment.name)).toEqual(['production']);
    expect(run.code).toBe(1);
    // Annotations name files from the root of the repository, where pull requests attach them.
    expect(annotations(run.stdout, 'error')[0]).toContain('file=services/ledger/production.env,');
    expect(existsSync(path.join(repo, 'services/ledger/out.sarif'))).toBe(true);
  });

  it('keeps the job summary within 1 MiB, and says where the rest of a huge report is', async () => {
    const keys = Array.from(
      { length: 6000 },
      (_, index) => `ONLY_IN_STAGING_${String(index).padStart(5, '0')}_${'x'.repeat(60)}=1`,
    );
    const repo = repository({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: staging.env}]}',
        '  production: {sources: [{path: production.env}]}',
      ].join('\n'),
      'staging.env': [...keys, 'SHARED=1'].join('\n'),
      'production.env': 'SHARED=1',
    });
    const run = await runBundledAction(checkout, repo, { 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.outputs.warnings).toBe('6000');
    expect(Buffer.byteLength(run.summary, 'utf8')).toBeLessThanOrEqual(1024 * 1024);
    expect(Buffer.byteLength(run.summary, 'utf8')).toBeGreaterThan(1000 * 1024);
    expect(run.summary).toMatch(/> The report is cut here, \d+ lines before its end: it is \d+\.\d MiB/);
    expect(annotations(run.stdout, 'warning')).toHaveLength(10);
    const report = JSON.parse(run.outputs['report-contents'] as string) as Report;
    expect(report.findings).toHaveLength(6000);
  });

  it('fails closed with exit 2 on a bad input, naming it, before reading anything', async () => {
    const repo = repository(driftingFiles());
    const run = await runBundledAction(checkout, repo, { 'fail-on': 'sometimes' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "::error title=driftwatch could not run the check::input 'fail-on' is 'sometimes'; expected one of error, warning, notice, never",
    );
    expect(run.outputs).toEqual({});
  });

  it('fails closed with exit 2 on a broken config, annotated at its line, without a stack trace', async () => {
    const repo = repository({
      'driftwatch.yaml': ['version: 1', 'environments:', '  staging: {sources: [{path: staging.env}]', ''].join('\n'),
      'staging.env': 'A=1',
    });
    const run = await runBundledAction(checkout, repo, {});
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error title=driftwatch could not run the check,file=driftwatch\.yaml,line=\d+/m);
    expect(run.stdout).not.toMatch(/internal error|\n\s+at /);
    expect(run.summary).toContain('## ❌ driftwatch: the check could not be run');
  });

  it('fails closed with exit 2 on an unreadable source, with the report still written', async () => {
    const repo = repository({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: staging.env}]}',
        '  production: {sources: [{path: missing.env}]}',
      ].join('\n'),
      'staging.env': 'A=1',
    });
    const run = await runBundledAction(checkout, repo, { sarif: 'driftwatch.sarif' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('driftwatch: the check could not be completed (1 source error)');
    expect(run.summary).toContain('## ❌ driftwatch: the check could not be completed');
    expect(existsSync(path.join(repo, 'driftwatch.sarif'))).toBe(true);
  });

  // The history is written by the CLI under the suite's Node (better-sqlite3 on Node 20) and read by the bundle.
  async function repositoryWithHistory(): Promise<string> {
    const repo = repository(driftingFiles());
    const stored = await runCli(repo, ['snapshot', '--all', '--store'], RUNNER_ENV);
    expect(stored.code, stored.stderr).toBe(0);
    return repo;
  }

  it.runIf(version.startsWith('v24.'))(
    'reads a SQLite history beside the config through node:sqlite: each finding says since when',
    async () => {
      const repo = await repositoryWithHistory();
      const run = await runBundledAction(checkout, repo, {}, RUNNER_ENV);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      const report = JSON.parse(run.outputs['report-contents'] as string) as Report;
      expect(report.summary).toEqual({ error: 2, warning: 16, notice: 1 });
      // One snapshot in the history: every finding was first seen in it.
      const firstSeen = new Set(report.findings.map((finding) => finding.firstSeen));
      expect([...firstSeen]).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\d$/)]);
      expectNoCanary(readFileSync(path.join(repo, SQLITE_STORE_PATH)).toString('latin1'), 'the history file');
    },
  );

  it.skipIf(version.startsWith('v24.'))(
    'on a Node before 24, refuses a SQLite history it has no driver for rather than checking without it',
    async () => {
      const repo = await repositoryWithHistory();
      const run = await runBundledAction(checkout, repo, {}, RUNNER_ENV);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('SQLite needs Node.js 24.15 or later (node:sqlite)');
      expect(run.stdout).not.toMatch(/Require stack|\n\s+at /);
    },
  );
});
