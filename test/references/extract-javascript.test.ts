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
      ' * @example process.env.JSDOC',
      "const url = 'http://' + process.env.HOST; // process.env.TRAILING",
      '/* note */ const p = process.env.AFTER_BLOCK;',
      'const q = "a // b" + process.env.IN_CODE;',
    ].join('\n');
    expect(names(text)).toEqual(['HOST', 'AFTER_BLOCK', 'IN_CODE']);
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
