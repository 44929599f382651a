import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../helpers/snapshots.js';
import { brief, runPack } from './run.js';

const staging = snapshotOf('staging', {
  TZ: 'UTC',
  'db.host': 'db.staging.internal',
  'api.base_url': 'https://api.staging.acme.io',
  'features.new_billing': false,
  'features.sso': true,
  SESSION_SECRET: { secret: 'shared-secret' },
  DB_PASSWORD: { secret: 'staging-only' },
  PORT: '8080',
});
const production = snapshotOf('production', {
  TZ: 'Europe/Berlin',
  'db.host': 'db.internal',
  'api.base_url': 'https://api.acme.io',
  'features.new_billing': true,
  'features.sso': true,
  SESSION_SECRET: { secret: 'shared-secret' },
  DB_PASSWORD: { secret: 'production-only' },
  GLOBAL_OAUTH_CLIENT_ID: 'abc',
  PORT: 'eighty',
});

describe('rules/parity', () => {
  it('reports a key missing from some environments, located where it exists', () => {
    const findings = runPack('rules: [{id: p, kind: parity}]', [staging, production]);
    expect(brief(findings)).toEqual([
      { rule: 'p', severity: 'warning', key: 'GLOBAL_OAUTH_CLIENT_ID', envs: ['staging'] },
    ]);
    expect(findings[0]?.locations).toEqual([{ env: 'production', file: 'production.yaml', line: 2 }]);
    expect(findings[0]?.message).toBe('GLOBAL_OAUTH_CLIENT_ID is set in production but missing from staging');
  });

  it('is quiet when every environment has every key', () => {
    expect(runPack('rules: [{id: p, kind: parity}]', [staging, { ...staging, env: 'qa' }])).toEqual([]);
  });
});

describe('rules/require', () => {
  it('reports each environment that lacks a required key or glob', () => {
    const findings = runPack('rules: [{id: r, kind: require, keys: [GLOBAL_OAUTH_CLIENT_ID, "cache.*"]}]', [
      staging,
      production,
    ]);
    expect(brief(findings)).toEqual([
      { rule: 'r', severity: 'error', key: 'GLOBAL_OAUTH_CLIENT_ID', envs: ['staging'] },
      { rule: 'r', severity: 'error', key: 'cache.*', envs: ['production'] },
      { rule: 'r', severity: 'error', key: 'cache.*', envs: ['staging'] },
    ]);
  });

  it('is satisfied when the key exists everywhere', () => {
    expect(runPack('rules: [{id: r, kind: require, keys: [TZ, "features.*"]}]', [staging, production])).toEqual([]);
  });
});

describe('rules/forbid', () => {
  it('reports a forbidden key with the environments that still hold it', () => {
    const findings = runPack(
      'rules: [{id: retired-global-oauth, kind: forbid, keys: ["GLOBAL_OAUTH_*", "oauth.global.*"], message: Retired.}]',
      [staging, production],
    );
    expect(brief(findings)).toEqual([
      { rule: 'retired-global-oauth', severity: 'error', key: 'GLOBAL_OAUTH_CLIENT_ID', envs: ['production'] },
    ]);
    expect(findings[0]?.message).toBe('Retired.');
    expect(findings[0]?.values).toEqual({ production: 'abc' });
  });

  it('takes its keys from the config`s retiredKeys list with keysFrom', () => {
    const pack = 'rules: [{id: retired-keys, kind: forbid, keysFrom: retiredKeys}]';
    expect(runPack(pack, [staging, production])).toEqual([]);
    expect(brief(runPack(pack, [staging, production], { retiredKeys: ['GLOBAL_OAUTH_*'] }))).toEqual([
      { rule: 'retired-keys', severity: 'error', key: 'GLOBAL_OAUTH_CLIENT_ID', envs: ['production'] },
    ]);
  });
});

describe('rules/equal', () => {
  it('reports keys whose values differ', () => {
    const findings = runPack('rules: [{id: flags, kind: equal, keys: ["features.**"]}]', [staging, production]);
    expect(brief(findings)).toEqual([
      { rule: 'flags', severity: 'error', key: 'features.new_billing', envs: ['production', 'staging'] },
    ]);
    expect(findings[0]?.values).toEqual({ staging: 'false', production: 'true' });
  });

  it('ignores environment names with normalize: env-names, but not other differences', () => {
    expect(
      runPack('rules: [{id: e, kind: equal, keys: [api.base_url], normalize: env-names}]', [staging, production]),
    ).toEqual([]);
    const elsewhere = snapshotOf('production', { 'api.base_url': 'https://api.acme.com' });
    expect(
      brief(runPack('rules: [{id: e, kind: equal, keys: [api.base_url], normalize: env-names}]', [staging, elsewhere])),
    ).toEqual([{ rule: 'e', severity: 'error', key: 'api.base_url', envs: ['production', 'staging'] }]);
    expect(brief(runPack('rules: [{id: e, kind: equal, keys: [api.base_url]}]', [staging, production]))).toHaveLength(
      1,
    );
  });

  it('compares secrets by fingerprint and shows only fingerprints', () => {
    const findings = runPack('rules: [{id: e, kind: equal, keys: [DB_PASSWORD]}]', [staging, production]);
    expect(findings).toHaveLength(1);
    expect(Object.values(findings[0]?.values ?? {}).every((value) => /^fp:[0-9a-f]{8}$/.test(value))).toBe(true);
  });
});

describe('rules/differ', () => {
  it('catches two environments sharing one secret without showing it', () => {
    const findings = runPack('rules: [{id: no-shared, kind: differ, keys: ["*_SECRET", "*_PASSWORD"]}]', [
      staging,
      production,
    ]);
    expect(brief(findings)).toEqual([
      { rule: 'no-shared', severity: 'error', key: 'SESSION_SECRET', envs: ['production', 'staging'] },
    ]);
    expect(findings[0]?.message).toMatch(
      /^staging and production share the same value for SESSION_SECRET \(fp:[0-9a-f]{8}\)$/,
    );
  });

  it('with only: secrets, looks at secrets alone', () => {
    const findings = runPack('rules: [{id: d, kind: differ, only: secrets}]', [staging, production]);
    expect(findings.map((finding) => finding.key)).toEqual(['SESSION_SECRET']);
  });
});

describe('rules/match', () => {
  it('checks equals, oneOf, pattern and type', () => {
    const pack = `rules:
  - {id: utc, kind: match, keys: [TZ], equals: UTC}
  - {id: ports, kind: match, keys: [PORT], type: port}
  - {id: hosts, kind: match, keys: [db.host], pattern: '\\.internal$'}
  - {id: tz-known, kind: match, keys: [TZ], oneOf: [UTC, Etc/UTC]}`;
    const findings = runPack(pack, [staging, production]);
    expect(brief(findings)).toEqual([
      { rule: 'ports', severity: 'error', key: 'PORT', envs: ['production'] },
      { rule: 'tz-known', severity: 'error', key: 'TZ', envs: ['production'] },
      { rule: 'utc', severity: 'error', key: 'TZ', envs: ['production'] },
    ]);
    expect(findings.find((finding) => finding.rule === 'utc')?.message).toBe(
      'TZ in production is Europe/Berlin, expected UTC',
    );
  });

  it.each([
    ['url', 'https://a.example/x', 'not a url'],
    ['duration', '1h30m', '90 minutes'],
    ['number', 3, '3'],
    ['boolean', true, 'yes'],
  ] as const)('type %s accepts %j and rejects %j', (type, good, bad) => {
    const pack = `rules: [{id: t, kind: match, keys: [v], type: ${type}}]`;
    expect(runPack(pack, [snapshotOf('a', { v: good })])).toEqual([]);
    expect(runPack(pack, [snapshotOf('a', { v: bad })])).toHaveLength(1);
  });

  it('says plainly that a secret value cannot be checked against a pattern', () => {
    const findings = runPack('rules: [{id: m, kind: match, keys: [DB_PASSWORD], pattern: "^.{12,}$"}]', [staging]);
    expect(findings[0]?.message).toMatch(/is a secret: driftwatch keeps only its fingerprint/);
  });
});

describe('rules/plaintext', () => {
  it('flags secrets read from files under version control, not from the process environment', () => {
    const fromEnv = snapshotOf('production', {
      API_TOKEN: { secret: 'x', sourceKind: 'env' },
      DB_PASSWORD: { secret: 'y' },
    });
    expect(brief(runPack('rules: [{id: pt, kind: plaintext}]', [fromEnv]))).toEqual([
      { rule: 'pt', severity: 'error', key: 'DB_PASSWORD', envs: ['production'] },
    ]);
  });
});

describe('rules/allow', () => {
  const pack = (until: string) => `rules:
  - {id: same, kind: equal, keys: ["**"]}
  - {id: hosts-differ, kind: allow, keys: [db.host, api.base_url], reason: Each environment has its own., until: ${until}}`;

  it('drops the drift it declares, until its date', () => {
    const keys = runPack(pack('2027-06-30'), [staging, production]).map((finding) => finding.key);
    expect(keys).not.toContain('db.host');
    expect(keys).not.toContain('api.base_url');
    expect(keys).toContain('TZ');
  });

  it('lapses after its until day: the drift resurfaces and a notice says so', () => {
    const findings = runPack(pack('2026-11-24'), [staging, production]);
    expect(findings.map((finding) => finding.key)).toContain('db.host');
    const notice = findings.find((finding) => finding.kind === 'allow');
    expect(notice).toMatchObject({ rule: 'hosts-differ', severity: 'notice', key: 'db.host, api.base_url' });
    expect(notice?.message).toBe(
      "the allowance 'hosts-differ' lapsed on 2026-11-24; 2 findings it covered are reported again (it said: Each environment has its own.)",
    );
  });

  it('holds through its last day', () => {
    const findings = runPack(pack('2026-11-25'), [staging, production]);
    expect(findings.some((finding) => finding.kind === 'allow')).toBe(false);
  });

  it('covers only parity and equal rules unless it names rules', () => {
    const forbidPack = `rules:
  - {id: no-oauth, kind: forbid, keys: ["GLOBAL_*"]}
  - {id: allow-all, kind: allow, keys: ["**"], reason: testing}`;
    expect(runPack(forbidPack, [production])).toHaveLength(1);
    expect(
      runPack(`${forbidPack}\n  - {id: allow-oauth, kind: allow, keys: ["GLOBAL_*"], rules: [no-oauth], reason: r}`, [
        production,
      ]),
    ).toEqual([]);
  });
});

describe('rules/engine', () => {
  it('narrows a rule to its envs', () => {
    const findings = runPack('rules: [{id: utc, kind: match, keys: [TZ], equals: UTC, envs: [staging]}]', [
      staging,
      production,
    ]);
    expect(findings).toEqual([]);
  });

  it('gives each finding a stable id that depends on rule, key and environments only', () => {
    const first = runPack('rules: [{id: p, kind: parity}]', [staging, production]);
    const again = runPack('rules: [{id: p, kind: parity}]', [staging, production]);
    expect(first.map((finding) => finding.id)).toEqual(again.map((finding) => finding.id));
    expect(first[0]?.id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('sorts findings by severity, then key, then rule', () => {
    const pack = `rules:
  - {id: p, kind: parity}
  - {id: utc, kind: match, keys: [TZ], equals: UTC, severity: notice}
  - {id: flags, kind: equal, keys: ["features.**"]}`;
    expect(runPack(pack, [staging, production]).map((finding) => `${finding.severity}:${finding.key}`)).toEqual([
      'error:features.new_billing',
      'warning:GLOBAL_OAUTH_CLIENT_ID',
      'notice:TZ',
    ]);
  });

  it('aligns N environments in one matrix', () => {
    const qa = snapshotOf('qa', { TZ: 'UTC' });
    const findings = runPack('rules: [{id: p, kind: parity, keys: [GLOBAL_OAUTH_CLIENT_ID, TZ]}]', [
      staging,
      production,
      qa,
    ]);
    expect(brief(findings)).toEqual([
      { rule: 'p', severity: 'warning', key: 'GLOBAL_OAUTH_CLIENT_ID', envs: ['qa', 'staging'] },
    ]);
  });
});
