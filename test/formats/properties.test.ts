import { parse as parseDotProperties } from 'dot-properties';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Leaf } from '../../src/formats/format.js';
import { propertiesFormat, propertyKeyPath } from '../../src/formats/properties.js';
import { byKey, parserFor } from './helpers.js';

const { parse, problemsOf } = parserFor(propertiesFormat, 'application.properties');

/** Values as text, as Java holds them (numbers and booleans are typed only when their text is canonical). */
function valuesOf(leaves: readonly Leaf[]): Record<string, unknown> {
  return Object.fromEntries(leaves.map((leaf) => [JSON.stringify(leaf.path), String(leaf.value)]));
}

/** What dot-properties reads, keyed as driftwatch splits the keys. */
function referenceValues(text: string): Record<string, unknown> {
  const flat = parseDotProperties(text.replace(/^\uFEFF/, '')) as Record<string, string>;
  return Object.fromEntries(Object.entries(flat).map(([key, value]) => [JSON.stringify(propertyKeyPath(key)), value]));
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

  it('splits keys at dots, as Spring reads them, with the line and column of each value', () => {
    expect(parse(SPRING)).toEqual([
      {
        path: ['spring', 'datasource', 'url'],
        value: 'jdbc:mysql://db.prod:3306/mall?useUnicode=true&characterEncoding=utf-8',
        type: 'string',
        line: 2,
        column: 23,
      },
      { path: ['spring', 'datasource', 'username'], value: 'mall', type: 'string', line: 3, column: 30 },
      { path: ['server', 'port'], value: 8085, type: 'number', line: 4, column: 13 },
      { path: ['logging', 'level', 'com', 'macro', 'mall'], value: 'info', type: 'string', line: 6, column: 30 },
      { path: ['jwt', 'tokenHead'], value: 'Bearer ', type: 'string', line: 7, column: 15 },
      {
        path: ['redis', 'key', 'prefix', 'authCode'],
        value: 'portal:authCode:suffix',
        type: 'string',
        line: 8,
        column: 29,
      },
      { path: ['greeting'], value: 'Grüße', type: 'string', line: 10, column: 10 },
      { path: ['empty', 'value'], value: '', type: 'string', line: 11, column: 1 },
    ]);
  });

  it("reads Spring's list indices as list indices and brackets as one segment", () => {
    const text = 'servers[0]=a\nservers[1].host=b\nmatrix[0][1]=c\nlogging.level[com.macro.mall]=debug\n';
    expect(parse(text).map((leaf) => [leaf.path, leaf.value])).toEqual([
      [['servers', 0], 'a'],
      [['servers', 1, 'host'], 'b'],
      [['matrix', 0, 1], 'c'],
      [['logging', 'level', 'com.macro.mall'], 'debug'],
    ]);
  });

  it('keeps a key that does not split cleanly as one segment, as Java reads it', () => {
    for (const key of ['a..b', '.a', 'a.', 'a[0', '[0]', 'a]b', 'a[]', 'a[0]b']) {
      expect(propertyKeyPath(key), key).toEqual([key]);
    }
    expect(propertyKeyPath('a[01]')).toEqual(['a', '01']);
    expect(propertyKeyPath('a[1234567890]')).toEqual(['a', '1234567890']);
  });

  it('keeps both values of a key that is also a prefix', () => {
    expect(byKey(parse('a=1\na.b=2\nlist[0]=x\nlist=whole\n'))).toEqual(
      new Map([
        ['a', { path: ['a'], value: 1, type: 'number', line: 1, column: 3 }],
        ['a.b', { path: ['a', 'b'], value: 2, type: 'number', line: 2, column: 5 }],
        ['list[0]', { path: ['list', 0], value: 'x', type: 'string', line: 3, column: 9 }],
        ['list', { path: ['list'], value: 'whole', type: 'string', line: 4, column: 6 }],
      ]),
    );
  });

  it('types a value as YAML types the same text, when nothing of the text is lost', () => {
    const text =
      'a=8085\nb=0.75\nc=true\nd=false\ne=-3\nf=12345678901234567890\n' +
      'g=1.0\nh=007\ni=TRUE\nj=1e21\nk=-0\nl=8085 \nm=\n';
    expect(parse(text).map((leaf) => [leaf.path[0], leaf.value, leaf.type])).toEqual([
      ['a', 8085, 'number'],
      ['b', 0.75, 'number'],
      ['c', true, 'boolean'],
      ['d', false, 'boolean'],
      ['e', -3, 'number'],
      ['f', '12345678901234567890', 'number'],
      ['g', '1.0', 'string'],
      ['h', '007', 'string'],
      ['i', 'TRUE', 'string'],
      ['j', '1e21', 'string'],
      ['k', '-0', 'string'],
      ['l', '8085 ', 'string'],
      ['m', '', 'string'],
    ]);
  });

  it('reads escaped separators and spaces in keys', () => {
    expect(parse('key\\ with\\ spaces = v\nurl\\:port\\=x=1\n')).toEqual([
      { path: ['key with spaces'], value: 'v', type: 'string', line: 1, column: 21 },
      { path: ['url:port=x'], value: 1, type: 'number', line: 2, column: 14 },
    ]);
  });

  it('reads a line with no separator as a key with an empty value, as Java does', () => {
    expect(parse('  feature.enabled\n')).toEqual([
      { path: ['feature', 'enabled'], value: '', type: 'string', line: 1, column: 3 },
    ]);
  });

  it('refuses a key written twice, naming both lines (Java would silently keep the later value)', () => {
    expect(problemsOf('a=1\nb=2\n  a = 3\nm.k=1\nm[k]=2\n')).toEqual([
      {
        file: 'application.properties',
        line: 3,
        column: 3,
        message: "duplicate key 'a' (first at line 1); Java would keep this later value",
      },
      {
        file: 'application.properties',
        line: 5,
        column: 1,
        message: "duplicate key 'm[k]' (first at line 4); Java would keep this later value",
      },
    ]);
  });

  it('refuses a key that is a list in one line and a map in another', () => {
    expect(problemsOf('servers[0]=a\nservers.main=b\n')).toEqual([
      {
        file: 'application.properties',
        line: 2,
        column: 1,
        message: "'servers.main' makes 'servers' a map, but line 1 made it a list",
      },
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
        if (leaves.some((leaf) => leaf.path.includes('__proto__'))) return;
        expect(valuesOf(leaves)).toEqual(referenceValues(text));
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
      const unit = fc.constantFrom(
        'a',
        '.',
        '=',
        ':',
        ' ',
        '\t',
        '\f',
        '\n',
        '\r',
        '#',
        '!',
        '\\',
        'u',
        '0',
        'F',
        'G',
        '[',
        ']',
      );
      fc.assert(fc.property(fc.string({ unit, maxLength: 80 }), agreesWithDotProperties), { numRuns: 500 });
    });

    it('reads every well-formed file as dot-properties does, and places each key on its line', () => {
      const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,5}$/);
      // Below each entry's own unique name: nothing, a map, a list, or a value that is also a prefix.
      const shape = fc.constantFrom('', '.x', '[0]', '[1].y', '.a.b', 'leaf-and-prefix');
      const value = fc
        .string({
          unit: fc.constantFrom('a', ' ', '=', ':', '#', '!', '\\\\', '\\u00e9', '\\t', 'é', '\\\n    ', '\\:'),
          maxLength: 12,
        })
        .map((text) => (text === '' ? '' : `v${text}z`));
      const entry = fc.record({
        name,
        shape,
        value,
        separator: fc.constantFrom('=', ' = ', ':', ' : ', ' ', '\t'),
        indent: fc.constantFrom('', '  ', '\t'),
      });
      const line = fc.oneof(
        { weight: 5, arbitrary: entry },
        { weight: 1, arbitrary: fc.constantFrom('', '# a comment', '! another', '   # a.b=commented') },
      );
      fc.assert(
        fc.property(
          fc.array(line, { maxLength: 10 }),
          fc.constantFrom('\n', '\r\n', '\r'),
          fc.boolean(),
          (lines, lineEnd, bom) => {
            const written: string[] = [];
            const keyLines = new Map<string, number>();
            const add = (key: string, text: string): void => {
              keyLines.set(JSON.stringify(propertyKeyPath(key)), written.length + 1);
              written.push(...text.split('\n'));
            };
            for (const [index, item] of lines.entries()) {
              if (typeof item === 'string') {
                written.push(item);
                continue;
              }
              const base = `${item.name}_${index}`;
              const key = item.shape === 'leaf-and-prefix' ? base : `${base}${item.shape}`;
              add(key, `${item.indent}${key}${item.separator}${item.value}`);
              if (item.shape === 'leaf-and-prefix') add(`${base}.below`, `${base}.below=also`);
            }
            const text = (bom ? '\uFEFF' : '') + written.join(lineEnd);
            const leaves = parse(text);
            expect(valuesOf(leaves)).toEqual(referenceValues(text));
            expect(Object.fromEntries(leaves.map((leaf) => [JSON.stringify(leaf.path), leaf.line]))).toEqual(
              Object.fromEntries(keyLines),
            );
          },
        ),
        { numRuns: 1000 },
      );
    });
  });
});
