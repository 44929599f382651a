import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { alignSnapshots } from '../../src/compare/matrix.js';
import type { Problem } from '../../src/errors.js';
import type { ReferenceIndex } from '../../src/references/scan.js';
import { runRules } from '../../src/rules/engine.js';
import { parsePack } from '../../src/rules/load-packs.js';
import { run } from '../cli/io.js';
import { snapshotOf } from '../helpers/snapshots.js';
import { brief, runPack } from './run.js';

const dev = snapshotOf('dev', { 'company.default.web.id': 1, 'company.default.web.name': 'acme', TZ: 'UTC' });
const prod = snapshotOf('prod', { 'company.default.web.id': 2, 'company.default.web.name': 'acme', TZ: 'UTC' });

function reads(names: readonly string[]): ReferenceIndex {
  return {
    references: new Map(names.map((name) => [name, [{ file: 'src/app.ts', line: 1, column: 1, style: 'env' }]])),
    unresolvable: [],
    skipped: { binary: 0, minified: 0, tooLarge: 0, unreadable: 0 },
    files: 1,
    bytes: 10,
  };
}

describe('rules whose keys match nothing', () => {
  it('reports a misspelt glob as a warning naming the rule, its pack:line and the glob', () => {
    const pack = 'rules:\n  - {id: same-company, kind: equal, keys: ["compnay.default.*"]}\n';
    const findings = runPack(pack, [dev, prod]);
    expect(brief(findings)).toEqual([
      { rule: 'same-company', severity: 'warning', key: 'compnay.default.*', envs: ['dev', 'prod'] },
    ]);
    expect(findings[0]?.message).toBe(
      "rule 'same-company' (rules/test.yaml:2): no key in dev or prod matches compnay.default.*, " +
        'so the rule checks nothing there; is the glob misspelt?',
    );
    expect(findings[0]?.ruleLocation).toEqual({ file: 'rules/test.yaml', line: 2 });
    expect(findings[0]?.kind).toBe('equal');
  });

  it('finds the drift once the glob is right: company.default.* reaches company.default.web.id', () => {
    const pack = 'rules: [{id: same-company, kind: equal, keys: ["company.default.*"]}]';
    expect(brief(runPack(pack, [dev, prod]))).toEqual([
      { rule: 'same-company', severity: 'error', key: 'company.default.web.id', envs: ['dev', 'prod'] },
    ]);
  });

  it('names only the globs that match nothing, and still runs the rest', () => {
    const pack = 'rules: [{id: same-company, kind: equal, keys: ["company.default.web.*", "compnay.default.*"]}]';
    expect(brief(runPack(pack, [dev, prod]))).toEqual([
      { rule: 'same-company', severity: 'error', key: 'company.default.web.id', envs: ['dev', 'prod'] },
      { rule: 'same-company', severity: 'warning', key: 'compnay.default.*', envs: ['dev', 'prod'] },
    ]);
  });

  it('looks only in the environments the rule covers', () => {
    const staging = snapshotOf('staging', { FEATURE_X: true });
    const production = snapshotOf('production', { TZ: 'UTC' });
    const findings = runPack('rules: [{id: x, kind: match, keys: [FEATURE_X], equals: true, envs: [production]}]', [
      staging,
      production,
    ]);
    expect(brief(findings)).toEqual([{ rule: 'x', severity: 'warning', key: 'FEATURE_X', envs: ['production'] }]);
    // With production left out of the run (`--env staging`), the rule checks nothing by request: no warning.
    const problems: Problem[] = [];
    const loaded = parsePack(
      'rules: [{id: x, kind: match, keys: [FEATURE_X], equals: true, envs: [production]}]',
      'rules/test.yaml',
      { environments: ['staging', 'production'] },
      problems,
    );
    expect(problems).toEqual([]);
    expect(runRules(loaded, alignSnapshots([staging]), { now: new Date() }).findings).toEqual([]);
  });

  it('says so for every kind that selects configured keys', () => {
    const kinds = [
      '{id: a, kind: parity, keys: ["nope.*"]}',
      '{id: b, kind: equal, keys: ["nope.*"]}',
      '{id: c, kind: differ, keys: ["nope.*"]}',
      '{id: d, kind: match, keys: ["nope.*"], type: string}',
      '{id: e, kind: plaintext, keys: ["nope.*"]}',
      '{id: f, kind: referenced, keys: ["nope.*"]}',
    ];
    const findings = runPack(`rules: [${kinds.join(', ')}]`, [dev, prod], {
      references: { index: reads(['TZ']), mode: 'exact' },
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, finding.key])).toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((rule) => [rule, 'warning', 'nope.*']),
    );
  });

  it('is a pass for forbid and retired (the keys are gone), and require reports the missing key itself', () => {
    const pack = `rules:
  - {id: gone, kind: forbid, keys: ["GLOBAL_OAUTH_*"]}
  - {id: need, kind: require, keys: ["compnay.default.*"]}`;
    expect(brief(runPack(pack, [dev, prod]))).toEqual([
      { rule: 'need', severity: 'error', key: 'compnay.default.*', envs: ['dev'] },
      { rule: 'need', severity: 'error', key: 'compnay.default.*', envs: ['prod'] },
    ]);
  });

  it('reports an allowance that matches nothing, and no allowance can hide the warning', () => {
    const pack = `rules:
  - {id: same, kind: equal, keys: ["compnay.**"]}
  - {id: hosts-by-design, kind: allow, keys: ["db.hots"], reason: each has its own database}
  - {id: anything-goes, kind: allow, keys: ["**"], rules: [same], reason: testing}`;
    const findings = runPack(pack, [dev, prod]);
    expect(brief(findings)).toEqual([
      { rule: 'same', severity: 'warning', key: 'compnay.**', envs: ['dev', 'prod'] },
      { rule: 'hosts-by-design', severity: 'warning', key: 'db.hots', envs: ['dev', 'prod'] },
    ]);
    expect(findings[1]?.message).toBe(
      "allowance 'hosts-by-design' (rules/test.yaml:3): no key in dev or prod matches db.hots, " +
        'so it allows nothing there; is the glob misspelt?',
    );
  });

  it('matches missing-reference globs against the names the code reads', () => {
    const references = { index: reads(['TZ', 'DB_URL']), mode: 'exact' as const };
    const typo = runPack('rules: [{id: m, kind: missing-reference, keys: ["DB_ULR"]}]', [dev, prod], { references });
    expect(brief(typo)).toEqual([{ rule: 'm', severity: 'warning', key: 'DB_ULR', envs: ['dev', 'prod'] }]);
    expect(typo[0]?.message).toBe(
      "rule 'm' (rules/test.yaml:1): no name the code reads matches DB_ULR, so the rule checks nothing there; " +
        'is the glob misspelt?',
    );
    const none = runPack('rules: [{id: m, kind: missing-reference}]', [dev, prod], {
      references: { index: reads([]), mode: 'exact' },
    });
    expect(none[0]?.message).toMatch(/no name the code reads matches \*\*.*the scan found no reads/);
  });

  it('gives the warning a stable id of its own', () => {
    const pack = 'rules: [{id: same-company, kind: equal, keys: ["compnay.default.*"]}]';
    const [first] = runPack(pack, [dev, prod]);
    const [again] = runPack(pack, [prod, dev]);
    expect(first?.id).toMatch(/^[0-9a-f]{12}$/);
    expect(again?.id).toBe(first?.id);
  });
});

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-unmatched-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('a rule matching nothing, in every report format', () => {
  const dir = () =>
    project({
      'driftwatch.yaml':
        'version: 1\nenvironments:\n  dev: {sources: [{path: dev.yaml}]}\n  prod: {sources: [{path: prod.yaml}]}\nrules: [rules/company.yaml]\n',
      'dev.yaml': 'company:\n  default:\n    web: {id: 1}\n',
      'prod.yaml': 'company:\n  default:\n    web: {id: 1}\n',
      'rules/company.yaml': 'rules:\n  - id: same-company\n    kind: equal\n    keys: ["compnay.default.*"]\n',
    });

  it('is never "No drift found", and --fail-on warning fails the gate', async () => {
    const cwd = dir();
    const text = await run(cwd, ['check']);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toContain('No drift found');
    expect(text.stdout).toContain('WARNING  same-company  compnay.default.*  [dev, prod]');
    expect(text.stdout).toContain("rule 'same-company' (rules/company.yaml:2)");
    expect(text.stdout).toContain('0 errors, 1 warning');
    expect((await run(cwd, ['check', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('points JSON, SARIF and GitHub annotations at the rule in its pack; Markdown and JUnit carry it too', async () => {
    const cwd = dir();
    const schema = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../schema/report.schema.json'), 'utf8'),
    );
    const json = JSON.parse((await run(cwd, ['check', '--format', 'json'])).stdout);
    expect(new Ajv2020({ allErrors: true, strict: true }).validate(schema, json)).toBe(true);
    expect(json.summary).toEqual({ error: 0, warning: 1, notice: 0 });
    expect(json.findings[0]).toMatchObject({
      rule: 'same-company',
      kind: 'equal',
      severity: 'warning',
      key: 'compnay.default.*',
      locations: [],
      ruleLocation: { file: 'rules/company.yaml', line: 2 },
    });

    const sarif = JSON.parse((await run(cwd, ['check', '--format', 'sarif'])).stdout);
    const [result] = sarif.runs[0].results;
    expect(result.ruleId).toBe('same-company');
    expect(result.level).toBe('warning');
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'rules/company.yaml' },
      region: { startLine: 2 },
    });

    const github = (await run(cwd, ['check', '--format', 'github'])).stdout;
    expect(github).toMatch(/^::warning file=rules\/company\.yaml,line=2,title=same-company%3A compnay\.default\.\*::/m);

    const markdown = (await run(cwd, ['check', '--format', 'markdown'])).stdout;
    expect(markdown).toContain('`rules/company.yaml:2` (rule)');
    expect(markdown).not.toContain('no drift found');

    const junit = (await run(cwd, ['check', '--format', 'junit'])).stdout;
    expect(junit).toContain('<failure message="rule &apos;same-company&apos; (rules/company.yaml:2)');
  });
});
