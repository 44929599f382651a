import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { takeSnapshot, takeSnapshots } from '../../src/snapshot/build.js';
import { diskFileTree } from '../../src/sources/file-tree.js';
import { CORPUS_DIR } from '../corpus.js';

const repositories: { repo: string; envs: Record<string, string[]> }[] = JSON.parse(
  readFileSync(path.join(CORPUS_DIR, 'sources.json'), 'utf8'),
);

function configFor(repository: (typeof repositories)[number]) {
  const dir = path.join(CORPUS_DIR, repository.repo.replace('/', '__'));
  const lines = ['version: 1', 'environments:'];
  for (const [env, files] of Object.entries(repository.envs)) {
    lines.push(`  ${env}:`, '    sources:');
    for (const file of files) lines.push(`      - path: ${JSON.stringify(file.replace(/\s*\(.*\)$/, ''))}`);
  }
  return parseConfig(lines.join('\n'), path.join(dir, 'driftwatch.yaml'));
}

describe('snapshot/build', () => {
  it.each(repositories.map((repository) => repository.repo))(
    '%s: entries reused from another environment are exactly the entries computed alone',
    async (repo) => {
      const config = configFor(repositories.find((repository) => repository.repo === repo) as (typeof repositories)[0]);
      const options = { config, env: {}, fingerprintKey: Buffer.from('build-test'), files: diskFileTree(config.dir) };
      const together = await takeSnapshots(options);
      for (const [index, environment] of config.environments.entries()) {
        const alone = await takeSnapshot(environment, options);
        const shared = together[index];
        expect(shared?.problems).toEqual([]);
        expect([...(shared?.snapshot.entries ?? [])]).toEqual([...alone.snapshot.entries]);
      }
    },
  );

  it('gives two environments the same fingerprint for the same value, and never reuses a secret', async () => {
    const config = parseConfig(
      [
        'version: 1',
        'environments:',
        '  staging: {sources: [{env: {only: A_}}]}',
        '  production: {sources: [{env: {only: A_}}]}',
      ].join('\n'),
      path.join(CORPUS_DIR, 'driftwatch.yaml'),
    );
    const env = { A_TIMEOUT: '30s', A_DB_PASSWORD: 'canary-1234-abcd' };
    const [staging, production] = await takeSnapshots({
      config,
      env,
      fingerprintKey: Buffer.from('build-test'),
      files: diskFileTree(config.dir),
    });
    const timeout = [staging, production].map((result) => result?.snapshot.entries.get('A_TIMEOUT'));
    expect(timeout[0]).toEqual(timeout[1]);
    const password = [staging, production].map((result) => result?.snapshot.entries.get('A_DB_PASSWORD'));
    expect(password[0]).toMatchObject({ sensitive: true });
    expect(password[0]).not.toHaveProperty('value');
    expect(password[0]?.fingerprint).toBe(password[1]?.fingerprint);
  });

  it('places flat .env leaves under a prefix, merges a later .env over an earlier one, and keeps their positions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-build-'));
    try {
      writeFileSync(path.join(dir, 'base.env'), 'A=1\nB=2\n# comment\nC=three\n');
      writeFileSync(path.join(dir, 'production.env'), '\nB=20\nD=4\n');
      const config = parseConfig(
        [
          'version: 1',
          'environments:',
          '  production: {sources: [{path: base.env}, {path: production.env}]}',
          '  prefixed: {sources: [{path: base.env, prefix: app}]}',
        ].join('\n'),
        path.join(dir, 'driftwatch.yaml'),
      );
      const [production, prefixed] = await takeSnapshots({
        config,
        env: {},
        fingerprintKey: Buffer.from('build-test'),
        files: diskFileTree(dir),
      });
      const shown = (result: typeof production) =>
        [...(result?.snapshot.entries.values() ?? [])].map((entry) => [
          entry.key,
          entry.value,
          `${entry.origin.file}:${entry.origin.line}:${entry.origin.column}`,
        ]);
      expect(production?.problems).toEqual([]);
      expect(shown(production)).toEqual([
        ['A', '1', 'base.env:1:3'],
        ['B', '20', 'production.env:2:3'],
        ['C', 'three', 'base.env:4:3'],
        ['D', '4', 'production.env:3:3'],
      ]);
      expect(production?.snapshot.sources.map((source) => source.keys)).toEqual([3, 2]);
      expect(shown(prefixed)).toEqual([
        ['app.A', '1', 'base.env:1:3'],
        ['app.B', '2', 'base.env:2:3'],
        ['app.C', 'three', 'base.env:4:3'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
