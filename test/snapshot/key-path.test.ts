import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../../src/formats/format.js';
import { formatKeyPath, KeyPathSyntaxError, parseKeyPath } from '../../src/snapshot/key-path.js';

describe('snapshot/key-path', () => {
  it('writes plain segments dotted and indices in brackets', () => {
    expect(formatKeyPath(['oauth', 'global', 'client_id'])).toBe('oauth.global.client_id');
    expect(formatKeyPath(['hosts', 0, 'name'])).toBe('hosts[0].name');
    expect(formatKeyPath(['GLOBAL_OAUTH_CLIENT_ID'])).toBe('GLOBAL_OAUTH_CLIENT_ID');
  });

  it('quotes keys that contain dots, spaces, quotes or glob characters', () => {
    expect(formatKeyPath(['logging', 'level', 'com.macro.mall'])).toBe('logging.level."com.macro.mall"');
    expect(formatKeyPath(['a', 'say "hi"'])).toBe('a."say \\"hi\\""');
    expect(formatKeyPath(['a', 'back\\slash'])).toBe('a."back\\\\slash"');
    expect(formatKeyPath(['a', '*'])).toBe('a."*"');
    expect(formatKeyPath(['a', ''])).toBe('a.""');
    expect(formatKeyPath(['nginx.ingress.kubernetes.io/rewrite-target'])).toBe(
      '"nginx.ingress.kubernetes.io/rewrite-target"',
    );
  });

  it('keeps Kubernetes resource identities and URLs-like keys plain', () => {
    expect(formatKeyPath(['Deployment/api', 'spec', 'replicas'])).toBe('Deployment/api.spec.replicas');
  });

  it('accepts needless quotes and writes the canonical form', () => {
    expect(formatKeyPath(parseKeyPath('"a"."b"'))).toBe('a.b');
  });

  it('parses what it writes', () => {
    expect(parseKeyPath('logging.level."com.macro.mall"')).toEqual(['logging', 'level', 'com.macro.mall']);
    expect(parseKeyPath('hosts[0].name')).toEqual(['hosts', 0, 'name']);
    expect(parseKeyPath('[2].a')).toEqual([2, 'a']);
  });

  it.each([
    ['', 'empty key path'],
    ['a..b', 'empty segment'],
    ['a.', 'trailing dot'],
    ['a."b', 'unterminated quote'],
    ['a[x]', 'expected a list index'],
    ['a b', 'must be quoted'],
    ['a.[0]', 'empty segment'],
    ['"a"b', "expected '.' or '['"],
  ])('rejects %j with a column', (text, message) => {
    expect(() => parseKeyPath(text)).toThrow(KeyPathSyntaxError);
    expect(() => parseKeyPath(text)).toThrow(message);
  });

  it('round-trips any path (property)', () => {
    const segment: fc.Arbitrary<PathSegment> = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
      fc.nat({ max: 1000 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (path) => {
        expect(parseKeyPath(formatKeyPath(path))).toEqual(path);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but KeyPathSyntaxError on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const path = parseKeyPath(text);
          expect(parseKeyPath(formatKeyPath(path))).toEqual(path);
        } catch (error) {
          expect(error).toBeInstanceOf(KeyPathSyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
