import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { openTreeWorkspace } from '../../src/check/workspace.js';
import { alignSnapshots } from '../../src/compare/matrix.js';
import type { Problem } from '../../src/errors.js';
import { runRules } from '../../src/rules/engine.js';
import { parsePack } from '../../src/rules/load-packs.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';
import { snapshotOf } from '../helpers/snapshots.js';
import { brief } from './run.js';

const PACK =
  'rules: [{id: payments, kind: couple, when: ["src/payments/**"], require: ["payments.*", PAYMENTS_TOKEN]}]';

function runCouple(pack: string, base: Snapshot[], head: Snapshot[], files: string[]) {
  const problems: Problem[] = [];
  const loaded = parsePack(pack, 'rules/test.yaml', { environments: head.map((snapshot) => snapshot.env) }, problems);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join('\n'));
  return runRules(loaded, alignSnapshots(head), {
    now: new Date('2026-12-01T00:00:00Z'),
    changes: { files, base: alignSnapshots(base) },
  }).findings;
}

const base = [
  snapshotOf('staging', { 'payments.url': 'https://pay.staging', PAYMENTS_TOKEN: { secret: 's1' } }),
  snapshotOf('production', { 'payments.url': 'https://pay', PAYMENTS_TOKEN: { secret: 'p1' } }),
];

describe('rules/couple', () => {
  it('reports each required glob that did not change in an environment when the code it is coupled to changed', () => {
    const head = [
      snapshotOf('staging', { 'payments.url': 'https://pay-v2.staging', PAYMENTS_TOKEN: { secret: 's2' } }),
      snapshotOf('production', { 'payments.url': 'https://pay', PAYMENTS_TOKEN: { secret: 'p2' } }),
    ];
    const findings = runCouple(PACK, base, head, ['src/payments/client.ts', 'README.md']);
    expect(brief(findings)).toEqual([{ rule: 'payments', severity: 'error', key: 'payments.*', envs: ['production'] }]);
    expect(findings[0]?.message).toBe(
      'src/payments/client.ts changed, but no key matching payments.* changed in production (rule: when src/payments/** change, payments.* changes too)',
    );
    expect(findings[0]?.locations).toEqual([{ env: 'production', file: 'src/payments/client.ts' }]);
  });

  it('counts an added or removed key as a change, and a moved line as none', () => {
    const head = [
      snapshotOf('staging', {
        'payments.url': 'https://pay.staging',
        'payments.retries': 3,
        PAYMENTS_TOKEN: { secret: 's1' },
      }),
      snapshotOf('production', { PAYMENTS_TOKEN: { secret: 'p1' } }, 'moved.yaml'),
    ];
    const findings = runCouple(PACK, base, head, ['src/payments/client.ts']);
    expect(brief(findings)).toEqual([
      { rule: 'payments', severity: 'error', key: 'PAYMENTS_TOKEN', envs: ['production', 'staging'] },
    ]);
  });

  it('says nothing when the coupled code did not change, and names how many files did', () => {
    expect(runCouple(PACK, base, base, ['src/other.ts'])).toEqual([]);
    const files = [
      'src/payments/a.ts',
      'src/payments/b.ts',
      'src/payments/c.ts',
      'src/payments/d.ts',
      'src/payments/e.ts',
    ];
    const [finding] = runCouple(PACK.replace(', PAYMENTS_TOKEN', ''), base, base, files);
    expect(finding?.message).toMatch(
      /^src\/payments\/a\.ts, src\/payments\/b\.ts, src\/payments\/c\.ts and 2 more changed/,
    );
  });

  it('validates its fields when the pack loads', () => {
    const problems: Problem[] = [];
    parsePack(
      'rules:\n  - {id: c, kind: couple, when: ["../outside/**"], require: ["a..b"], keys: [x]}\n',
      'rules/bad.yaml',
      { environments: ['staging'] },
      problems,
    );
    expect(problems.map((problem) => `${problem.line}: ${problem.message}`)).toEqual([
      "2: rule 'c': when[0]: globs are relative to the config file and stay below it (no leading / and no ..)",
      "2: rule 'c': require[0]: invalid key glob 'a..b': empty segment",
      "2: rule 'c': unknown field 'keys'",
    ]);
  });

  it('is not checked outside a pull request, and the check says so instead of passing', async () => {
    const files = memoryFileTree(
      new Map([
        [
          'driftwatch.yaml',
          'version: 1\nenvironments:\n  staging: {sources: [{path: staging.env}]}\nrules: [rules.yaml]\n',
        ],
        ['rules.yaml', PACK],
        ['staging.env', 'PAYMENTS_TOKEN=x\n'],
      ]),
    );
    const workspace = await openTreeWorkspace({
      files,
      configFile: 'driftwatch.yaml',
      dir: 'repo',
      fingerprintKey: Buffer.alloc(32),
      env: {},
    });
    const run = await runCheck(workspace);
    expect(run.incomplete).toBe(false);
    expect(run.report.findings).toEqual([]);
    expect(run.notices).toEqual([
      {
        file: 'rules.yaml',
        line: 1,
        message:
          "rule 'payments' (couple) compares a pull request's changes with its base; outside a pull request it has nothing to compare and was not checked",
      },
    ]);
  });
});
