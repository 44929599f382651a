import { describe, expect, it } from 'vitest';
import { missingKeys } from '../../src/references/missing-keys.js';
import type { ReferenceSite } from '../../src/references/scan.js';

function site(file: string, style: 'env' | 'dotted', extra: Partial<ReferenceSite> = {}): ReferenceSite {
  return { file, line: 1, column: 1, style, ...extra };
}

describe('references/missing-keys', () => {
  const index = {
    references: new Map<string, ReferenceSite[]>([
      ['DATABASE_URL', [site('src/db.ts', 'env')]],
      ['LOG_LEVEL', [site('deploy/compose.yml', 'env', { optional: true })]],
      ['SENTRY_DSN', [site('src/a.ts', 'env'), site('src/b.ts', 'env', { optional: true })]],
      ['feature', [site('src/flags.ts', 'dotted')]],
      ['payments.api-key', [site('src/Pay.java', 'dotted')]],
      ['mall.security', [site('src/Security.java', 'dotted', { prefix: true, optional: true })]],
    ]),
  };

  it('lists, per environment, what the code reads and the environment lacks', () => {
    const environments = {
      staging: ['DATABASE_URL', 'LOG_LEVEL', 'SENTRY_DSN', 'feature.beta', 'payments.api-key'],
      production: new Set(['DATABASE_URL', 'feature', 'PAYMENTS_API_KEY']),
    };
    expect(missingKeys(environments, index)).toEqual([
      {
        env: 'production',
        key: 'LOG_LEVEL',
        sites: [site('deploy/compose.yml', 'env', { optional: true })],
        optional: true,
      },
      {
        env: 'production',
        key: 'SENTRY_DSN',
        sites: [site('src/a.ts', 'env'), site('src/b.ts', 'env', { optional: true })],
        optional: false,
      },
      { env: 'production', key: 'payments.api-key', sites: [site('src/Pay.java', 'dotted')], optional: false },
    ]);
  });

  it('accepts a Map and relaxed matching', () => {
    const environments = new Map([
      ['production', ['DATABASE_URL', 'LOG_LEVEL', 'SENTRY_DSN', 'FEATURE_BETA', 'PAYMENTS_APIKEY']],
    ]);
    expect(missingKeys(environments, index, 'relaxed')).toEqual([]);
    expect(missingKeys(environments, index, 'exact').map((missing) => missing.key)).toEqual([
      'feature',
      'payments.api-key',
    ]);
  });

  it('checks env-style and dotted reads of one name by their own rules', () => {
    const both = {
      references: new Map([['db', [site('src/a.ts', 'env'), site('src/b.ts', 'dotted')]]]),
    };
    expect(missingKeys({ staging: ['db.host'] }, both)).toEqual([
      { env: 'staging', key: 'db', sites: [site('src/a.ts', 'env')], optional: false },
    ]);
  });
});
