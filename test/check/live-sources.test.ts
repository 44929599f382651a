import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { openTreeWorkspace } from '../../src/check/workspace.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';
import { snapshotOf } from '../helpers/snapshots.js';

const CONFIG = `version: 1
environments:
  production:
    sources:
      - path: base.yaml
      - command: [kubectl, get, configmap, app, -o, yaml]
        format: k8s
      - path: overrides.yaml
rules: []
`;
const LIVE = 'command: kubectl get configmap app -o yaml';

async function check(files: Record<string, string>, stored: Snapshot | undefined) {
  const workspace = await openTreeWorkspace({
    files: memoryFileTree(new Map(Object.entries({ 'driftwatch.yaml': CONFIG, ...files }))),
    configFile: 'driftwatch.yaml',
    dir: 'repo@head',
    fingerprintKey: Buffer.alloc(32, 3),
    env: {},
  });
  return runCheck(workspace, {
    liveSources: { mode: 'stored', snapshots: new Map(stored ? [['production', stored]] : []) },
    history: false,
  });
}

function storedLive(keys: Parameters<typeof snapshotOf>[1]): Snapshot {
  return {
    ...snapshotOf('production', keys, LIVE),
    takenAt: '2026-11-30T06:00:00.000Z',
    sources: [{ source: LIVE, status: 'ok', documents: [LIVE], keys: Object.keys(keys).length }],
  };
}

function values(run: Awaited<ReturnType<typeof check>>) {
  const [snapshot] = run.snapshots;
  return Object.fromEntries(
    [...(snapshot?.entries.values() ?? [])].map((entry) => [entry.key, [entry.value, entry.origin.source]]),
  );
}

describe('check/live-sources: stored snapshots stand in for sources a channel must not read', () => {
  it('merges the stored keys in the declared order: a later file wins over them, they win over an earlier file', async () => {
    const run = await check(
      { 'base.yaml': 'timeout: 5\nregion: eu\n', 'overrides.yaml': 'region: us\n' },
      storedLive({ timeout: 30, region: 'ap', replicas: 3 }),
    );
    expect(values(run)).toEqual({
      region: ['us', 'overrides.yaml'],
      replicas: [3, LIVE],
      timeout: [30, LIVE],
    });
    expect(run.live).toEqual([
      { env: 'production', source: LIVE, kind: 'command', storedAt: '2026-11-30T06:00:00.000Z' },
    ]);
    expect(run.report.environments[0]?.sources.map((source) => source.source)).toEqual([
      'base.yaml',
      LIVE,
      'overrides.yaml',
    ]);
  });

  it('replaces a list whole, as a fresh snapshot would', async () => {
    const run = await check(
      { 'base.yaml': 'hosts: [a, b, c, d]\n', 'overrides.yaml': 'other: 1\n' },
      storedLive({ 'hosts[0]': 'x', 'hosts[1]': 'y' }),
    );
    expect(values(run)).toEqual({ 'hosts[0]': ['x', LIVE], 'hosts[1]': ['y', LIVE], other: [1, 'overrides.yaml'] });
  });

  it('reads only the files when nothing is stored, and says which source was not checked', async () => {
    const run = await check({ 'base.yaml': 'timeout: 5\n', 'overrides.yaml': 'region: us\n' }, undefined);
    expect(run.incomplete).toBe(false);
    expect(values(run)).toEqual({ region: ['us', 'overrides.yaml'], timeout: [5, 'base.yaml'] });
    expect(run.live).toEqual([{ env: 'production', source: LIVE, kind: 'command' }]);
  });

  it('does not use a stored snapshot that lacks the source (the config changed since)', async () => {
    const stale = {
      ...storedLive({ timeout: 30 }),
      sources: [{ source: 'command: old', status: 'ok' as const, documents: [], keys: 1 }],
    };
    const run = await check({ 'base.yaml': 'timeout: 5\n', 'overrides.yaml': 'region: us\n' }, stale);
    expect(values(run).timeout).toEqual([5, 'base.yaml']);
    expect(run.live[0]?.storedAt).toBeUndefined();
  });
});
