import { describe, expect, it } from 'vitest';
import { compileKeyGlob, KeyGlobSyntaxError, literalKeyOf, literalPrefixOf } from '../../src/rules/key-glob.js';
import { parseKeyPath } from '../../src/snapshot/key-path.js';

/** The keys among `keys` that `glob` matches. */
function matching(glob: string, keys: readonly string[]): string[] {
  const matches = compileKeyGlob(glob);
  return keys.filter((key) => matches(parseKeyPath(key)));
}

const KEYS = [
  'company.default.web.id',
  'company.default.web',
  'company.default',
  'company.defaults.web',
  'oauth.global.client_id',
  'oauth.tenant.client_id',
  'hosts[0]',
  'hosts[1].name',
  'DB_SECRET',
  'API_URL',
  'logging.level."com.macro.mall"',
];

describe('rules/key-glob', () => {
  it('matches * within one segment, and a trailing * everything below its prefix', () => {
    expect(matching('company.default.*', KEYS)).toEqual(['company.default.web.id', 'company.default.web']);
    expect(matching('company.default.web.id', KEYS)).toEqual(['company.default.web.id']);
    expect(matching('oauth.*.client_id', KEYS)).toEqual(['oauth.global.client_id', 'oauth.tenant.client_id']);
    expect(matching('*_SECRET', KEYS)).toEqual(['DB_SECRET']);
    expect(matching('*_URL', KEYS)).toEqual(['API_URL']);
  });

  it('matches ** across any number of segments, [*] any list index, and quoted segments whole', () => {
    expect(matching('company.**', KEYS)).toEqual([
      'company.default.web.id',
      'company.default.web',
      'company.default',
      'company.defaults.web',
    ]);
    expect(matching('**.client_id', KEYS)).toEqual(['oauth.global.client_id', 'oauth.tenant.client_id']);
    expect(matching('hosts[*]', KEYS)).toEqual(['hosts[0]']);
    expect(matching('hosts[*].name', KEYS)).toEqual(['hosts[1].name']);
    // `hosts.*` asks for a map key under hosts: list items are not that.
    expect(matching('hosts.*', KEYS)).toEqual([]);
    expect(matching('logging.level."com.macro.*"', KEYS)).toEqual(['logging.level."com.macro.mall"']);
    expect(matching('logging.level.*', KEYS)).toEqual(['logging.level."com.macro.mall"']);
  });

  it('gives the literal key or prefix a rule can look up instead of testing every key', () => {
    expect(literalKeyOf('company.default.web.id')).toBe('company.default.web.id');
    expect(literalKeyOf('company.default.*')).toBeUndefined();
    expect(literalPrefixOf('company.default.*')).toBe('company.default');
    expect(literalPrefixOf('**.password')).toBe('');
  });

  it('refuses globs that are not well formed', () => {
    expect(() => compileKeyGlob('a..b')).toThrow(KeyGlobSyntaxError);
    expect(() => compileKeyGlob('a."b')).toThrow(/unterminated quote/);
  });
});
