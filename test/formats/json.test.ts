import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Leaf, LeafValue, PathSegment, ValueType } from '../../src/formats/format.js';
import { jsonFormat } from '../../src/formats/json.js';
import { readCorpus } from '../corpus.js';
import { byKey, parserFor } from './helpers.js';

const CONFIG = 'opencollective__opencollective-api/config';

const { parse, problemsOf } = parserFor(jsonFormat, 'app.json');

function corpusEnv(env: string): Map<string, Leaf> {
  return byKey(jsonFormat.parse(readCorpus(CONFIG, `${env}.json`), `config/${env}.json`));
}

/** What the leaves of `JSON.parse`'s result must be, without positions. */
function flatten(
  value: unknown,
  path: PathSegment[] = [],
): { path: PathSegment[]; value: LeafValue; type: ValueType }[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value: null, type: 'empty-list' }];
    return value.flatMap((item, index) => flatten(item, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path, value: null, type: 'empty-map' }];
    return entries.flatMap(([key, item]) => flatten(item, [...path, key]));
  }
  if (typeof value === 'number') {
    const written = JSON.stringify(value);
    const exact = /[.eE]/.test(written) || Number.isSafeInteger(value);
    return [{ path, value: exact ? value : written, type: 'number' }];
  }
  if (typeof value === 'string') return [{ path, value, type: 'string' }];
  if (typeof value === 'boolean') return [{ path, value, type: 'boolean' }];
  return [{ path, value: null, type: 'null' }];
}

/** Any UTF-16 text, lone surrogates included, leaning towards ASCII. (fast-check's 'binary' unit is slow.) */
const anyCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x10ffff }))
  .map((code) => String.fromCodePoint(code));

describe('formats/json', () => {
  it('declares its id and extensions', () => {
    expect(jsonFormat.id).toBe('json');
    expect(jsonFormat.extensions).toEqual(['.json', '.jsonc']);
  });

  it('reads every value with its path, type, line and column', () => {
    const text = '{\n  "db": {"host": "x", "port": 5432},\n  "tls": true,\n  "ca": null,\n  "hosts": ["a", 1.5]\n}';
    expect(parse(text)).toEqual([
      { path: ['db', 'host'], value: 'x', type: 'string', line: 2, column: 18 },
      { path: ['db', 'port'], value: 5432, type: 'number', line: 2, column: 31 },
      { path: ['tls'], value: true, type: 'boolean', line: 3, column: 10 },
      { path: ['ca'], value: null, type: 'null', line: 4, column: 9 },
      { path: ['hosts', 0], value: 'a', type: 'string', line: 5, column: 13 },
      { path: ['hosts', 1], value: 1.5, type: 'number', line: 5, column: 18 },
    ]);
  });

  it('keeps empty objects and arrays as leaves', () => {
    expect(parse('{"features": {}, "hosts": []}')).toEqual([
      { path: ['features'], value: null, type: 'empty-map', line: 1, column: 14 },
      { path: ['hosts'], value: null, type: 'empty-list', line: 1, column: 27 },
    ]);
  });

  it('accepts a top-level array', () => {
    expect(parse('[{}]')).toEqual([{ path: [0], value: null, type: 'empty-map', line: 1, column: 2 }]);
  });

  it('decodes escapes', () => {
    expect(parse('{"a\\"b": "\\u00e9\\n\\t\\/\\\\"}')[0]).toMatchObject({ path: ['a"b'], value: 'é\n\t/\\' });
  });

  it('tolerates // and /* */ comments and trailing commas, as node-config does', () => {
    const text = '{\n  // the API\n  "url": "https://x" // comment\n  , /* block\n  comment */ "ids": [1, 2,],\n}';
    expect(parse(text)).toEqual([
      { path: ['url'], value: 'https://x', type: 'string', line: 3, column: 10 },
      { path: ['ids', 0], value: 1, type: 'number', line: 5, column: 22 },
      { path: ['ids', 1], value: 2, type: 'number', line: 5, column: 25 },
    ]);
  });

  it('keeps numbers a double cannot hold exactly as their source text', () => {
    expect(parse('{"id": 12345678901234567890, "big": 1e400, "safe": 9007199254740991, "tiny": -0.5e-3}')).toEqual([
      { path: ['id'], value: '12345678901234567890', type: 'number', line: 1, column: 8 },
      { path: ['big'], value: '1e400', type: 'number', line: 1, column: 37 },
      { path: ['safe'], value: 9007199254740991, type: 'number', line: 1, column: 52 },
      { path: ['tiny'], value: -0.0005, type: 'number', line: 1, column: 78 },
    ]);
  });

  it('counts CRLF and lone CR as one line end each, and skips a byte-order mark', () => {
    expect(parse('\uFEFF{\r\n"a": 1,\r"b": 2}').map(({ line, column }) => [line, column])).toEqual([
      [2, 6],
      [3, 6],
    ]);
  });

  it('reports every duplicate key where the duplicate is written, naming the line of the first', () => {
    expect(problemsOf('{"a": 1,\n "b": {"c": 1,\n "c": 2}, "a": 3}')).toEqual([
      { file: 'app.json', line: 3, column: 2, message: 'duplicate key "c" (first at line 2)' },
      { file: 'app.json', line: 3, column: 11, message: 'duplicate key "a" (first at line 1)' },
    ]);
    // The same key in two different objects is no duplicate.
    expect(parse('[{"a": 1}, {"a": 2}]')).toHaveLength(2);
  });

  it('names the line and column of a syntax error', () => {
    const cases: [string, number, number, string][] = [
      ['{"a": 1 "b": 2}', 1, 9, "expected ',' or '}' after a property"],
      ['[1\n 2]', 2, 2, "expected ',' or ']' after an array element"],
      ['{"a" 1}', 1, 6, "expected ':' after a property name"],
      ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
      ['{"a": }', 1, 7, 'expected a value'],
      ['{"a": [,]}', 1, 8, 'expected a value'],
      ['{"a": 01}', 1, 8, "expected ',' or '}' after a property"],
      ['{"a": -}', 1, 7, 'invalid number'],
      ['{"a": "x\n"}', 1, 7, 'unterminated string'],
      ['{"a": "\\x"}', 1, 8, 'invalid escape in a string'],
      ['{"a": "\t"}', 1, 8, 'control character in a string (escape it)'],
      ['{"a": 1} /* open', 1, 10, 'unterminated comment'],
      ['{"a": 1} {}', 1, 10, 'unexpected text after the top-level value'],
      ['"scalar"', 1, 1, 'the top level must be an object or an array'],
      ['  // nothing\n', 2, 1, 'expected an object or an array'],
      ['', 1, 1, 'expected an object or an array'],
      ['\u00a0{}', 1, 1, 'expected an object or an array'],
      ['{a: 1}', 1, 2, 'expected a property name in double quotes'],
      ['{"a": 1,,}', 1, 9, 'expected a property name in double quotes'],
      ['{', 1, 2, 'expected a property name in double quotes'],
      ['[1,', 1, 4, 'expected a value'],
      ['{"a": [1, 2', 1, 12, "expected ',' or ']' after an array element"],
      ['{"a": 1', 1, 8, "expected ',' or '}' after a property"],
      ['{"a": 0x10}', 1, 8, "expected ',' or '}' after a property"],
      ['{"a": NaN}', 1, 7, 'expected a value'],
      ['{"a": 1.}', 1, 7, 'invalid number'],
      ['{"a": "\\u12"}', 1, 8, 'invalid escape in a string'],
      ['{"a":\n  "x\\y"}', 2, 5, 'invalid escape in a string'],
    ];
    for (const [text, line, column, message] of cases) {
      expect(problemsOf(text), text).toEqual([{ file: 'app.json', line, column, message }]);
    }
  });

  it('lists duplicates found before a syntax error too', () => {
    expect(problemsOf('{"a": 1, "a": 2,\n "b" 3}').map((problem) => problem.line)).toEqual([1, 2]);
  });

  it('refuses nesting deeper than 1000 levels without overflowing the stack', () => {
    expect(parse(`${'['.repeat(1000)}${']'.repeat(1000)}`)).toHaveLength(1);
    expect(problemsOf(`${'['.repeat(1001)}${']'.repeat(1001)}`)).toEqual([
      { file: 'app.json', line: 1, column: 1001, message: 'nested deeper than 1000 levels' },
    ]);
    expect(problemsOf('{"a":'.repeat(200_000))[0]?.message).toBe('nested deeper than 1000 levels');
  });

  describe('on the opencollective corpus (node-config)', () => {
    it('parses every environment, production with its // comments', () => {
      const counts = Object.fromEntries(
        ['default', 'development', 'staging', 'production'].map((env) => [env, corpusEnv(env).size]),
      );
      expect(counts).toEqual({ default: 169, development: 19, staging: 31, production: 47 });
    });

    it('places a value followed by a // comment on its line', () => {
      expect(corpusEnv('production').get('performance.hostsWithManyTransactions[0]')).toEqual({
        path: ['performance', 'hostsWithManyTransactions', 0],
        value: 11004,
        type: 'number',
        line: 75,
        column: 7,
      });
    });

    it('shows a key only production has', () => {
      const staging = corpusEnv('staging');
      const production = corpusEnv('production');
      expect(staging.has('captcha.enabled')).toBe(false);
      expect(production.get('captcha.enabled')).toMatchObject({ value: true, type: 'boolean', line: 66 });
      expect([...production.keys()].filter((key) => !staging.has(key))).toHaveLength(23);
    });

    it('shows values that differ between staging and production', () => {
      const staging = corpusEnv('staging');
      const production = corpusEnv('production');
      expect(staging.get('host.api')).toMatchObject({ value: 'https://api-staging.opencollective.com', line: 21 });
      expect(production.get('host.api')).toMatchObject({ value: 'https://api.opencollective.com', line: 19 });
      expect(staging.get('database.options.pool.max')?.value).toBe(10);
      expect(production.get('database.options.pool.max')?.value).toBe(50);
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

    it("throws nothing but ParseError for text made of JSON's significant characters", () => {
      const unit = fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '"',
        '\\',
        'u',
        '0',
        '1',
        '-',
        '.',
        'e',
        'true',
        'null',
        ' ',
        '\n',
        '\r',
        '/',
        '*',
        '"a"',
      );
      fc.assert(fc.property(fc.string({ unit, maxLength: 100 }), throwsOnlyParseError), { numRuns: 500 });
    });

    it('reads what JSON.parse reads, also with // comments at the end of every line', () => {
      const document = fc.oneof(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.jsonValue()),
        fc.constant({ url: 'https://x//y', 'a//b': '/* not a comment */' }),
      );
      fc.assert(
        fc.property(document, fc.boolean(), (value, commented) => {
          const pretty = JSON.stringify(value, null, 2);
          const text = commented ? pretty.replaceAll('\n', ' // note: "quoted" //\n') : pretty;
          const leaves = parse(text).map(({ path, value, type }) => ({ path, value, type }));
          expect(leaves).toEqual(flatten(JSON.parse(pretty)));
        }),
        { numRuns: 500 },
      );
    });
  });
});
