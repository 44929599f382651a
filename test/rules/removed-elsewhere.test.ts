import { describe, expect, it } from 'vitest';
import { alignSnapshots } from '../../src/compare/matrix.js';
import type { Problem } from '../../src/errors.js';
import { needsOf, runRules } from '../../src/rules/engine.js';
import { parsePack } from '../../src/rules/load-packs.js';
import type { HistoryContext } from '../../src/rules/rule.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { snapshotOf } from '../helpers/snapshots.js';
import { brief } from './run.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const ENVIRONMENTS = ['staging', 'production', 'qa'];

function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * 86_400_000).toISOString();
}

function historyOf(removed: Record<string, Record<string, string>>): HistoryContext {
  return {
    removedKeys: new Map(
      Object.entries(removed).map(([env, keys]) => [
        env,
        Object.entries(keys).map(([key, removedAt]) => ({ key, removedAt })),
      ]),
    ),
  };
}

function load(packYaml: string) {
  const problems: Problem[] = [];
  const loaded = parsePack(packYaml, 'rules/test.yaml', { environments: ENVIRONMENTS }, problems);
  return { loaded, problems };
}

function runRemovedElsewhere(packYaml: string, snapshots: readonly Snapshot[], history: HistoryContext) {
  const { loaded, problems } = load(packYaml);
  expect(problems).toEqual([]);
  return runRules(loaded, alignSnapshots(snapshots), { now: NOW, history }).findings;
}

const staging = snapshotOf('staging', { 'oauth.tenant.client_id': 't1', TZ: 'UTC' });
const production = snapshotOf('production', {
  'oauth.global.client_id': '8f14e45fceea167a',
  'oauth.global.client_secret': { secret: 'global-secret' },
  'oauth.tenant.client_id': 't1',
  TZ: 'UTC',
});
const qa = snapshotOf('qa', { 'oauth.global.client_id': '8f14e45fceea167a', TZ: 'UTC' });

describe('rules/removed-elsewhere', () => {
  it('reports a key removed from staging more than `after` days ago and still set in production', () => {
    const history = historyOf({ staging: { 'oauth.global.client_id': daysAgo(20) } });
    const findings = runRemovedElsewhere(
      'rules: [{id: r, kind: removed-elsewhere, from: staging}]',
      [staging, production],
      history,
    );
    expect(brief(findings)).toEqual([
      { rule: 'r', severity: 'error', key: 'oauth.global.client_id', envs: ['production'] },
    ]);
    expect(findings[0]?.message).toBe(
      'oauth.global.client_id was removed from staging 20 days ago (2026-11-05) and is still set in production',
    );
    expect(findings[0]?.locations).toEqual([{ env: 'production', file: 'production.yaml', line: 2 }]);
    expect(findings[0]?.values).toEqual({ production: '8f14e45fceea167a' });
  });

  it('gives a removal `after` days (14 by default) to reach the other environments', () => {
    const recent = historyOf({ staging: { 'oauth.global.client_id': daysAgo(5) } });
    expect(
      runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere, from: staging}]', [staging, production], recent),
    ).toEqual([]);
    const older = historyOf({ staging: { 'oauth.global.client_id': daysAgo(10) } });
    expect(
      runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere, from: staging}]', [staging, production], older),
    ).toEqual([]);
    expect(
      brief(
        runRemovedElsewhere(
          'rules: [{id: r, kind: removed-elsewhere, from: staging, after: 7}]',
          [staging, production],
          older,
        ),
      ),
    ).toEqual([{ rule: 'r', severity: 'error', key: 'oauth.global.client_id', envs: ['production'] }]);
  });

  it('looks only at removals from `from`, and only at the rule`s envs', () => {
    const history = historyOf({
      qa: { 'oauth.global.client_secret': daysAgo(30) },
      staging: { 'oauth.global.client_id': daysAgo(30) },
    });
    const snapshots = [staging, production, qa];
    expect(
      brief(runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere, from: staging}]', snapshots, history)).map(
        (f) => [f.key, f.envs],
      ),
    ).toEqual([['oauth.global.client_id', ['production', 'qa']]]);
    expect(
      brief(
        runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere, from: staging, envs: [qa]}]', snapshots, history),
      ).map((f) => [f.key, f.envs]),
    ).toEqual([['oauth.global.client_id', ['qa']]]);
    expect(
      brief(
        runRemovedElsewhere(
          'rules: [{id: r, kind: removed-elsewhere, from: qa, keys: ["oauth.global.*"]}]',
          snapshots,
          history,
        ),
      ).map((f) => [f.key, f.envs]),
    ).toEqual([['oauth.global.client_secret', ['production']]]);
  });

  it('without `from`, reports a key removed from any environment and kept by another', () => {
    const history = historyOf({
      qa: { 'oauth.global.client_secret': daysAgo(30) },
      staging: { 'oauth.global.client_id': daysAgo(47) },
    });
    const findings = runRemovedElsewhere(
      'rules: [{id: r, kind: removed-elsewhere}]',
      [staging, production, qa],
      history,
    );
    expect(findings.map((finding) => [finding.key, finding.envs, finding.message])).toEqual([
      [
        'oauth.global.client_id',
        ['production', 'qa'],
        'oauth.global.client_id was removed from staging 47 days ago (2026-10-09) and is still set in production and qa',
      ],
      [
        'oauth.global.client_secret',
        ['production'],
        'oauth.global.client_secret was removed from qa 30 days ago (2026-10-26) and is still set in production',
      ],
    ]);
    // A secret is shown only by its fingerprint.
    expect(findings[1]?.values?.production).toMatch(/^fp:[0-9a-f]{8}$/);
  });

  it('finds nothing when no other environment still has the key', () => {
    const history = historyOf({ staging: { 'legacy.flag': daysAgo(90) } });
    expect(runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere}]', [staging, production], history)).toEqual(
      [],
    );
  });

  it('does not count a removal the environment has since undone', () => {
    const history = historyOf({ qa: { 'oauth.tenant.client_id': daysAgo(30) } });
    const qaAgain = snapshotOf('qa', { 'oauth.tenant.client_id': 't1' });
    expect(
      runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere}]', [staging, production, qaAgain], history),
    ).toEqual([]);
  });

  it('finds nothing with an empty history', () => {
    expect(
      runRemovedElsewhere('rules: [{id: r, kind: removed-elsewhere}]', [staging, production], historyOf({})),
    ).toEqual([]);
  });

  it('needs history, and names an unknown `from` environment at load time', () => {
    const { loaded } = load('rules: [{id: r, kind: removed-elsewhere, from: staging}]');
    expect([...needsOf(loaded)]).toEqual(['history']);
    const { problems } = load('rules:\n  - id: r\n    kind: removed-elsewhere\n    from: stagin\n');
    expect(problems).toEqual([
      {
        file: 'rules/test.yaml',
        line: 4,
        column: 11,
        message: "rule 'r': unknown environment 'stagin'; the config defines staging, production, qa",
      },
    ]);
    expect(load('rules: [{id: r, kind: removed-elsewhere, after: -1}]').problems).toHaveLength(1);
  });

  it('still loads under its old name, kind: retired, with a notice', () => {
    const notices: Problem[] = [];
    const problems: Problem[] = [];
    const loaded = parsePack(
      'rules:\n  - id: r\n    kind: retired\n    from: staging\n',
      'rules/test.yaml',
      { environments: ENVIRONMENTS, onNotice: (notice) => notices.push(notice) },
      problems,
    );
    expect(problems).toEqual([]);
    expect(loaded.map(({ rule }) => rule.kind)).toEqual(['removed-elsewhere']);
    expect(notices).toEqual([
      {
        file: 'rules/test.yaml',
        line: 3,
        column: 11,
        message: "rule 'r': kind 'retired' is now called 'removed-elsewhere'; the old name still works",
      },
    ]);
  });
});
