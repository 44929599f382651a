import { describe, expect, it } from 'vitest';
import type { ReferenceIndex, ReferenceSite } from '../../src/references/scan.js';
import { snapshotOf } from '../helpers/snapshots.js';
import { brief, runPack } from './run.js';

function site(file: string, line: number, extra: Partial<ReferenceSite> = {}): ReferenceSite {
  return { file, line, column: 5, style: 'env', ...extra };
}

function indexOf(reads: Record<string, ReferenceSite[]>, unresolvable = 0): ReferenceIndex {
  return {
    references: new Map(Object.entries(reads)),
    unresolvable: Array.from({ length: unresolvable }, (_, i) => ({
      file: 'src/x.js',
      line: i + 1,
      column: 1,
      snippet: 'process.env[name]',
    })),
    skipped: { binary: 0, minified: 0, tooLarge: 0, unreadable: 0 },
    files: 3,
    bytes: 100,
  };
}

const staging = snapshotOf('staging', { SESSION_SECRET: 'a', 'db.host': 'db-s', OAUTH_TENANT_ISSUER: 'https://login' });
const production = snapshotOf('production', { SESSION_SECRET: 'b', 'db.host': 'db-p', GLOBAL_OAUTH_CLIENT_ID: 'x' });

const reads = indexOf({
  SESSION_SECRET: [site('src/server.js', 3)],
  OAUTH_TENANT_ISSUER: [site('src/oauth.js', 7)],
  db: [site('src/db.js', 2, { style: 'dotted' })],
  CACHE_TTL: [site('src/cache.js', 4, { optional: true })],
  HOME: [site('src/paths.js', 1)],
});

describe('rules/referenced', () => {
  it('reports configured keys that no code reads, with the environments still holding them', () => {
    const findings = runPack('rules: [{id: stale, kind: referenced}]', [staging, production], {
      references: { index: reads, mode: 'exact' },
    });
    expect(brief(findings)).toEqual([
      { rule: 'stale', severity: 'warning', key: 'GLOBAL_OAUTH_CLIENT_ID', envs: ['production'] },
    ]);
    expect(findings[0]?.message).toBe('nothing in the code reads GLOBAL_OAUTH_CLIENT_ID, still set in production');
  });

  it('says how many dynamic reads it could not resolve', () => {
    const findings = runPack('rules: [{id: stale, kind: referenced}]', [production], {
      references: { index: indexOf({}, 2), mode: 'exact' },
    });
    expect(findings[0]?.message).toMatch(/\(2 dynamic reads could not be resolved\)$/);
  });

  it('matches Spring-style keys to env-style reads in relaxed mode', () => {
    const spring = snapshotOf('prod', { 'payments.api-key': 'k' });
    const envRead = indexOf({ PAYMENTS_API_KEY: [site('src/pay.js', 1)] });
    expect(
      runPack('rules: [{id: s, kind: referenced}]', [spring], { references: { index: envRead, mode: 'relaxed' } }),
    ).toEqual([]);
    expect(
      runPack('rules: [{id: s, kind: referenced}]', [spring], { references: { index: envRead, mode: 'exact' } }),
    ).toHaveLength(1);
  });
});

describe('rules/missing-reference', () => {
  it('reports a key the code reads that an environment lacks, located at the read', () => {
    const findings = runPack('rules: [{id: missing, kind: missing-reference}]', [staging, production], {
      references: { index: reads, mode: 'exact' },
    });
    expect(brief(findings)).toEqual([
      { rule: 'missing', severity: 'error', key: 'OAUTH_TENANT_ISSUER', envs: ['production'] },
      { rule: 'missing', severity: 'notice', key: 'CACHE_TTL', envs: ['production'] },
      { rule: 'missing', severity: 'notice', key: 'CACHE_TTL', envs: ['staging'] },
    ]);
    expect(findings[0]?.locations).toEqual([{ env: 'production', file: 'src/oauth.js', line: 7, column: 5 }]);
    expect(findings[0]?.message).toBe(
      'the code reads OAUTH_TENANT_ISSUER (src/oauth.js:7) but production does not define it',
    );
  });

  it('leaves out process variables and the names it is told to ignore', () => {
    const findings = runPack(
      'rules: [{id: m, kind: missing-reference, ignore: ["CACHE_*", OAUTH_TENANT_ISSUER]}]',
      [staging, production],
      {
        references: { index: reads, mode: 'exact' },
      },
    );
    expect(findings).toEqual([]);
  });
});
