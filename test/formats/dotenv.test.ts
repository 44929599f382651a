import { readdirSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { dotenvFormat } from '../../src/formats/dotenv.js';
import type { Leaf } from '../../src/formats/format.js';
import { corpusPath, readCorpus } from '../corpus.js';
import { parserFor } from './helpers.js';

const OVERLAYS = 'demokratie-live__infrastructure/kustomize/overlays';

const { parse, problemsOf } = parserFor(dotenvFormat, 'app.env');

function valuesOf(leaves: readonly Leaf[]): Record<string, unknown> {
  return Object.fromEntries(leaves.map((leaf) => [leaf.path.join('.'), leaf.value]));
}

function corpusEnv(env: string, file: string): Leaf[] {
  return dotenvFormat.parse(readCorpus(OVERLAYS, env, 'configs', file), `${env}/${file}`);
}

/** Any UTF-16 text, lone surrogates included, leaning towards ASCII. (fast-check's 'binary' unit is slow.) */
const anyCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0x10ffff }))
  .map((code) => String.fromCodePoint(code));

describe('formats/dotenv', () => {
  it('declares its id and extension', () => {
    expect(dotenvFormat.id).toBe('dotenv');
    expect(dotenvFormat.extensions).toEqual(['.env']);
  });

  it('reads each key as one flat segment, with the line and column of its value', () => {
    expect(parse('# database\nDB_HOST=localhost\n\nGLOBAL_OAUTH_CLIENT_ID = abc\n')).toEqual([
      { path: ['DB_HOST'], value: 'localhost', type: 'string', line: 2, column: 9 },
      { path: ['GLOBAL_OAUTH_CLIENT_ID'], value: 'abc', type: 'string', line: 4, column: 26 },
    ]);
  });

  it('keeps dotted keys flat', () => {
    expect(parse('spring.datasource.url=jdbc:x')).toEqual([
      { path: ['spring.datasource.url'], value: 'jdbc:x', type: 'string', line: 1, column: 23 },
    ]);
  });

  it('reads values exactly as dotenv does', () => {
    const text = [
      "SINGLE='quoted # not a comment'",
      'DOUBLE="one\\ntwo"',
      'BACKTICK=`it\'s "both"`',
      'export EXPORTED=yes',
      'INLINE=value # a comment',
      'URL=mongodb://mongo/db?replicaSet=rs0&useNewUrlParser=true',
      'CRON=* */1 * * *',
      'EMPTY=',
      'SPACED =  padded  ',
    ].join('\n');
    expect(valuesOf(parse(text))).toEqual({
      SINGLE: 'quoted # not a comment',
      DOUBLE: 'one\ntwo',
      BACKTICK: 'it\'s "both"',
      EXPORTED: 'yes',
      INLINE: 'value',
      URL: 'mongodb://mongo/db?replicaSet=rs0&useNewUrlParser=true',
      CRON: '* */1 * * *',
      EMPTY: '',
      SPACED: 'padded',
    });
    expect(valuesOf(parse(text))).toEqual(parseDotenv(text));
  });

  it('places a quoted value at its opening quote and an empty value at its key', () => {
    expect(parse('  export TOKEN="abc"\nEMPTY=\n')).toEqual([
      { path: ['TOKEN'], value: 'abc', type: 'string', line: 1, column: 16 },
      { path: ['EMPTY'], value: '', type: 'string', line: 2, column: 1 },
    ]);
  });

  it('places a multi-line quoted value on the line where it starts', () => {
    const leaves = parse('A=1\nKEY="-----BEGIN KEY-----\nabc\n-----END KEY-----"\nB=2\n');
    expect(leaves.map(({ path, line }) => [path[0], line])).toEqual([
      ['A', 1],
      ['KEY', 2],
      ['B', 5],
    ]);
    expect(leaves[1]?.value).toBe('-----BEGIN KEY-----\nabc\n-----END KEY-----');
  });

  it('lets the later of two lines with the same key win, at the later line', () => {
    expect(parse('PORT=1\nHOST=a\nPORT=2\n')).toEqual([
      { path: ['HOST'], value: 'a', type: 'string', line: 2, column: 6 },
      { path: ['PORT'], value: '2', type: 'string', line: 3, column: 6 },
    ]);
  });

  it('counts lines the same with CRLF line ends', () => {
    expect(parse('A=1\r\nB="x\r\ny"\r\nC=3')).toEqual([
      { path: ['A'], value: '1', type: 'string', line: 1, column: 3 },
      { path: ['B'], value: 'x\ny', type: 'string', line: 2, column: 3 },
      { path: ['C'], value: '3', type: 'string', line: 4, column: 3 },
    ]);
  });

  it('does not count a byte-order mark as a column', () => {
    expect(parse('\uFEFFA=1')).toEqual([{ path: ['A'], value: '1', type: 'string', line: 1, column: 3 }]);
  });

  it('reports every line dotenv would silently drop, with its line', () => {
    const text = 'A=1\nthis is not a pair\n# fine\nB=2\nC:no-space\nC: colon-and-space-is-fine\n  D value\n';
    expect(problemsOf(text)).toEqual([
      { file: 'app.env', line: 2, column: 1, message: 'expected KEY=VALUE' },
      { file: 'app.env', line: 5, column: 1, message: 'expected KEY=VALUE' },
      { file: 'app.env', line: 7, column: 3, message: 'expected KEY=VALUE' },
    ]);
  });

  it('reports an unterminated quote where it opened', () => {
    expect(problemsOf('A=1\nSECRET="abc\nB=2\n')).toEqual([
      { file: 'app.env', line: 2, column: 8, message: 'unterminated quote' },
    ]);
  });

  it('reports text after a closing quote, which dotenv would keep with its quotes', () => {
    expect(problemsOf("GREETING='hello' world")).toEqual([
      { file: 'app.env', line: 1, column: 10, message: 'unexpected text after the closing quote' },
    ]);
  });

  it('reports a key dotenv ignores', () => {
    expect(problemsOf('__proto__=x\n')).toEqual([
      { file: 'app.env', line: 1, column: 1, message: "dotenv ignores the key '__proto__'" },
    ]);
  });

  it('refuses a long run of blank lines, which makes dotenv backtrack for seconds', () => {
    const started = performance.now();
    expect(problemsOf(`A=1\n${'\n'.repeat(50_000)}B=2`)).toEqual([
      { file: 'app.env', line: 2, column: 1, message: 'more than 1000 blank lines in a row' },
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(valuesOf(parse(`A=1\n${'\n'.repeat(999)}B=2`))).toEqual({ A: '1', B: '2' });
  });

  describe('on the demokratie-live corpus', () => {
    it('parses every .env file without a problem', () => {
      const files = readdirSync(corpusPath(OVERLAYS), { recursive: true, encoding: 'utf8' }).filter((file) =>
        file.endsWith('.env'),
      );
      expect(files).toHaveLength(25);
      for (const file of files) {
        const text = readCorpus(OVERLAYS, file);
        expect(valuesOf(dotenvFormat.parse(text, file)), file).toEqual(parseDotenv(text));
      }
    });

    it('reads the file whose every line is indented and which has no final newline', () => {
      const leaves = corpusEnv('alpha', 'bio-api.env');
      expect(leaves).toHaveLength(13);
      expect(leaves[0]).toEqual({
        path: ['DB_URL'],
        value: 'mongodb://mongo/bundestagio?replicaSet=rs0&useNewUrlParser=true&useUnifiedTopology=true',
        type: 'string',
        line: 2,
        column: 10,
      });
      expect(leaves.at(-1)).toEqual({
        path: ['CRON_DEPUTY_PROFILES'],
        value: '0 4 * * *',
        type: 'string',
        line: 16,
        column: 24,
      });
    });

    it('shows a key that only production has', () => {
      const internal = corpusEnv('internal', 'push-notifications.env').map((leaf) => leaf.path[0]);
      const production = corpusEnv('production', 'push-notifications.env');
      expect(production.filter((leaf) => !internal.includes(leaf.path[0]))).toEqual([
        { path: ['CRON_SEND_QUED_PUSHS_LIMIT'], value: '500', type: 'string', line: 4, column: 28 },
      ]);
    });

    it('shows a value that differs only by its host prefix, and a DB_URL that is the same', () => {
      const internal = valuesOf(corpusEnv('internal', 'bio-admin.env'));
      const production = corpusEnv('production', 'bio-admin.env');
      expect(internal.NEXTAUTH_URL).toBe('https://internal.admin.bundestag.io');
      expect(production[1]).toEqual({
        path: ['NEXTAUTH_URL'],
        value: 'https://admin.bundestag.io',
        type: 'string',
        line: 2,
        column: 14,
      });
      expect(valuesOf(corpusEnv('internal', 'bio-api.env')).DB_URL).toBe(
        valuesOf(corpusEnv('production', 'bio-api.env')).DB_URL,
      );
    });

    it('does not read commented-out keys', () => {
      const keys = corpusEnv('internal', 'bio-api.env').map((leaf) => leaf.path[0]);
      expect(keys).not.toContain('CRON_PROCEDURES');
      expect(corpusEnv('alpha', 'bio-api.env').map((leaf) => leaf.path[0])).toContain('CRON_PROCEDURES');
    });
  });

  describe('properties', () => {
    const throwsOnlyParseError = (text: string): void => {
      try {
        for (const leaf of parse(text)) {
          expect(leaf.type).toBe('string');
          expect(leaf.line).toBeGreaterThanOrEqual(1);
          expect(leaf.column).toBeGreaterThanOrEqual(1);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
      }
    };

    it('throws nothing but ParseError for any text', () => {
      fc.assert(fc.property(fc.string({ unit: anyCharacter, maxLength: 300 }), throwsOnlyParseError), { numRuns: 500 });
    });

    it("throws nothing but ParseError for text made of dotenv's significant characters", () => {
      const unit = fc.constantFrom(
        'A',
        'b',
        '_',
        '.',
        '-',
        '=',
        ':',
        ' ',
        '\t',
        '\n',
        '\r',
        '#',
        '"',
        "'",
        '`',
        '\\',
        'n',
        'export ',
        '\u2028',
        '\uFEFF',
      );
      fc.assert(fc.property(fc.string({ unit, maxLength: 120 }), throwsOnlyParseError), { numRuns: 500 });
    });

    it('agrees with dotenv.parse on well-formed files, and places each key on its line', () => {
      const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/);
      const plain = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '=', '?', '&', '*', '/', ':', '.', '-', ' ') });
      const inQuotes = (quote: string) =>
        fc
          .string({ unit: fc.constantFrom('x', ' ', '#', '=', '\n', 'K=v', '\\n', quote === "'" ? '"' : "'") })
          .map((body) => `${quote}${body}${quote}`);
      const value = fc.oneof(plain, inQuotes('"'), inQuotes("'"), inQuotes('`'));
      const line = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            key,
            value,
            indent: fc.constantFrom('', '  ', '\t'),
            exported: fc.boolean(),
            comment: fc.boolean(),
          }),
        },
        { weight: 1, arbitrary: fc.constantFrom('', '# a comment', '   # KEY=commented') },
      );
      fc.assert(
        fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, finalNewline) => {
          const expectedLines = new Map<string, number>();
          let text = '';
          let lineNumber = 1;
          for (const entry of lines) {
            if (typeof entry === 'string') {
              text += `${entry}\n`;
              lineNumber++;
              continue;
            }
            const written = `${entry.indent}${entry.exported ? 'export ' : ''}${entry.key}=${entry.value}${entry.comment ? ' # note' : ''}`;
            text += `${written}\n`;
            expectedLines.set(entry.key, lineNumber);
            lineNumber += written.split('\n').length;
          }
          if (!finalNewline) text = text.replace(/\n$/, '');
          const leaves = parse(text);
          expect(valuesOf(leaves)).toEqual(parseDotenv(text));
          expect(Object.fromEntries(leaves.map((leaf) => [leaf.path[0], leaf.line]))).toEqual(
            Object.fromEntries(expectedLines),
          );
        }),
        { numRuns: 500 },
      );
    });
  });
});
