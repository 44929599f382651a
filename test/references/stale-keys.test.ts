import { describe, expect, it } from 'vitest';
import type { ReferenceSite } from '../../src/references/scan.js';
import { staleKeys } from '../../src/references/stale-keys.js';

const site = (file: string, style: 'env' | 'dotted'): ReferenceSite => ({ file, line: 3, column: 7, style });

describe('references/stale-keys', () => {
  // The outage: production still carried global OAuth credentials no code read any more.
  const index = {
    references: new Map<string, ReferenceSite[]>([
      ['TENANT_OAUTH_CLIENT_ID', [site('src/auth.ts', 'env')]],
      ['db', [site('src/db.ts', 'dotted')]],
      ['payments.api-key', [site('src/Pay.java', 'dotted')]],
    ]),
  };

  it('lists configured keys that no code reads, sorted', () => {
    const configured = [
      'TENANT_OAUTH_CLIENT_ID',
      'GLOBAL_OAUTH_CLIENT_SECRET',
      'GLOBAL_OAUTH_CLIENT_ID',
      'db.host',
      'db.pool.max',
      'PAYMENTS_API_KEY',
    ];
    expect(staleKeys(configured, index)).toEqual([
      'GLOBAL_OAUTH_CLIENT_ID',
      'GLOBAL_OAUTH_CLIENT_SECRET',
      'PAYMENTS_API_KEY',
    ]);
    // Relaxed binding: the dotted Spring read covers the env form.
    expect(staleKeys(configured, index, 'relaxed')).toEqual(['GLOBAL_OAUTH_CLIENT_ID', 'GLOBAL_OAUTH_CLIENT_SECRET']);
  });

  it('finds nothing stale when nothing is configured', () => {
    expect(staleKeys([], index)).toEqual([]);
  });
});
