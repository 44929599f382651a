import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Leaf, PathSegment, ValueType } from '../../src/formats/format.js';
import { tomlFormat } from '../../src/formats/toml.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';
import { readCorpus } from '../corpus.js';
import { byKey, parserFor } from './helpers.js';

const { parse, problemsOf } = parserFor(tomlFormat, 'app.toml');

function corpusEnv(env: string): Map<string, Leaf> {
  return byKey(tomlFormat.parse(readCorpus('juspay__connector-service/config', `${env}.toml`), `config/${env}.toml`));
}

/** The leaves a TOML value must make, without positions. */
function flatten(value: unknown, path: PathSegment[] = []): { path: PathSegment[]; value: unknown; type: ValueType }[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value: null, type: 'empty-list' }];
    return value.flatMap((item, index) => flatten(item, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path, value: null, type: 'empty-map' }];
    return entries.flatMap(([key, item]) => flatten(item, [...path, key]));
  }
  if (typeof value === 'boolean') return [{ path, value, type: 'boolean' }];
  if (typeof value === 'number') return [{ path, value, type: 'number' }];
  return [{ path, value, type: 'string' }];
}

/** Any UTF-16 text, lone surrogates included, leaning towards ASCII. (fast-check's 'binary' unit is slow.) */
const anyCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x10ffff }))
  .map((code) => String.fromCodePoint(code));

describe('formats/toml', () => {
  it('declares its id and extension', () => {
    expect(tomlFormat.id).toBe('toml');
    expect(tomlFormat.extensions).toEqual(['.toml']);
  });

  it('reads tables, dotted keys and quoted keys with the position of each value', () => {
    const text =
      'title = "app"\n\n[connectors]\nnmi.base_url = "https://secure.nmi.com"\n\n[events."message.latency"]\nunit = \'ms\'\n';
    expect(parse(text)).toEqual([
      { path: ['title'], value: 'app', type: 'string', line: 1, column: 9 },
      { path: ['connectors', 'nmi', 'base_url'], value: 'https://secure.nmi.com', type: 'string', line: 4, column: 16 },
      { path: ['events', 'message.latency', 'unit'], value: 'ms', type: 'string', line: 7, column: 8 },
    ]);
  });

  it('gives each member of an array or inline table its own position', () => {
    const text = 'hosts = ["a", "b"]\npool = { min = 4, max = 10 }\nmatrix = [\n  [1],\n  { x = true },\n]\n';
    expect(parse(text)).toEqual([
      { path: ['hosts', 0], value: 'a', type: 'string', line: 1, column: 10 },
      { path: ['hosts', 1], value: 'b', type: 'string', line: 1, column: 15 },
      { path: ['pool', 'min'], value: 4, type: 'number', line: 2, column: 16 },
      { path: ['pool', 'max'], value: 10, type: 'number', line: 2, column: 25 },
      { path: ['matrix', 0, 0], value: 1, type: 'number', line: 4, column: 4 },
      { path: ['matrix', 1, 'x'], value: true, type: 'boolean', line: 5, column: 9 },
    ]);
  });

  it('gives arrays of tables index segments, nested ones too', () => {
    const text =
      '[[servers]]\nname = "a"\n[[servers]]\nname = "b"\n[servers.tls]\non = true\n[[servers.ports]]\nn = 80\n';
    expect(parse(text).map(({ path, line }) => [formatKeyPath(path), line])).toEqual([
      ['servers[0].name', 2],
      ['servers[1].name', 4],
      ['servers[1].tls.on', 6],
      ['servers[1].ports[0].n', 8],
    ]);
  });

  it('places a multi-line string where it opens', () => {
    expect(parse('a = 1\nbanner = """\nhello\nworld"""\nb = 2\n')).toEqual([
      { path: ['a'], value: 1, type: 'number', line: 1, column: 5 },
      { path: ['banner'], value: 'hello\nworld', type: 'string', line: 2, column: 10 },
      { path: ['b'], value: 2, type: 'number', line: 5, column: 5 },
    ]);
  });

  it('types dates as datetime, and keeps big integers, inf and nan as text', () => {
    const text = 'at = 1979-05-27 07:32:00Z\nday = 1979-05-27\nbig = 9223372036854775807\nmax = inf\nodd = nan\n';
    expect(parse(text).map(({ value, type }) => [value, type])).toEqual([
      ['1979-05-27T07:32:00.000Z', 'datetime'],
      ['1979-05-27', 'datetime'],
      ['9223372036854775807', 'number'],
      ['inf', 'number'],
      ['nan', 'number'],
    ]);
  });

  it('keeps empty tables and arrays as leaves', () => {
    expect(parse('hosts = []\nopts = {}\n[features]\n')).toEqual([
      { path: ['hosts'], value: null, type: 'empty-list', line: 1, column: 9 },
      { path: ['opts'], value: null, type: 'empty-map', line: 2, column: 8 },
      { path: ['features'], value: null, type: 'empty-map', line: 3, column: 1 },
    ]);
  });

  it('orders leaves as the text does, even when a table is reopened later', () => {
    expect(parse('[a]\nx = 1\n[b]\ny = 2\n[a.c]\nz = 3\n').map((leaf) => formatKeyPath(leaf.path))).toEqual([
      'a.x',
      'b.y',
      'a.c.z',
    ]);
  });

  it('names the line of the first definition of a key or table defined twice', () => {
    const cases: [string, number, number, string][] = [
      ['a = 1\nb = 2\na = 3\n', 3, 1, "'a' (first at line 1)"],
      ['[x]\na = 1\n[y]\n[x]\n', 4, 2, "'x' (first at line 1)"],
      ['[srv]\n"x.y" = 1\n"x.y" = 2\n', 3, 1, '\'srv."x.y"\' (first at line 2)'],
      ['a = 1\n[a.b]\n', 2, 2, "'a.b' (first at line 1)"],
      ['a.b.c = 1\n[a.b]\n', 2, 2, "'a.b' (first at line 1)"],
    ];
    for (const [text, line, column, detail] of cases) {
      expect(problemsOf(text), text).toEqual([
        { file: 'app.toml', line, column, message: `trying to redefine an already defined table or value: ${detail}` },
      ]);
    }
  });

  it("maps smol-toml's errors to a short problem with line and column", () => {
    expect(problemsOf('a = 1\nb = \n')).toEqual([{ file: 'app.toml', line: 2, column: 5, message: 'invalid value' }]);
    expect(problemsOf('a = 1\na = 2\n')[0]).toMatchObject({ line: 2, column: 1 });
    for (const problem of [...problemsOf('[a\n'), ...problemsOf('s = "open\n')]) {
      expect(problem.message).not.toContain('\n');
    }
  });

  it('refuses nesting deeper than 1000 levels', () => {
    expect(problemsOf(`[${'a.'.repeat(5000)}a]\nx = 1\n`)[0]?.message).toBe('nested deeper than 1000 levels');
    expect(problemsOf(`${'a.'.repeat(5000)}a = 1\n`)[0]?.message).toBe('nested deeper than 1000 levels');
    expect(problemsOf(`x = ${'['.repeat(2000)}${']'.repeat(2000)}\n`)).toHaveLength(1);
  });

  describe('on the juspay corpus', () => {
    it('parses every environment with the expected number of leaves', () => {
      const counts = Object.fromEntries(
        ['development', 'sandbox', 'production'].map((env) => [env, corpusEnv(env).size]),
      );
      expect(counts).toEqual({ development: 161, sandbox: 134, production: 134 });
    });

    it('reads a dotted key under [connectors] on its line', () => {
      expect(corpusEnv('sandbox').get('connectors.nmi.base_url')).toEqual({
        path: ['connectors', 'nmi', 'base_url'],
        value: 'https://secure.nmi.com',
        type: 'string',
        line: 52,
        column: 16,
      });
    });

    it('reads quoted keys containing dots as one segment', () => {
      expect(corpusEnv('development').get('events.transformations."message.latency"')).toMatchObject({
        path: ['events', 'transformations', 'message.latency'],
        value: 'latency_ms',
        line: 172,
      });
    });

    it('finds a value that differs only by a trailing slash', () => {
      expect(corpusEnv('sandbox').get('connectors.xendit.base_url')).toMatchObject({
        value: 'https://api.xendit.co/',
        line: 72,
      });
      expect(corpusEnv('production').get('connectors.xendit.base_url')).toMatchObject({
        value: 'https://api.xendit.co',
        line: 71,
      });
    });

    it('shows keys only one environment has, and how many values differ', () => {
      const sandbox = corpusEnv('sandbox');
      const production = corpusEnv('production');
      expect([...production.keys()].filter((key) => !sandbox.has(key))).toEqual([
        'connectors.itaubank.secondary_base_url',
      ]);
      expect([...sandbox.keys()].filter((key) => !production.has(key))).toEqual(['connectors.nmi.secondary_base_url']);
      expect(production.get('connectors.itaubank.secondary_base_url')?.line).toBe(123);
      const differing = [...sandbox].filter(
        ([key, leaf]) => production.has(key) && production.get(key)?.value !== leaf.value,
      );
      expect(differing).toHaveLength(76);
    });

    it('keeps an empty array in development where the others list hosts', () => {
      expect(corpusEnv('development').get('proxy.bypass_proxy_urls')).toMatchObject({ type: 'empty-list', line: 30 });
      expect(corpusEnv('production').get('proxy.bypass_proxy_urls[1]')).toMatchObject({ value: 'local', line: 22 });
    });
  });

  describe('properties', () => {
    const throwsOnlyParseError = (text: string): void => {
      try {
        parse(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
      }
    };

    it('throws nothing but ParseError for any text', () => {
      fc.assert(fc.property(fc.string({ unit: anyCharacter, maxLength: 200 }), throwsOnlyParseError), { numRuns: 500 });
    });

    it("throws nothing but ParseError for text made of TOML's significant characters", () => {
      const unit = fc.constantFrom(
        '[',
        ']',
        '[[',
        ']]',
        '{',
        '}',
        '=',
        '.',
        ',',
        '#',
        '"',
        "'",
        '"""',
        "'''",
        '\\',
        ' ',
        '\n',
        '\r\n',
        'a',
        '1',
        'true',
        '1979-05-27',
        'T07:32:00',
      );
      fc.assert(fc.property(fc.string({ unit, maxLength: 80 }), throwsOnlyParseError), { numRuns: 500 });
    });

    it('reads back every value smol-toml writes, at the path it was written', () => {
      const scalar = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.boolean(),
        fc.maxSafeInteger(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
      );
      const key = fc.string({ maxLength: 8 });
      const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
        tree: fc.oneof(
          { depthSize: 'small' },
          scalar,
          fc.array(tie('tree'), { maxLength: 4 }),
          fc.dictionary(key, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
        ),
      }));
      const document = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5, noNullPrototype: true });
      const byPath = (a: { path: PathSegment[] }, b: { path: PathSegment[] }) =>
        formatKeyPath(a.path) < formatKeyPath(b.path) ? -1 : 1;
      fc.assert(
        fc.property(document, (value) => {
          const text = stringify(value);
          const leaves = parse(text).map(({ path, value, type }) => ({ path: [...path], value, type }));
          expect(leaves.sort(byPath)).toEqual(flatten(value).sort(byPath));
        }),
        { numRuns: 300 },
      );
    });

    /** A value as written, and the leaves it makes: path below its key, lines below the key's line, type. */
    const VALUES: readonly { text: string; leaves: [PathSegment[], number, ValueType][] }[] = [
      { text: '1', leaves: [[[], 0, 'number']] },
      { text: '"s # not a comment"', leaves: [[[], 0, 'string']] },
      { text: "'C:\\path'", leaves: [[[], 0, 'string']] },
      { text: 'true # comment', leaves: [[[], 0, 'boolean']] },
      { text: '1979-05-27 07:32:00', leaves: [[[], 0, 'datetime']] },
      { text: '[]', leaves: [[[], 0, 'empty-list']] },
      { text: '{}', leaves: [[[], 0, 'empty-map']] },
      { text: '"""\nline\n"""', leaves: [[[], 0, 'string']] },
      {
        text: '[1, "x", { y = 2 }]',
        leaves: [
          [[0], 0, 'number'],
          [[1], 0, 'string'],
          [[2, 'y'], 0, 'number'],
        ],
      },
      {
        text: "[\n  \"a\", # first\n  '''\n  b''',\n  [2],\n]",
        leaves: [
          [[0], 1, 'string'],
          [[1], 2, 'string'],
          [[2, 0], 4, 'number'],
        ],
      },
    ];

    it('places every leaf on the line where its value was written', () => {
      const keyValue = fc.record({
        dotted: fc.boolean(),
        quoted: fc.boolean(),
        value: fc.constantFrom(...VALUES),
      });
      const table = fc.record({
        header: fc.constantFrom('plain', 'dotted', 'quoted', 'array'),
        entries: fc.array(keyValue, { maxLength: 4 }),
      });
      fc.assert(
        fc.property(fc.array(table, { maxLength: 5 }), (tables) => {
          const lines: string[] = [];
          const expected: [string, number, ValueType][] = [];
          for (const [t, { header, entries }] of tables.entries()) {
            const name = { plain: [`t${t}`], dotted: [`t${t}`, 'sub'], quoted: [`t${t}.q`], array: [`t${t}`] }[header];
            const written = { plain: `[t${t}]`, dotted: `[ t${t} . sub ]`, quoted: `["t${t}.q"]`, array: `[[t${t}]]` }[
              header
            ];
            lines.push('', `# table ${t}`, written);
            const base: PathSegment[] = header === 'array' ? [...name, 0] : name;
            if (entries.length === 0) expected.push([formatKeyPath(base), lines.length, 'empty-map']);
            for (const [k, { dotted, quoted, value }] of entries.entries()) {
              const key = dotted ? [`k${k}`, 'x'] : quoted ? [`k.${k}`] : [`k${k}`];
              const writtenKey = dotted ? `k${k}.x` : quoted ? `"k.${k}"` : `k${k}`;
              const keyLine = lines.length + 1;
              lines.push(...`${writtenKey} = ${value.text}`.split('\n'));
              for (const [below, offset, type] of value.leaves) {
                expected.push([formatKeyPath([...base, ...key, ...below]), keyLine + offset, type]);
              }
            }
          }
          const leaves = parse(lines.join('\n'));
          expect(leaves.map((leaf) => [formatKeyPath(leaf.path), leaf.line, leaf.type])).toEqual(expected);
        }),
        { numRuns: 500 },
      );
    });
  });
});
