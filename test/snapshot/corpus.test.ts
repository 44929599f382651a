import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/compare/diff.js';
import { parseConfig } from '../../src/config/load.js';
import { takeSnapshots } from '../../src/snapshot/build.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { diskFileTree } from '../../src/sources/file-tree.js';
import { CORPUS_DIR } from '../corpus.js';

interface CorpusRepository {
  readonly repo: string;
  readonly envs: Record<string, string[]>;
}

const repositories: CorpusRepository[] = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'sources.json'), 'utf8'));

/** sources.json writes globs as `dir/*.env (7 files)`: keep the glob. */
function sourcePath(entry: string): string {
  return entry.replace(/\s*\(.*\)$/, '');
}

/** A driftwatch.yaml for one corpus repository: one environment per entry of sources.json. */
function configFor(repository: CorpusRepository) {
  const dir = path.join(CORPUS_DIR, repository.repo.replace('/', '__'));
  const lines = ['version: 1', 'environments:'];
  for (const [env, files] of Object.entries(repository.envs)) {
    lines.push(`  ${env}:`, '    sources:');
    for (const file of files) lines.push(`      - path: ${JSON.stringify(sourcePath(file))}`);
  }
  return parseConfig(lines.join('\n'), path.join(dir, 'driftwatch.yaml'));
}

async function snapshotsOf(repo: string): Promise<Map<string, Snapshot>> {
  const repository = repositories.find((candidate) => candidate.repo === repo);
  if (!repository) throw new Error(`${repo} is not in the corpus`);
  const config = configFor(repository);
  const results = await takeSnapshots({
    config,
    env: {},
    fingerprintKey: Buffer.from('corpus'),
    files: diskFileTree(config.dir),
  });
  for (const result of results) expect(result.problems, `${repo} ${result.snapshot.env}`).toEqual([]);
  return new Map(results.map((result) => [result.snapshot.env, result.snapshot]));
}

describe('snapshot/corpus: every environment of every real repository', () => {
  it.each(repositories.map((repository) => repository.repo))('%s snapshots without error', async (repo) => {
    const snapshots = await snapshotsOf(repo);
    for (const snapshot of snapshots.values()) {
      expect(snapshot.entries.size, snapshot.env).toBeGreaterThan(0);
      expect(snapshot.sources.every((source) => source.status === 'ok')).toBe(true);
      for (const entry of snapshot.entries.values()) {
        if (entry.origin.sourceKind === 'path') expect(entry.origin.line, entry.key).toBeGreaterThan(0);
      }
    }
  });

  it('alphagov: awsAccountId is a quoted string that differs per environment, at its line', async () => {
    const snapshots = await snapshotsOf('alphagov/govuk-helm-charts');
    const staging = snapshots.get('staging')?.entries.get('awsAccountId');
    const production = snapshots.get('production')?.entries.get('awsAccountId');
    expect([staging?.type, staging?.value, production?.value]).toEqual(['string', '696911096973', '172025368201']);
    expect(staging?.origin.file).toBe('charts/app-config/values-staging.yaml');
    expect(staging?.origin.line).toBeGreaterThan(0);
    expect(snapshots.get('integration')?.entries.size).toBeGreaterThan(2000);
  });

  it('opencollective: production.json with // comments parses; node-config style layering over default.json', async () => {
    const repository = repositories.find((candidate) => candidate.repo === 'opencollective/opencollective-api');
    const dir = path.join(CORPUS_DIR, 'opencollective__opencollective-api', 'config');
    const config = parseConfig(
      [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: default.json}, {path: staging.json}]}',
        '  production: {sources: [{path: default.json}, {path: production.json}]}',
      ].join('\n'),
      path.join(dir, 'driftwatch.yaml'),
    );
    expect(repository).toBeDefined();
    const [staging, production] = (
      await takeSnapshots({ config, env: {}, fingerprintKey: Buffer.from('corpus'), files: diskFileTree(config.dir) })
    ).map((result) => result.snapshot) as [Snapshot, Snapshot];
    const pool = diffSnapshots(staging, production).find((drift) => drift.key === 'database.options.pool.max');
    expect([pool?.a?.value, pool?.b?.value, pool?.b?.origin.file, pool?.b?.origin.line]).toEqual([
      10,
      50,
      'production.json',
      7,
    ]);
    // Not overridden by production.json: still default.json's value and line.
    expect(production.entries.get('githubFlow.minNbStars')?.origin).toMatchObject({ file: 'default.json', line: 190 });
  });

  it('macrozheng/mall: a map key with dots stays one quoted segment', async () => {
    const snapshots = await snapshotsOf('macrozheng/mall');
    const keys = [...(snapshots.get('dev')?.entries.keys() ?? [])];
    expect(
      keys.some((key) => key.includes('"com.macro.mall')) || keys.some((key) => key.endsWith('"com.macro.mall"')),
    ).toBe(true);
  });

  it('demokratie-live: a key only in internal, TTLs that differ, a host that differs by its env prefix', async () => {
    const snapshots = await snapshotsOf('demokratie-live/infrastructure');
    const drifts = diffSnapshots(snapshots.get('internal') as Snapshot, snapshots.get('production') as Snapshot);
    const byKey = new Map(drifts.map((drift) => [drift.key, drift]));
    expect(byKey.get('CRON_START_ON_INIT')?.kind).toBe('only-in-a');
    expect(byKey.get('CRON_START_ON_INIT')?.a?.origin).toMatchObject({
      file: 'kustomize/overlays/internal/configs/bio-api.env',
      line: 11,
    });
    const ttl = byKey.get('AUTH_JWT_TTL');
    expect([ttl?.a?.value, ttl?.b?.value, ttl?.a?.origin.line]).toEqual(['1m', '24h', 10]);
    const api = byKey.get('APP_API_URL');
    expect([api?.a?.value, api?.b?.value]).toEqual([
      'https://internal.api.democracy-app.de',
      'https://api.democracy-app.de',
    ]);
  });

  it('juspay: 134 keys on each side, one secondary URL only in each, 76 values differ, one by a slash', async () => {
    const snapshots = await snapshotsOf('juspay/connector-service');
    const sandbox = snapshots.get('sandbox') as Snapshot;
    const production = snapshots.get('production') as Snapshot;
    expect([sandbox.entries.size, production.entries.size]).toEqual([134, 134]);
    const drifts = diffSnapshots(sandbox, production);
    expect(drifts.filter((drift) => drift.kind !== 'changed').map((drift) => [drift.key, drift.kind])).toEqual([
      ['connectors.itaubank.secondary_base_url', 'only-in-b'],
      ['connectors.nmi.secondary_base_url', 'only-in-a'],
    ]);
    expect(drifts.filter((drift) => drift.kind === 'changed')).toHaveLength(76);
    const xendit = drifts.find((drift) => drift.key === 'connectors.xendit.base_url');
    expect([xendit?.a?.value, xendit?.b?.value]).toEqual(['https://api.xendit.co/', 'https://api.xendit.co']);
  });

  it('gathertown: Kubernetes resources line up by kind and name, not list position', async () => {
    const snapshots = await snapshotsOf('gathertown/grapevine');
    const staging = [...(snapshots.get('staging')?.entries.keys() ?? [])].filter((key) =>
      key.endsWith('.spec.replicas'),
    );
    expect(staging.length).toBeGreaterThan(0);
    expect(staging.every((key) => key.startsWith('Deployment/'))).toBe(true);
  });
});
