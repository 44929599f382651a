import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { snapshotOf } from '../helpers/snapshots.js';
import { brief, runPack } from './run.js';

const INIT = 'Deployment/shop.spec.template.spec.initContainers';

/** A Deployment's init containers as a snapshot holds them: keyed by name, with their order kept apart. */
function withInitContainers(env: string, names: readonly string[]): Snapshot {
  const keys: Record<string, string> = {};
  for (const name of names) keys[`${INIT}.${name}.image`] = `shop/${name}:1`;
  return { ...snapshotOf(env, keys), namedLists: new Map([[INIT, names]]) };
}

const staging = withInitContainers('staging', ['migrate', 'seed']);
const production = withInitContainers('production', ['seed', 'migrate']);

describe('rules/equal on lists keyed by name', () => {
  it('reports init containers that run in another order, located at the first moved item', () => {
    const findings = runPack('rules: [{id: same, kind: equal, keys: ["**"]}]', [staging, production]);
    expect(brief(findings)).toEqual([{ rule: 'same', severity: 'error', key: INIT, envs: ['production', 'staging'] }]);
    expect(findings[0]?.message).toBe(
      `${INIT} lists its items in another order (staging: migrate, seed; production: seed, migrate)`,
    );
    // snapshotOf numbers lines by sorted key: migrate.image is line 1 in staging, seed.image line 2 in production.
    expect(findings[0]?.locations).toEqual([
      { env: 'staging', file: 'staging.yaml', line: 1 },
      { env: 'production', file: 'production.yaml', line: 2 },
    ]);
  });

  it('sees a list only when its key matches the rule`s globs', () => {
    expect(
      runPack('rules: [{id: same, kind: equal, keys: ["**.initContainers"]}]', [staging, production]),
    ).toHaveLength(1);
    expect(runPack(`rules: [{id: same, kind: equal, keys: ["${INIT}.*.image"]}]`, [staging, production])).toEqual([]);
  });

  it('is quiet for the same order, and an allowance can declare the reordering expected', () => {
    expect(
      runPack('rules: [{id: same, kind: equal, keys: ["**"]}]', [
        staging,
        withInitContainers('qa', ['migrate', 'seed']),
      ]),
    ).toEqual([]);
    const pack = `rules:
  - {id: same, kind: equal, keys: ["**"]}
  - {id: order-by-design, kind: allow, keys: ["**.initContainers"], reason: production seeds first}`;
    expect(runPack(pack, [staging, production])).toEqual([]);
  });
});
