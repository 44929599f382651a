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

  it('reads pairs that U+2028 or U+2029 put on lines of their own, as dotenv does', () => {
    // One line to an editor, three to dotenv's expression after a quoted value or a comment: every pair is kept.
    const text = 'A="x"\u2028B=2 #c\u2029C=3\nD=4';
    expect(valuesOf(parse(text))).toEqual(parseDotenv(text));
    expect(Object.keys(parseDotenv(text))).toEqual(['A', 'B', 'C', 'D']);
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

  it('refuses a key written twice, naming both lines (dotenv would silently keep the later value)', () => {
    expect(problemsOf('PORT=1\nHOST=a\n  export PORT=2\nPORT=3\n')).toEqual([
      {
        file: 'app.env',
        line: 3,
        column: 10,
        message: "duplicate key 'PORT' (first at line 1); dotenv would keep this later value",
      },
      {
        file: 'app.env',
        line: 4,
        column: 1,
        message: "duplicate key 'PORT' (first at line 1); dotenv would keep this later value",
      },
    ]);
  });

  it('reports an unquoted # that cuts a value short, at the #, without printing the value', () => {
    const hint = (key: string) =>
      `an unquoted '#' starts a comment and cuts the value of '${key}' short: quote the value if the '#' belongs to it, or put a space before the comment`;
    expect(problemsOf('DB_PASSWORD=canary7391#tail\nCOLOR=#fff\nURL=https://x.example/#/a\n')).toEqual([
      { file: 'app.env', line: 1, column: 23, message: hint('DB_PASSWORD') },
      { file: 'app.env', line: 2, column: 7, message: hint('COLOR') },
      { file: 'app.env', line: 3, column: 23, message: hint('URL') },
    ]);
    expect(JSON.stringify(problemsOf('DB_PASSWORD=canary7391#tail'))).not.toContain('canary');
  });

  it('reads a # after a blank, in quotes, or after a closing quote as what dotenv makes of it', () => {
    const text = 'A=abc #comment\nB="abc#123"\nC=\'x\'#comment\nD= #comment\nE: #comment\nF=`a#b`\n';
    expect(valuesOf(parse(text))).toEqual({ A: 'abc', B: 'abc#123', C: 'x', D: '', E: '', F: 'a#b' });
    expect(valuesOf(parse(text))).toEqual(parseDotenv(text));
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
    /** Any text either fails with a ParseError, or reads exactly what dotenv.parse reads. */
    const throwsOnlyParseError = (text: string): void => {
      let leaves: Leaf[];
      try {
        leaves = parse(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
        return;
      }
      for (const leaf of leaves) {
        expect(leaf.type).toBe('string');
        expect(leaf.line).toBeGreaterThanOrEqual(1);
        expect(leaf.column).toBeGreaterThanOrEqual(1);
      }
      expect(valuesOf(leaves)).toEqual(parseDotenv(text));
    };

    it('throws nothing but ParseError for any text, and otherwise reads what dotenv.parse reads', () => {
      fc.assert(fc.property(fc.string({ unit: anyCharacter, maxLength: 300 }), throwsOnlyParseError), { numRuns: 500 });
    });

    it("does the same for text made of dotenv's significant characters", () => {
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

    /** Well-formed files: unique keys, every line dotenv reads, values of every kind, each key's line known. */
    const wellFormed = (() => {
      const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,6}$/);
      // A `#` only after a blank: anything else would cut the value (a problem, tested above).
      const plain = fc.string({
        unit: fc.constantFrom('a', 'Z', '0', '=', '?', '&', '*', '/', ':', '.', '-', ' ', ' #', '\\', 'é'),
      });
      const inQuotes = (quote: string) =>
        fc
          .string({ unit: fc.constantFrom('x', ' ', '#', '=', '\n', 'K=v', '\\n', '\\r', quote === "'" ? '"' : "'") })
          .map((body) => `${quote}${body}${quote}`);
      const value = fc.oneof(plain, inQuotes('"'), inQuotes("'"), inQuotes('`'));
      const line = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            key,
            value,
            separator: fc.constantFrom('=', ' = ', '= ', ': '),
            indent: fc.constantFrom('', '  ', '\t'),
            exported: fc.boolean(),
            comment: fc.boolean(),
          }),
        },
        { weight: 1, arbitrary: fc.constantFrom('', '# a comment', '   # KEY=commented') },
      );
      return fc
        .tuple(fc.array(line, { maxLength: 12 }), fc.boolean(), fc.constantFrom('\n', '\r\n'))
        .map(([lines, finalNewline, lineEnd]) => {
          const keyLines = new Map<string, number>();
          const written: string[] = [];
          let lineNumber = 1;
          for (const [index, entry] of lines.entries()) {
            if (typeof entry === 'string') {
              written.push(entry);
              lineNumber++;
              continue;
            }
            // Unique keys: `${key}_${index}` cannot repeat, as the index has no `_`.
            const name = `${entry.key}_${index}`;
            const { indent, exported, separator, value, comment } = entry;
            const text = `${indent}${exported ? 'export ' : ''}${name}${separator}${value}${comment ? ' # note' : ''}`;
            written.push(text);
            keyLines.set(name, lineNumber);
            lineNumber += text.split('\n').length;
          }
          const text = written.join(lineEnd) + (finalNewline && written.length > 0 ? lineEnd : '');
          return { text, keyLines };
        });
    })();

    it('reads every well-formed file as dotenv.parse does, and places each key on its line', () => {
      fc.assert(
        fc.property(wellFormed, ({ text, keyLines }) => {
          const leaves = parse(text);
          expect(valuesOf(leaves)).toEqual(parseDotenv(text));
          expect(Object.fromEntries(leaves.map((leaf) => [leaf.path[0], leaf.line]))).toEqual(
            Object.fromEntries(keyLines),
          );
        }),
        { numRuns: 1000 },
      );
    });

    it('refuses any well-formed file once a key in it is written again, naming both lines', () => {
      const withRepeat = wellFormed
        .filter(({ keyLines }) => keyLines.size > 0)
        .chain(({ text, keyLines }) =>
          fc.constantFrom(...keyLines).map(([key, line]) => ({ text: `${text}\n${key}=again`, key, line })),
        );
      fc.assert(
        fc.property(withRepeat, ({ text, key, line }) => {
          const problems = problemsOf(text);
          expect(problems.at(-1)).toMatchObject({
            line: text.split('\n').length,
            message: `duplicate key '${key}' (first at line ${line}); dotenv would keep this later value`,
          });
        }),
        { numRuns: 300 },
      );
    });
  });
});
