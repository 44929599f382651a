import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { detectFormat } from '../../src/formats/detect.js';
import { formats } from '../../src/formats/index.js';

const FORMAT_DIR = path.resolve(import.meta.dirname, '../../src/formats');
const NOT_FORMATS = new Set(['format.ts', 'index.ts', 'detect.ts', 'yaml-leaves.ts', 'text-position.ts']);

describe('formats: one interface, one registry', () => {
  it('registers every format module of the folder under its own id', () => {
    const modules = readdirSync(FORMAT_DIR).filter((file) => file.endsWith('.ts') && !NOT_FORMATS.has(file));
    expect(modules.length).toBe(Object.keys(formats).length);
    for (const [id, format] of Object.entries(formats)) {
      expect(format.id).toBe(id);
      for (const extension of format.extensions) expect(extension).toMatch(/^\.[a-z]+$/);
    }
  });

  it.each(Object.keys(formats))('%s throws nothing but ParseError, and leaves are well formed (property)', (id) => {
    const format = formats[id as keyof typeof formats];
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          for (const leaf of format.parse(text, 'input')) {
            expect(leaf.path.length).toBeGreaterThan(0);
            expect(leaf.line).toBeGreaterThanOrEqual(1);
            expect(leaf.column).toBeGreaterThanOrEqual(1);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('formats/detect', () => {
  it.each([
    ['config/app.yaml', 'a: 1\n', 'yaml'],
    ['deploy/configmap.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n', 'k8s'],
    ['.env', 'A=1\n', 'dotenv'],
    ['.env.production', 'A=1\n', 'dotenv'],
    ['deploy/production.env', 'A=1\n', 'dotenv'],
    ['config/production.json', '{}', 'json'],
    ['config/sandbox.toml', 'a = 1', 'toml'],
    ['application.properties', 'a=1', 'properties'],
    ['https://config.example/app?token=1', '{"a": 1}', 'json'],
    ['command: kubectl get configmap app -o yaml', 'apiVersion: v1\nkind: ConfigMap\n', 'k8s'],
    ['command: cat settings', 'export A=1\n# comment\nB=2\n', 'dotenv'],
    ['command: cat settings', 'a:\n  b: 1\n', 'yaml'],
  ])('%s holding %j is %s', (origin, text, expected) => {
    expect(detectFormat(origin, text)).toBe(expected);
  });

  it('prefers the name over a hint, and a hint over sniffing', () => {
    expect(detectFormat('https://x/app.yaml', 'a: 1', 'json')).toBe('yaml');
    expect(detectFormat('https://x/config', 'a=1', 'toml')).toBe('toml');
  });

  it('gives up on text that says nothing about its format', () => {
    expect(detectFormat('command: echo', 'hello world')).toBeUndefined();
    expect(detectFormat('command: echo', '')).toBeUndefined();
  });
});
