import { describe, expect, it } from 'vitest';
import { javascriptExtractor } from '../../src/references/extract-javascript.js';

function names(text: string) {
  return javascriptExtractor.extract(text).references.map((reference) => reference.name);
}

describe('references/extract-javascript', () => {
  it('reads process.env members, brackets and optional chaining, with positions', () => {
    const text = [
      "import express from 'express';",
      'const port = Number(process.env.PORT);',
      "const secret = process.env['SESSION_SECRET'];",
      'const region = process.env["AWS_REGION"];',
      'const mode = process.env?.NODE_ENV;',
    ].join('\n');
    expect(javascriptExtractor.extract(text)).toEqual({
      references: [
        { name: 'PORT', line: 2, column: 21, style: 'env' },
        { name: 'SESSION_SECRET', line: 3, column: 16, style: 'env' },
        { name: 'AWS_REGION', line: 4, column: 16, style: 'env' },
        { name: 'NODE_ENV', line: 5, column: 14, style: 'env' },
      ],
      unresolvable: [],
    });
  });

  it('reads destructuring from process.env, with renames, defaults and rest', () => {
    const text = [
      'const {',
      '  DATABASE_URL,',
      '  REDIS_URL: redisUrl,',
      "  LOG_LEVEL = 'info',",
      '  ...rest',
      '} = process.env;',
    ].join('\n');
    expect(javascriptExtractor.extract(text).references).toEqual([
      { name: 'DATABASE_URL', line: 2, column: 3, style: 'env' },
      { name: 'REDIS_URL', line: 3, column: 3, style: 'env' },
      { name: 'LOG_LEVEL', line: 4, column: 3, style: 'env', optional: true },
    ]);
  });

  it('reads a one-line destructuring with a type annotation-free default', () => {
    expect(names("const { A, B: b, C = 'd' } = process.env;")).toEqual(['A', 'B', 'C']);
    expect(names("let { 'X-Y': xy } = import.meta.env")).toEqual(['X-Y']);
  });

  it('reads import.meta.env (Vite) and node-config get/has', () => {
    const text = [
      'const api = import.meta.env.VITE_API_URL;',
      "const config = require('config');",
      "const dbConfig = config.get('db');",
      'if (config.has("payments.api-key")) {}',
      'const retries = config.get(`http.retries`);',
    ].join('\n');
    expect(javascriptExtractor.extract(text).references).toEqual([
      { name: 'VITE_API_URL', line: 1, column: 13, style: 'env' },
      { name: 'db', line: 3, column: 18, style: 'dotted' },
      { name: 'payments.api-key', line: 4, column: 5, style: 'dotted', optional: true },
      { name: 'http.retries', line: 5, column: 17, style: 'dotted' },
    ]);
  });

  it('marks reads with a default in the same expression as optional', () => {
    const found = javascriptExtractor.extract(
      "const a = process.env.A ?? 'x';\nconst b = process.env.B || 'y';\nconst c = process.env.C;",
    ).references;
    expect(found.map((reference) => [reference.name, reference.optional === true])).toEqual([
      ['A', true],
      ['B', true],
      ['C', false],
    ]);
  });

  it('reports dynamic reads as unresolvable', () => {
    const text = [
      'function read(name) {',
      '  return process.env[name] ?? config.get(prefix + ".url");',
      '}',
      'const t = process.env[`APP_${suffix}`];',
    ].join('\n');
    expect(javascriptExtractor.extract(text)).toEqual({
      references: [],
      unresolvable: [
        { line: 2, column: 10, snippet: 'process.env[name]' },
        { line: 2, column: 31, snippet: 'config.get(prefix + ".url")' },
        { line: 4, column: 11, snippet: 'process.env[`APP_${suffix}`]' },
      ],
    });
  });

  it('ignores writes, spreads, and the whole environment passed on', () => {
    const text = [
      "process.env.NODE_ENV = 'test';",
      "process.env['TZ'] = 'UTC';",
      'spawn(cmd, { env: { ...process.env, FORCE_COLOR: "1" } });',
      'const copy = Object.assign({}, process.env);',
      "if (process.env.CI === 'true') {}",
    ].join('\n');
    expect(names(text)).toEqual(['CI']);
  });

  it('skips obvious comments but not code that contains comment-like strings', () => {
    const text = [
      '// process.env.LINE_COMMENT',
      '/* process.env.BLOCK_COMMENT */',
      '/**',
      ' * @example process.env.JSDOC',
      ' */',
      "const url = 'http://' + process.env.HOST; // process.env.TRAILING",
      '/* note */ const p = process.env.AFTER_BLOCK;',
      'const q = "a // b" + process.env.IN_CODE;',
    ].join('\n');
    expect(names(text)).toEqual(['HOST', 'AFTER_BLOCK', 'IN_CODE']);
  });

  it('reads nothing in strings, template text or comments, but reads inside ${...}', () => {
    const text = [
      'const help = "set process.env.IN_DOUBLE_QUOTES to change it";',
      "const hint = 'process.env.IN_SINGLE_QUOTES';",
      'const doc = `process.env.IN_TEMPLATE_TEXT, then ${process.env.INTERPOLATED} and ${`${process.env.NESTED}`}`;',
      'const escaped = "a \\" process.env.AFTER_ESCAPED_QUOTE";',
      '/*',
      '  process.env.IN_BLOCK_COMMENT_WITHOUT_STARS',
      '*/',
      'const re = /process.env.IN_REGEX/.test(line) ? 1 : 2, half = total / 2 / process.env.AFTER_DIVISIONS;',
      "const label = <p>Don't forget {process.env.IN_JSX}</p>;",
      "const x = { a: '}' , b: `${ {c: 1}.c }` } + process.env.AFTER_BRACES;",
    ].join('\n');
    expect(names(text)).toEqual(['INTERPOLATED', 'NESTED', 'AFTER_DIVISIONS', 'IN_JSX', 'AFTER_BRACES']);
  });

  it('reads config.get with TypeScript type arguments', () => {
    const text = [
      "const base = config.get<string>('payments.api_base');",
      "const limits = config.get<Record<string, Array<number>>>('payments.limits');",
      'const retries = config.get < number > ("http.retries");',
    ].join('\n');
    expect(javascriptExtractor.extract(text).references).toEqual([
      { name: 'payments.api_base', line: 1, column: 14, style: 'dotted' },
      { name: 'payments.limits', line: 2, column: 16, style: 'dotted' },
      { name: 'http.retries', line: 3, column: 17, style: 'dotted' },
    ]);
  });

  it('takes a read guarded by its own test, or with a default after the call, as optional', () => {
    const text = [
      "const ttl = config.has('cache.ttl') ? config.get('cache.ttl') : 60;",
      "const pool = !config.has('db.pool') ? 10 : config.get<number>('db.pool');",
      "const region = config.get('aws.region') ?? 'eu-west-1';",
      "const other = config.has('a') ? config.get('b') : 1;",
      "const host = process.env.HOST ? process.env.HOST : 'localhost';",
      'const must = config.get("must.exist");',
    ].join('\n');
    expect(
      javascriptExtractor.extract(text).references.map((reference) => [reference.name, reference.optional === true]),
    ).toEqual([
      ['cache.ttl', true],
      ['cache.ttl', true],
      ['db.pool', true],
      ['db.pool', true],
      ['aws.region', true],
      ['a', true],
      ['b', false],
      ['HOST', true],
      ['HOST', true],
      ['must.exist', false],
    ]);
  });

  it('does not take other identifiers for the anchors', () => {
    expect(names('subprocess.env.X; myconfig.get("a"); config.getAll("b"); nconf.get("c")')).toEqual([]);
  });

  it('reads the script of Vue and Svelte files', () => {
    expect(javascriptExtractor.extensions).toEqual(expect.arrayContaining(['.vue', '.svelte', '.tsx', '.cts']));
    const vue = '<template><div/></template>\n<script setup>\nconst base = import.meta.env.VITE_BASE;\n</script>';
    expect(names(vue)).toEqual(['VITE_BASE']);
  });
});
