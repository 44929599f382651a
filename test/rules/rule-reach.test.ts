import { describe, expect, it } from 'vitest';
import { alignSnapshots } from '../../src/compare/matrix.js';
import type { Problem } from '../../src/errors.js';
import { runRules } from '../../src/rules/engine.js';
import { parsePack } from '../../src/rules/load-packs.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { snapshotOf } from '../helpers/snapshots.js';

function uncheckedOf(packYaml: string, snapshots: readonly Snapshot[]) {
  const problems: Problem[] = [];
  const loaded = parsePack(packYaml, 'rules/test.yaml', { environments: snapshots.map((s) => s.env) }, problems);
  expect(problems).toEqual([]);
  return runRules(loaded, alignSnapshots(snapshots), { now: new Date('2026-11-25T12:00:00Z') }).unchecked;
}

const staging = snapshotOf('staging', {
  'db.host': 'db.staging',
  'db.pool': 10,
  'features.new_billing': false,
  TZ: 'UTC',
  API_TOKEN: { secret: 'same' },
  ONLY_STAGING: 'x',
});
const production = snapshotOf('production', {
  'db.host': 'db.production',
  'db.pool': 20,
  'features.new_billing': true,
  TZ: 'UTC',
  API_TOKEN: { secret: 'other' },
});

describe('rules/rule-reach: differences no rule judged', () => {
  it('counts every changed value and missing key when the rules look at none of them', () => {
    expect(uncheckedOf('rules: [{id: tz, kind: match, keys: [TZ], equals: UTC}]', [staging, production])).toEqual({
      values: 4,
      missing: 1,
      envs: ['staging', 'production'],
    });
  });

  it('leaves out what an equal, match, allow or parity rule selected, and keys with a finding', () => {
    const pack = [
      'rules:',
      '  - {id: flags, kind: equal, keys: ["features.**"]}',
      '  - {id: pool, kind: match, keys: [db.pool], type: number}',
      '  - {id: hosts, kind: allow, keys: [db.host], reason: each its own}',
      '  - {id: parity, kind: parity}',
    ].join('\n');
    // features.new_billing has an `equal` finding; API_TOKEN is the only difference left.
    expect(uncheckedOf(pack, [staging, production])).toEqual({
      values: 1,
      missing: 0,
      envs: ['staging', 'production'],
    });
  });

  it('counts `differ` with only: secrets as judging secrets, not plain values', () => {
    const pack = 'rules: [{id: s, kind: differ, only: secrets}, {id: p, kind: parity}]';
    expect(uncheckedOf(pack, [staging, production])).toEqual({
      values: 3,
      missing: 0,
      envs: ['staging', 'production'],
    });
  });

  it('does not count a rule limited to some environments as judging the others', () => {
    const qa = snapshotOf('qa', { 'db.pool': 10 });
    const pack = 'rules: [{id: pool, kind: equal, keys: [db.pool], envs: [staging, qa]}, {id: p, kind: parity}]';
    const unchecked = uncheckedOf(pack, [staging, production, qa]);
    // The rule compared staging with qa (equal); production's 20 it never saw. Parity findings cover the rest.
    expect(unchecked).toEqual({ values: 1, missing: 0, envs: ['staging', 'production', 'qa'] });
  });

  it('is absent when every difference was judged', () => {
    expect(
      uncheckedOf('rules: [{id: all, kind: equal, keys: ["**"]}, {id: p, kind: parity}]', [staging, production]),
    ).toBeUndefined();
  });
});
