import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffToJson, diffToText } from '../../src/cli/diff.js';
import { type Drift, diffSnapshots } from '../../src/compare/diff.js';
import { isReordered, orderDifference } from '../../src/compare/list-order.js';
import { parseConfig } from '../../src/config/load.js';
import { takeSnapshots } from '../../src/snapshot/build.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';
import { run } from '../cli/io.js';
import { snapshotOf } from '../helpers/snapshots.js';

/** The documented meaning of a diff, written the obvious way: every key of either side, looked up in both. */
function referenceDiff(a: Snapshot, b: Snapshot): Pick<Drift, 'key' | 'kind'>[] {
  const keys = [...new Set([...a.entries.keys(), ...b.entries.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const drifts: Pick<Drift, 'key' | 'kind'>[] = [];
  for (const key of keys) {
    const left = a.entries.get(key);
    const right = b.entries.get(key);
    if (!right) drifts.push({ key, kind: 'only-in-a' });
    else if (!left) drifts.push({ key, kind: 'only-in-b' });
    else if (left.type !== right.type) drifts.push({ key, kind: 'type-changed' });
    else if (left.fingerprint !== right.fingerprint) drifts.push({ key, kind: 'changed' });
  }
  return drifts;
}

/** Two environments from the same files but their own texts, read as the CLI reads them. */
async function snapshotsFrom(files: Record<string, string>, format?: string): Promise<[Snapshot, Snapshot]> {
  const formatLine = format ? `, format: ${format}` : '';
  const config = parseConfig(
    [
      'version: 1',
      'environments:',
      `  staging: {sources: [{path: staging.yaml${formatLine}}]}`,
      `  production: {sources: [{path: production.yaml${formatLine}}]}`,
    ].join('\n'),
    '/repo/driftwatch.yaml',
  );
  const results = await takeSnapshots({
    config,
    env: {},
    fingerprintKey: Buffer.from('test-key'),
    files: memoryFileTree(new Map(Object.entries(files))),
  });
  for (const result of results) expect(result.problems).toEqual([]);
  return results.map((result) => result.snapshot) as [Snapshot, Snapshot];
}

function deployment(initContainers: readonly string[], containers = ['api']): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: shop}',
    'spec:',
    '  template:',
    '    spec:',
    '      initContainers:',
    ...initContainers.map((name) => `        - {name: ${name}, image: "shop/${name}:1"}`),
    '      containers:',
    ...containers.map((name) => `        - {name: ${name}, image: "shop/${name}:1"}`),
  ].join('\n');
}

const INIT = 'Deployment/shop.spec.template.spec.initContainers';

describe('compare/diff', () => {
  it('finds exactly what a key-by-key lookup finds, on any two snapshots', () => {
    const name = fc.constantFrom('a', 'b', 'db', 'host', 'x.y', 'DB_URL');
    const key = fc
      .tuple(name, fc.array(fc.oneof(name, fc.integer({ min: 0, max: 1 })), { maxLength: 3 }))
      .map(([first, rest]) => formatKeyPath([first, ...rest]));
    const value = fc.oneof(fc.constantFrom('v1', 'v2', ''), fc.integer({ min: 0, max: 2 }), fc.boolean());
    const environment = fc.dictionary(key, value, { maxKeys: 25 });
    fc.assert(
      fc.property(environment, environment, (left, right) => {
        const a = snapshotOf('a', left);
        const b = snapshotOf('b', right);
        const drifts = diffSnapshots(a, b);
        expect(drifts.map(({ key, kind }) => ({ key, kind }))).toEqual(referenceDiff(a, b));
        for (const drift of drifts) {
          expect(drift.a).toBe(a.entries.get(drift.key));
          expect(drift.b).toBe(b.entries.get(drift.key));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps both values of a key that is a value on one side and a map on the other', () => {
    const a = snapshotOf('a', { db: 'postgres://db' });
    const b = snapshotOf('b', { 'db.host': 'db', 'db.port': 5432 });
    expect(diffSnapshots(a, b).map(({ key, kind }) => [key, kind])).toEqual([
      ['db', 'only-in-a'],
      ['db.host', 'only-in-b'],
      ['db.port', 'only-in-b'],
    ]);
  });

  it('reports init containers in another order as reordered, with both orders', async () => {
    const [staging, production] = await snapshotsFrom({
      'staging.yaml': deployment(['migrate', 'seed', 'warm-cache']),
      'production.yaml': deployment(['seed', 'migrate', 'warm-cache']),
    });
    expect(staging.namedLists?.get(INIT)).toEqual(['migrate', 'seed', 'warm-cache']);
    const drifts = diffSnapshots(staging, production);
    expect(drifts).toEqual([
      {
        key: INIT,
        kind: 'reordered',
        order: { a: ['migrate', 'seed', 'warm-cache'], b: ['seed', 'migrate', 'warm-cache'] },
      },
    ]);
  });

  it('does not call an added or removed item a reordering, nor maps written in another order', async () => {
    const [staging, production] = await snapshotsFrom({
      'staging.yaml': deployment(['migrate', 'seed']),
      'production.yaml': deployment(['migrate', 'check-schema', 'seed']).replace(
        'metadata: {name: shop}',
        'metadata: {name: shop}\n# keys of a map in another order are the same map',
      ),
    });
    expect(diffSnapshots(staging, production).map(({ key, kind }) => [key, kind])).toEqual([
      [`${INIT}.check-schema.image`, 'only-in-b'],
    ]);
    const [a, b] = await snapshotsFrom({
      'staging.yaml': 'db: {host: h, port: 5432}\nmiddleware: [{name: auth}, {name: gzip}]\n',
      'production.yaml': 'db: {port: 5432, host: h}\nmiddleware: [{name: auth}, {name: gzip}]\n',
    });
    expect(diffSnapshots(a, b)).toEqual([]);
  });

  it('sees the order of named lists in plain YAML too (middleware)', async () => {
    const [staging, production] = await snapshotsFrom({
      'staging.yaml':
        'http:\n  middleware:\n    - {name: auth, order: 1}\n    - {name: rate-limit}\n    - {name: gzip}\n',
      'production.yaml':
        'http:\n  middleware:\n    - {name: rate-limit}\n    - {name: auth, order: 1}\n    - {name: gzip}\n',
    });
    const [drift] = diffSnapshots(staging, production);
    expect(drift).toMatchObject({ key: 'http.middleware', kind: 'reordered' });
    expect(diffToText(staging, production, diffSnapshots(staging, production), false)).toBe(
      [
        'staging (3 keys) vs production (3 keys): 0 only in staging, 0 only in production, 0 changed, 1 reordered',
        '',
        'Reordered (1)',
        '  ↕ http.middleware',
        '    staging:    auth, rate-limit, …',
        '    production: rate-limit, auth, …',
        '',
      ].join('\n'),
    );
  });

  it('puts the reordering in the JSON diff with both whole orders and counts it', async () => {
    const [staging, production] = await snapshotsFrom({
      'staging.yaml': deployment(['migrate', 'seed']),
      'production.yaml': deployment(['seed', 'migrate']),
    });
    const json = diffToJson(staging, production, diffSnapshots(staging, production), []);
    expect(json.drifts).toEqual([
      { key: INIT, kind: 'reordered', a: { order: ['migrate', 'seed'] }, b: { order: ['seed', 'migrate'] } },
    ]);
    expect(json.summary).toEqual({ onlyInA: 0, onlyInB: 0, changed: 0, typeChanged: 0, reordered: 1 });
  });

  it('keeps the order through a source prefix and across merged sources', async () => {
    const config = parseConfig(
      [
        'version: 1',
        'environments:',
        '  staging: {sources: [{path: base.yaml, prefix: app}, {path: more.yaml, prefix: app}]}',
      ].join('\n'),
      '/repo/driftwatch.yaml',
    );
    const [result] = await takeSnapshots({
      config,
      env: {},
      fingerprintKey: Buffer.from('test-key'),
      files: memoryFileTree(
        new Map([
          ['base.yaml', 'jobs: [{name: b, at: 1}, {name: a, at: 2}]\n'],
          ['more.yaml', 'jobs: [{name: c, at: 3}, {name: a, at: 4}]\n'],
        ]),
      ),
    });
    // Merged by name: the earlier source's order, then what the later one adds.
    expect(result?.snapshot.namedLists).toEqual(new Map([['app.jobs', ['b', 'a', 'c']]]));
  });
});

describe('compare/list-order', () => {
  it('compares only the names every list holds, and shows the part that differs', () => {
    expect(
      isReordered([
        ['a', 'b', 'c'],
        ['a', 'x', 'b', 'c'],
      ]),
    ).toBe(false);
    expect(
      isReordered([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    ).toBe(true);
    expect(isReordered([['a', 'b']])).toBe(false);
    const apps = Array.from({ length: 100 }, (_, index) => `app-${index}`);
    const swapped = [...apps];
    [swapped[40], swapped[41]] = [apps[41] as string, apps[40] as string];
    expect(orderDifference([apps, swapped])).toEqual(['…, app-40, app-41, …', '…, app-41, app-40, …']);
  });
});

describe('cli/diff', () => {
  it('prints a reordering in text and JSON, and --exit-code counts it as a difference', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-diff-'));
    try {
      writeFileSync(
        path.join(dir, 'driftwatch.yaml'),
        'version: 1\nenvironments:\n  staging: {sources: [{path: staging.yaml}]}\n  production: {sources: [{path: production.yaml}]}\n',
      );
      writeFileSync(path.join(dir, 'staging.yaml'), deployment(['migrate', 'seed']));
      writeFileSync(path.join(dir, 'production.yaml'), deployment(['seed', 'migrate']));
      const text = await run(dir, ['diff', 'staging', 'production', '--exit-code']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(
        `Reordered (1)\n  ↕ ${INIT}\n    staging:    migrate, seed\n    production: seed, migrate\n`,
      );
      const json = JSON.parse((await run(dir, ['diff', 'staging', 'production', '--format', 'json'])).stdout);
      expect(json.summary.reordered).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
