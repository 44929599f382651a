import { describe, expect, it } from 'vitest';
import { keyForms, referenceMatchesKey, referencesByKey, relaxedForms } from '../../src/references/match.js';
import type { ReferenceSite } from '../../src/references/scan.js';

const env = (name: string) => ({ name, style: 'env' as const });
const dotted = (name: string) => ({ name, style: 'dotted' as const });

describe('references/match', () => {
  describe('exact', () => {
    it('matches a flat env name, and a dotted read of the key path', () => {
      expect(referenceMatchesKey('GLOBAL_OAUTH_CLIENT_ID', env('GLOBAL_OAUTH_CLIENT_ID'), 'exact')).toBe(true);
      expect(referenceMatchesKey('GLOBAL_OAUTH_CLIENT_ID', env('global_oauth_client_id'), 'exact')).toBe(false);
      expect(referenceMatchesKey('oauth.global.client_id', dotted('oauth.global.client_id'), 'exact')).toBe(true);
      expect(referenceMatchesKey('payments.api-key', env('PAYMENTS_API_KEY'), 'exact')).toBe(false);
    });

    it('lets a dotted read of a prefix reference every key under it, at segment boundaries only', () => {
      expect(referenceMatchesKey('db.host', dotted('db'), 'exact')).toBe(true);
      expect(referenceMatchesKey('db.replicas[0].host', dotted('db.replicas'), 'exact')).toBe(true);
      expect(referenceMatchesKey('db.replicas[0].host', dotted('db.replicas[0]'), 'exact')).toBe(true);
      expect(referenceMatchesKey('dbx.host', dotted('db'), 'exact')).toBe(false);
      expect(referenceMatchesKey('db', dotted('db.host'), 'exact')).toBe(false);
      // An env-style read is never a prefix.
      expect(referenceMatchesKey('db.host', env('db'), 'exact')).toBe(false);
    });

    it('reads quoted segments as written in code', () => {
      expect(
        referenceMatchesKey('logging.level."com.macro.mall"', dotted('logging.level.com.macro.mall'), 'exact'),
      ).toBe(true);
      expect(referenceMatchesKey('logging.level."com.macro.mall"', dotted('logging.level'), 'exact')).toBe(true);
      expect(referenceMatchesKey('logging.level."com.macro.mall"', dotted('logging.level.com'), 'exact')).toBe(false);
    });
  });

  describe('relaxed', () => {
    it("accepts Spring's env form and the legacy one for a dashed key", () => {
      expect(relaxedForms('payments.api-key')).toEqual(['PAYMENTS_APIKEY', 'PAYMENTS_API_KEY']);
      expect(referenceMatchesKey('payments.api-key', env('PAYMENTS_APIKEY'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('payments.api-key', env('PAYMENTS_API_KEY'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('payments.api-key', dotted('payments.apiKey'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('payments.apikey', env('PAYMENTS_API_KEY'), 'relaxed')).toBe(false);
      expect(referenceMatchesKey('my-app.api-key', env('MYAPP_API_KEY'), 'relaxed')).toBe(false);
    });

    it('matches the other way round: a flat env key read through a dotted property', () => {
      expect(referenceMatchesKey('PAYMENTS_APIKEY', dotted('payments.api-key'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('SPRING_DATASOURCE_URL', dotted('spring.datasource.url'), 'relaxed')).toBe(true);
    });

    it('turns list indices into segments and quoted segments into underscores', () => {
      expect(referenceMatchesKey('a[0].b', env('A_0_B'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('my.acme[1].other-name', env('MY_ACME_1_OTHERNAME'), 'relaxed')).toBe(true);
      expect(
        referenceMatchesKey('logging.level."com.macro.mall"', env('LOGGING_LEVEL_COM_MACRO_MALL'), 'relaxed'),
      ).toBe(true);
    });

    it('matches prefix reads at segment boundaries, and at every _ of a flat key', () => {
      expect(referenceMatchesKey('payments.api-key', dotted('payments'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('PAYMENTS_APIKEY', dotted('payments'), 'relaxed')).toBe(true);
      expect(referenceMatchesKey('oauth.client_id', dotted('oauth.client'), 'relaxed')).toBe(false);
      expect(referenceMatchesKey('PAYMENTS_APIKEY', env('PAYMENTS'), 'relaxed')).toBe(false);
      expect(keyForms('a.b-c.d', 'relaxed')).toEqual({
        whole: ['A_BC_D', 'A_B_C_D'],
        prefixes: ['A', 'A_BC', 'A_B_C'],
      });
    });

    it('includes every exact match', () => {
      for (const [key, read] of [
        ['db.host', dotted('db')],
        ['DB_URL', env('DB_URL')],
        ['logging.level."com.macro.mall"', dotted('logging.level')],
      ] as const) {
        expect(referenceMatchesKey(key, read, 'exact')).toBe(true);
        expect(referenceMatchesKey(key, read, 'relaxed')).toBe(true);
      }
    });
  });

  describe('referencesByKey', () => {
    const site = (file: string, style: 'env' | 'dotted', extra: Partial<ReferenceSite> = {}): ReferenceSite => ({
      file,
      line: 1,
      column: 1,
      style,
      ...extra,
    });

    it('maps every configured key to its sites, sorted, unread keys to []', () => {
      const references = new Map<string, ReferenceSite[]>([
        ['PAYMENTS_API_KEY', [site('src/pay.ts', 'env')]],
        ['payments', [site('src/App.java', 'dotted', { prefix: true })]],
        ['payments.api-key', [site('src/Client.java', 'dotted')]],
        ['db', [site('src/db.js', 'dotted')]],
      ]);
      const keys = ['payments.api-key', 'db.host', 'db.port', 'OLD_TOKEN', 'payments.api-key'];
      expect(Object.fromEntries(referencesByKey(keys, references, 'exact'))).toEqual({
        OLD_TOKEN: [],
        'db.host': [site('src/db.js', 'dotted')],
        'db.port': [site('src/db.js', 'dotted')],
        'payments.api-key': [site('src/App.java', 'dotted', { prefix: true }), site('src/Client.java', 'dotted')],
      });
      expect(referencesByKey(['payments.api-key'], references, 'relaxed').get('payments.api-key')).toEqual([
        site('src/App.java', 'dotted', { prefix: true }),
        site('src/Client.java', 'dotted'),
        site('src/pay.ts', 'env'),
      ]);
    });

    it('scales near-linearly: 50,000 keys against 50,000 names', () => {
      const references = new Map<string, ReferenceSite[]>();
      const keys: string[] = [];
      for (let n = 0; n < 50_000; n++) {
        references.set(`SERVICE_${n}_URL`, [site(`src/s${n}.ts`, 'env')]);
        keys.push(`service-${n}.url`, `service.${n}.timeout`);
      }
      const started = performance.now();
      const matched = referencesByKey(keys, references, 'relaxed');
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(matched.get('service-7.url')).toEqual([site('src/s7.ts', 'env')]);
      expect(matched.get('service.7.timeout')).toEqual([]);
    });
  });
});
