import { parse as parseDotProperties } from 'dot-properties';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Leaf } from '../../src/formats/format.js';
import { propertiesFormat } from '../../src/formats/properties.js';
import { parserFor } from './helpers.js';

const { parse, problemsOf } = parserFor(propertiesFormat, 'application.properties');

function valuesOf(leaves: readonly Leaf[]): Record<string, unknown> {
  return Object.fromEntries(leaves.map((leaf) => [leaf.path.join('\u0000'), leaf.value]));
}

/** Any UTF-16 text, lone surrogates included, leaning towards ASCII. (fast-check's 'binary' unit is slow.) */
const anyCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x10ffff }))
  .map((code) => String.fromCodePoint(code));

/** In the style of a Spring Boot `application-prod.properties`. */
const SPRING = [
  '# Production profile',
  'spring.datasource.url=jdbc:mysql://db.prod:3306/mall?useUnicode=true&characterEncoding=utf-8',
  'spring.datasource.username : mall',
  'server.port 8085',
  '! legacy comment style',
  'logging.level.com.macro.mall=info',
  'jwt.tokenHead=Bearer ',
  'redis.key.prefix.authCode = portal:authCode:\\',
  '    suffix',
  'greeting=Gr\\u00fc\\u00DFe',
  'empty.value=',
].join('\n');

describe('formats/properties', () => {
  it('declares its id and extension', () => {
    expect(propertiesFormat.id).toBe('properties');
    expect(propertiesFormat.extensions).toEqual(['.properties']);
  });

  it('keeps each dotted key as one flat segment, with the line and column of its value', () => {
    expect(parse(SPRING)).toEqual([
      {
        path: ['spring.datasource.url'],
        value: 'jdbc:mysql://db.prod:3306/mall?useUnicode=true&characterEncoding=utf-8',
        type: 'string',
        line: 2,
        column: 23,
      },
      { path: ['spring.datasource.username'], value: 'mall', type: 'string', line: 3, column: 30 },
      { path: ['server.port'], value: '8085', type: 'string', line: 4, column: 13 },
      { path: ['logging.level.com.macro.mall'], value: 'info', type: 'string', line: 6, column: 30 },
      { path: ['jwt.tokenHead'], value: 'Bearer ', type: 'string', line: 7, column: 15 },
      { path: ['redis.key.prefix.authCode'], value: 'portal:authCode:suffix', type: 'string', line: 8, column: 29 },
      { path: ['greeting'], value: 'Grüße', type: 'string', line: 10, column: 10 },
      { path: ['empty.value'], value: '', type: 'string', line: 11, column: 1 },
    ]);
  });

  it('reads escaped separators and spaces in keys', () => {
    expect(parse('key\\ with\\ spaces = v\nurl\\:port\\=x=1\n')).toEqual([
      { path: ['key with spaces'], value: 'v', type: 'string', line: 1, column: 21 },
      { path: ['url:port=x'], value: '1', type: 'string', line: 2, column: 14 },
    ]);
  });

  it('reads a line with no separator as a key with an empty value, as Java does', () => {
    expect(parse('  feature.enabled\n')).toEqual([
      { path: ['feature.enabled'], value: '', type: 'string', line: 1, column: 3 },
    ]);
  });

  it('lets the later of two lines with the same key win, at the later line', () => {
    expect(parse('a=1\nb=2\na=3\n')).toEqual([
      { path: ['b'], value: '2', type: 'string', line: 2, column: 3 },
      { path: ['a'], value: '3', type: 'string', line: 3, column: 3 },
    ]);
  });

  it('counts CRLF and lone CR line ends, and skips a byte-order mark', () => {
    expect(parse('\uFEFFa=1\r\nb=2\rc=\\\r\n  3').map(({ path, line, column }) => [path[0], line, column])).toEqual([
      ['a', 1, 3],
      ['b', 2, 3],
      ['c', 3, 3],
    ]);
  });

  it('reports every malformed \\uXXXX escape, which Java refuses', () => {
    expect(problemsOf('ok=\\u0041\nbad=\\u00G1\nalso\\uZZ=1\nfine=\\\\u00zz\n')).toEqual([
      { file: 'application.properties', line: 2, column: 5, message: 'malformed \\uXXXX escape' },
      { file: 'application.properties', line: 3, column: 5, message: 'malformed \\uXXXX escape' },
    ]);
  });

  describe('properties', () => {
    const agreesWithDotProperties = (text: string): void => {
      try {
        const leaves = parse(text);
        if (leaves.some((leaf) => leaf.path[0] === '__proto__')) return;
        expect(valuesOf(leaves)).toEqual(parseDotProperties(text.replace(/^\uFEFF/, '')));
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
      }
    };

    it('throws nothing but ParseError for any text, and otherwise reads what dot-properties reads', () => {
      fc.assert(fc.property(fc.string({ unit: anyCharacter, maxLength: 200 }), agreesWithDotProperties), {
        numRuns: 500,
      });
    });

    it("does the same for text made of the format's significant characters", () => {
      const unit = fc.constantFrom('a', '.', '=', ':', ' ', '\t', '\f', '\n', '\r', '#', '!', '\\', 'u', '0', 'F', 'G');
      fc.assert(fc.property(fc.string({ unit, maxLength: 80 }), agreesWithDotProperties), { numRuns: 500 });
    });
  });
});
