import { describe, expect, it } from 'vitest';
import { type AnalysedTree, analyzePullRequest, type PullRequestFacts } from '../../src/github/analyze-pull-request.js';
import { renderComment } from '../../src/github/comment.js';
import type { ChangedFile } from '../../src/github/platform.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';
import type { StandInFiles } from '../helpers/github-stand-in.js';
import { BASE, HEAD } from './fixtures.js';
import { changesBetween } from './harness.js';

/** A commit's files held in memory, rooted at `root` inside the repository: what the analysis reads, replayed. */
function memoryCommit(files: StandInFiles, root = ''): AnalysedTree {
  const prefix = root === '' ? '' : `${root}/`;
  const below = new Map<string, string>();
  for (const [file, content] of Object.entries(files)) {
    if (file.startsWith(prefix))
      below.set(file.slice(prefix.length), typeof content === 'string' ? content : String(content.content));
  }
  const tree = memoryFileTree(below);
  return {
    readFile: (file) => tree.readFile(file),
    glob: (pattern) => tree.glob(pattern),
    isTracked: (file) => tree.isTracked(file),
    files: () => [...below.keys()].sort(),
    repositoryPath: (file) => `${prefix}${file}`,
  };
}

function factsOf(base: StandInFiles, head: StandInFiles, root = ''): PullRequestFacts {
  const files: ChangedFile[] = changesBetween(base, head).map((file) => ({ path: file.filename, status: file.status }));
  return {
    number: 2,
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    changedFiles: { files, truncated: false },
    base: memoryCommit(base, root),
    head: memoryCommit(head, root),
    storedSnapshot: async () => undefined,
  };
}

const OPTIONS = {
  configFile: 'driftwatch.yaml',
  fingerprintKey: Buffer.alloc(32, 7),
  now: new Date('2026-12-01T12:00:00Z'),
  maxScanFiles: 1000,
};

describe('github/analyze-pull-request (replayed from what was read)', () => {
  it('gives the same analysis for the same facts, and names what the pull request forgot', async () => {
    const first = await analyzePullRequest(factsOf(BASE, HEAD), OPTIONS);
    const second = await analyzePullRequest(factsOf(BASE, HEAD), OPTIONS);
    expect(second).toEqual(first);
    if (first.kind !== 'analysed') throw new Error(first.kind);
    expect(first.conclusion).toBe('failure');
    expect(first.missingReads).toEqual([
      {
        key: 'HERO_TIMEOUT_MS',
        envs: ['production'],
        sites: [{ file: 'src/hero.ts', line: 2, column: 31 }],
        severity: 'error',
        hasDefault: false,
      },
    ]);
    expect(
      first.oneSided.map((change) => [
        change.key,
        change.changes.map((each) => `${each.change} ${each.env}`),
        change.untouched,
      ]),
    ).toEqual([
      ['HERO_TIMEOUT_MS', ['added staging'], ['production']],
      ['LOG_LEVEL', ['added staging'], ['production']],
      ['PAYMENTS_URL', ['changed staging'], ['production']],
    ]);
    expect(first.stale.map((key) => [key.key, key.lastReads, key.heldIn.map((held) => held.env)])).toEqual([
      ['OLD_FLAG', [{ file: 'src/old.ts', line: 1, column: 20 }], ['staging', 'production']],
    ]);
    expect(first.couples.map((finding) => [finding.rule, finding.key, finding.envs])).toEqual([
      ['payments-config', 'PAYMENTS_*', ['production']],
    ]);
    expect(first.introduced.map((finding) => [finding.rule, finding.key])).toEqual([['parity', 'HERO_TIMEOUT_MS']]);
    expect(first.fixed.map((finding) => [finding.rule, finding.key])).toEqual([
      ['parity', 'LOG_LEVEL'],
      ['read-but-missing', 'LOG_LEVEL'],
    ]);
    expect(first.unchanged).toBe(1);
  });

  it('scans only the changed files over the cap, and then does not guess at stale keys', async () => {
    const analysis = await analyzePullRequest(factsOf(BASE, HEAD), { ...OPTIONS, maxScanFiles: 2 });
    if (analysis.kind !== 'analysed') throw new Error(analysis.kind);
    expect(analysis.notices).toContain(
      'references: 4 code files are over the scan limit of 2: only the files this pull request changed were scanned, so keys it leaves unread (stale) were not checked',
    );
    expect(analysis.stale).toEqual([]);
    expect(analysis.missingReads.map((read) => read.key)).toEqual(['HERO_TIMEOUT_MS']);
    expect(analysis.introduced.some((finding) => finding.kind === 'referenced')).toBe(false);
  });

  it('fails a head whose config files cannot be parsed, naming the file and line', async () => {
    const broken = { ...HEAD, 'config/production.env': 'HERO_ENABLED=true\nthis is not dotenv\n' };
    const analysis = await analyzePullRequest(factsOf(BASE, broken), OPTIONS);
    if (analysis.kind !== 'analysed') throw new Error(analysis.kind);
    expect(analysis.conclusion).toBe('failure');
    expect(analysis.headErrors.map((error) => [error.env, error.file, error.line])).toEqual([
      ['production', 'config/production.env', 2],
    ]);
    expect(analysis.introduced).toEqual([]);
    expect(renderComment(analysis).body).toContain(
      "## ❌ driftwatch: this pull request's configuration cannot be read",
    );
  });

  it('reports an invalid base config instead of checking anything, and a config only the head adds', async () => {
    const invalid = { ...BASE, 'driftwatch.yaml': 'version: 2\nenvironments: {}\n' };
    const analysis = await analyzePullRequest(factsOf(invalid, HEAD), OPTIONS);
    expect(analysis.kind).toBe('config-invalid');
    const rendered = renderComment(analysis);
    expect(rendered.body).toContain("## ❌ driftwatch: the base branch's config cannot be used");
    expect(rendered.body).toContain('driftwatch.yaml:1:10: version: expected version: 1');

    const { 'driftwatch.yaml': _config, ...without } = BASE;
    const added = await analyzePullRequest(factsOf(without, BASE), OPTIONS);
    expect(added).toMatchObject({ kind: 'no-config', addedByHead: true });
    expect(renderComment(added).body).toContain('is new in this pull request');
  });

  it('reads a monorepo config where the setting says, and names repository paths', async () => {
    const nest = (files: StandInFiles) =>
      Object.fromEntries(Object.entries(files).map(([file, content]) => [`services/api/${file}`, content]));
    const analysis = await analyzePullRequest(factsOf(nest(BASE), nest(HEAD), 'services/api'), {
      ...OPTIONS,
      configFile: 'services/api/driftwatch.yaml',
    });
    if (analysis.kind !== 'analysed') throw new Error(analysis.kind);
    expect(analysis.missingReads[0]?.sites).toEqual([{ file: 'services/api/src/hero.ts', line: 2, column: 31 }]);
    expect(analysis.oneSided[0]?.changes[0]?.at?.file).toBe('services/api/config/staging.env');
    expect(analysis.couples.map((finding) => finding.rule)).toEqual(['payments-config']);
  });
});
