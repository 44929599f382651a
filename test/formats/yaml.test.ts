import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ParseError } from '../../src/errors.js';
import type { Leaf, PathSegment } from '../../src/formats/format.js';
import { yamlFormat } from '../../src/formats/yaml.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';
import { CORPUS_DIR, readCorpus } from '../corpus.js';
import { parserFor } from './helpers.js';

const { parse, problemsOf } = parserFor(yamlFormat, 'app.yaml');

/** `key → value` for a quick look at what a text says. */
function valuesOf(leaves: readonly Leaf[]): Record<string, unknown> {
  return Object.fromEntries(leaves.map((leaf) => [formatKeyPath(leaf.path), leaf.value]));
}

function leafAt(leaves: readonly Leaf[], keyPath: string): Leaf | undefined {
  return leaves.find((leaf) => formatKeyPath(leaf.path) === keyPath);
}

const BILLION_LAUGHS = [
  'a0: &a0 [lol]',
  ...Array.from(
    { length: 9 },
    (_, level) => `a${level + 1}: &a${level + 1} [${Array(10).fill(`*a${level}`).join(', ')}]`,
  ),
].join('\n');

describe('formats/yaml', () => {
  it('claims .yaml and .yml', () => {
    expect(yamlFormat.id).toBe('yaml');
    expect(yamlFormat.extensions).toEqual(['.yaml', '.yml']);
  });

  describe('leaves', () => {
    it('gives every scalar its value, type, line and column', () => {
      const text = [
        'db:',
        '  host: db.internal',
        '  port: 5432',
        '  ratio: 0.25',
        '  ssl: true',
        '  password:',
        '  replica: ~',
        'hosts:',
        '  - a.example.com',
        '  - "b.example.com"',
      ].join('\n');
      expect(parse(text)).toEqual([
        { path: ['db', 'host'], value: 'db.internal', type: 'string', line: 2, column: 9 },
        { path: ['db', 'port'], value: 5432, type: 'number', line: 3, column: 9 },
        { path: ['db', 'ratio'], value: 0.25, type: 'number', line: 4, column: 10 },
        { path: ['db', 'ssl'], value: true, type: 'boolean', line: 5, column: 8 },
        { path: ['db', 'password'], value: null, type: 'null', line: 6, column: 3 },
        { path: ['db', 'replica'], value: null, type: 'null', line: 7, column: 12 },
        { path: ['hosts', 0], value: 'a.example.com', type: 'string', line: 9, column: 5 },
        { path: ['hosts', 1], value: 'b.example.com', type: 'string', line: 10, column: 5 },
      ]);
    });

    it('places an empty value with a trailing comment at its key', () => {
      expect(parse('redis:\n  password: # none by default\n  port: 6379\n')[0]).toEqual({
        path: ['redis', 'password'],
        value: null,
        type: 'null',
        line: 2,
        column: 3,
      });
    });

    it('keeps empty maps and lists as leaves', () => {
      expect(parse('features: {}\nhosts: []\n')).toEqual([
        { path: ['features'], value: null, type: 'empty-map', line: 1, column: 11 },
        { path: ['hosts'], value: null, type: 'empty-list', line: 2, column: 8 },
      ]);
    });

    it('reads a list at the top level with index segments', () => {
      expect(parse('- name: a\n- [x, y]\n')).toEqual([
        { path: [0, 'name'], value: 'a', type: 'string', line: 1, column: 9 },
        { path: [1, 0], value: 'x', type: 'string', line: 2, column: 4 },
        { path: [1, 1], value: 'y', type: 'string', line: 2, column: 7 },
      ]);
    });

    it('uses the YAML 1.2 core schema: yes, no, on and 0777 stay what 1.2 says', () => {
      expect(valuesOf(parse('a: yes\nb: no\nc: on\nd: 0o17\ne: 0x1F\nf: 1e3\n'))).toEqual({
        a: 'yes',
        b: 'no',
        c: 'on',
        d: 15,
        e: 31,
        f: 1000,
      });
    });

    it('keeps integers beyond the safe range, and infinities, as their source text', () => {
      const leaves = parse('id: 12345678901234567890\nneg: -9007199254740993\nsafe: 9007199254740991\nmax: .inf\n');
      expect(leaves.map(({ value, type }) => ({ value, type }))).toEqual([
        { value: '12345678901234567890', type: 'number' },
        { value: '-9007199254740993', type: 'number' },
        { value: 9007199254740991, type: 'number' },
        { value: '.inf', type: 'number' },
      ]);
    });

    it('makes timestamps the schema resolves into ISO datetimes, and leaves other dates as strings', () => {
      const leaves = parse('tagged: !!timestamp 2001-12-14t21:59:43.10-05:00\nplain: 2001-12-14\n');
      expect(leaves.map(({ value, type }) => ({ value, type }))).toEqual([
        { value: '2001-12-15T02:59:43.100Z', type: 'datetime' },
        { value: '2001-12-14', type: 'string' },
      ]);
      const yaml11 = parse('%YAML 1.1\n---\ndate: 2001-12-14\nflag: yes\n');
      expect(valuesOf(yaml11)).toEqual({ date: '2001-12-14T00:00:00.000Z', flag: true });
    });

    it('keeps !!binary as its base64 text', () => {
      expect(parse('key: !!binary |\n  aGVs\n  bG8=\n')[0]).toMatchObject({ value: 'aGVsbG8=', type: 'string' });
    });

    it('makes a key that is not a string one segment of its source text', () => {
      const leaves = parse('1: a\ntrue: b\nnull: c\n0x1F: d\n? [x, y]\n: e\n');
      expect(leaves.map((leaf) => leaf.path)).toEqual([['1'], ['true'], ['null'], ['0x1F'], ['[x, y]']]);
    });

    it('reads back every value yaml writes, at the path it was written', () => {
      const key = fc.string({ maxLength: 8 }).filter((text) => text !== '<<');
      const scalar = fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.boolean(),
        fc.constant(null),
        fc.maxSafeInteger(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
      );
      const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
        tree: fc.oneof(
          { depthSize: 'small' },
          scalar,
          fc.array(tie('tree'), { maxLength: 4 }),
          fc.dictionary(key, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
        ),
      }));
      const config = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5, noNullPrototype: true });
      fc.assert(
        fc.property(config, (value) => {
          const leaves = parse(stringify(value));
          expect(leaves.map(({ path, value, type }) => ({ path, value, type }))).toEqual(flatten(value));
        }),
        { numRuns: 300 },
      );
    });

    it('keeps a key containing dots as one segment', () => {
      expect(parse('logging:\n  level:\n    com.macro.mall: debug\n')[0]?.path).toEqual([
        'logging',
        'level',
        'com.macro.mall',
      ]);
    });
  });

  describe('multi-document files', () => {
    it('lets a later document override earlier leaves at the same path', () => {
      const text = ['a: 1', 'b: {c: 2, d: 3}', 'list: [1, 2, 3]', '---', 'a: 10', 'b: {d: 30}', 'list: [9]'].join('\n');
      expect(parse(text)).toEqual([
        { path: ['b', 'c'], value: 2, type: 'number', line: 2, column: 8 },
        { path: ['a'], value: 10, type: 'number', line: 5, column: 4 },
        { path: ['b', 'd'], value: 30, type: 'number', line: 6, column: 8 },
        { path: ['list', 0], value: 9, type: 'number', line: 7, column: 8 },
      ]);
    });

    it('replaces an earlier scalar with a later map and an earlier map with a later scalar', () => {
      expect(valuesOf(parse('a: 1\nb: {c: 2}\n---\na: {x: 1}\nb: 3\n'))).toEqual({ 'a.x': 1, b: 3 });
    });

    it('skips empty and null documents', () => {
      expect(valuesOf(parse('---\n---\na: 1\n--- ~\n---\n# only a comment\n'))).toEqual({ a: 1 });
      expect(parse('')).toEqual([]);
      expect(parse('# nothing here\n')).toEqual([]);
    });

    it('refuses a scalar at the top level', () => {
      expect(problemsOf('a: 1\n--- just text\n')).toEqual([
        { file: 'app.yaml', line: 2, column: 5, message: 'expected a map or a list at the top level' },
      ]);
    });
  });

  describe('merge keys', () => {
    const text = [
      'defaults: &defaults', // 1
      '  timeout: 30', // 2
      '  retries: 3', // 3
      'fast: &fast', // 4
      '  timeout: 5', // 5
      'service:', // 6
      '  <<: [*fast, *defaults]', // 7
      '  retries: 5', // 8
      'other:', // 9
      '  !!merge <<: *defaults', // 10
    ].join('\n');

    it('merges plain and !!merge << keys; written keys win, then the first source', () => {
      expect(valuesOf(parse(text))).toEqual({
        'defaults.timeout': 30,
        'defaults.retries': 3,
        'fast.timeout': 5,
        'service.timeout': 5,
        'service.retries': 5,
        'other.timeout': 30,
        'other.retries': 3,
      });
    });

    it('places a merged value where the anchored value was written', () => {
      const leaves = parse(text);
      expect(leafAt(leaves, 'service.timeout')).toMatchObject({ line: 5, column: 12 });
      expect(leafAt(leaves, 'other.retries')).toMatchObject({ line: 3, column: 12 });
      expect(leafAt(leaves, 'service.retries')).toMatchObject({ line: 8, column: 12 });
    });

    it('keeps a quoted "<<" an ordinary key', () => {
      expect(valuesOf(parse('base: &b {x: 1}\nm:\n  "<<": *b\n'))).toEqual({ 'base.x': 1, 'm."<<".x': 1 });
    });

    it('refuses a merge of something that is not a map', () => {
      expect(problemsOf('a: &a 1\nb:\n  <<: *a\n')).toEqual([
        {
          file: 'app.yaml',
          line: 3,
          column: 7,
          message: 'a merge key (<<) takes a map, an alias of a map, or a list of them',
        },
      ]);
    });
  });

  describe('aliases', () => {
    it('resolves an alias to the most recent anchor of that name', () => {
      const leaves = parse('a: &size 10M\nb: *size\nc: &size 20M\nd: *size\n');
      expect(leaves.map(({ path, value, line }) => ({ path, value, line }))).toEqual([
        { path: ['a'], value: '10M', line: 1 },
        { path: ['b'], value: '10M', line: 1 },
        { path: ['c'], value: '20M', line: 3 },
        { path: ['d'], value: '20M', line: 3 },
      ]);
    });

    it('refuses an unresolved alias and an alias inside its own anchor', () => {
      expect(problemsOf('a: *nowhere\n')).toEqual([
        {
          file: 'app.yaml',
          line: 1,
          column: 4,
          message: 'unresolved alias *nowhere (the anchor must be set before the alias)',
        },
      ]);
      expect(problemsOf('a: &loop [1, *loop]\n')).toEqual([
        { file: 'app.yaml', line: 1, column: 14, message: 'alias *loop refers to a node that contains it' },
      ]);
      expect(problemsOf('a: &loop\n  b:\n    <<: *loop\n')[0]?.message).toBe(
        'alias *loop refers to a node that contains it',
      );
    });

    it('fails fast on a billion-laughs document (9 levels of 10 aliases)', () => {
      const started = performance.now();
      const problems = problemsOf(BILLION_LAUGHS);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toMatch(/^aliases expand to more than 250,000 nodes/);
    });

    it('fails fast on a billion laughs made of maps and merge keys', () => {
      const text = [
        'm0: &m0 {a: lol, b: lol}',
        ...Array.from({ length: 9 }, (_, level) => {
          const keys = Array.from({ length: 10 }, (_, key) => `k${key}: *m${level}`).join(', ');
          return `m${level + 1}: &m${level + 1} {<<: *m${level}, ${keys}}`;
        }),
      ].join('\n');
      expect(problemsOf(text)[0]?.message).toMatch(/^aliases expand to more than/);
    });
  });

  describe('custom tags', () => {
    it('keeps a tagged scalar as an opaque leaf with its tag and text', () => {
      const text = 'db:\n  password: !vault secret/data/db#password\nbucket: !Ref Bucket\nport: !Ref 5432\n';
      expect(parse(text)).toEqual([
        {
          path: ['db', 'password'],
          value: 'secret/data/db#password',
          type: 'opaque',
          tag: '!vault',
          line: 2,
          column: 20,
        },
        { path: ['bucket'], value: 'Bucket', type: 'opaque', tag: '!Ref', line: 3, column: 14 },
        { path: ['port'], value: '5432', type: 'opaque', tag: '!Ref', line: 4, column: 12 },
      ]);
    });

    it('renders a tagged map or list as compact JSON, nested tags included', () => {
      const text = [
        'arn: !GetAtt',
        '  - Bucket # the bucket',
        '  - Arn',
        'url: !Sub',
        '  - "https://${Host}/${Path}"',
        '  - Host: !Ref Domain',
        '    Path: api',
      ].join('\n');
      expect(parse(text)).toEqual([
        { path: ['arn'], value: '["Bucket","Arn"]', type: 'opaque', tag: '!GetAtt', line: 2, column: 3 },
        {
          path: ['url'],
          value: '["https://${Host}/${Path}",{"Host":{"!Ref":"Domain"},"Path":"api"}]',
          type: 'opaque',
          tag: '!Sub',
          line: 5,
          column: 3,
        },
      ]);
    });

    it('renders the same tagged value the same way however it is laid out', () => {
      const block = parse('x: !GetAtt\n  - Bucket\n  - Arn\n')[0]?.value;
      const flow = parse('x: !GetAtt [Bucket, Arn] # comment\n')[0]?.value;
      expect(flow).toBe(block);
    });

    it('names tags from %TAG directives and unknown !! tags in full', () => {
      const leaves = parse('%TAG !e! tag:example.com,2000:\n---\na: !e!secret x\nb: !!custom y\n');
      expect(leaves.map(({ tag }) => tag)).toEqual(['tag:example.com,2000:secret', '!!custom']);
    });
  });

  describe('errors', () => {
    it('names every duplicate key with its line and column, and the line of the first', () => {
      expect(problemsOf('a: 1\nb:\n  c: 1\n  c: 2\na: 2\n')).toEqual([
        { file: 'app.yaml', line: 4, column: 3, message: 'Map keys must be unique: c (first at line 3)' },
        { file: 'app.yaml', line: 5, column: 1, message: 'Map keys must be unique: a (first at line 1)' },
      ]);
    });

    it('lists every syntax error, across documents, each on one line', () => {
      expect(problemsOf('a: [1, 2\nb: 1\n---\nc: "open\n')).toEqual([
        {
          file: 'app.yaml',
          line: 2,
          column: 1,
          message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        },
        { file: 'app.yaml', line: 5, column: 1, message: 'Missing closing "quote' },
      ]);
    });

    it('reports nesting too deep for the parser as a ParseError', () => {
      expect(problemsOf('['.repeat(20_000)).length).toBeGreaterThan(0);
    });

    it('throws only ParseError, whatever the text', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), (text) => parsesOrRefuses(text)),
        { numRuns: 500 },
      );
    });

    it('throws only ParseError for text made of YAML syntax', () => {
      const unit = fc.constantFrom(
        ...':-[]{}&*!|>\'"#,?%@`\t\n '.split(''),
        'a',
        'b',
        '1',
        '&a ',
        '*a',
        '<<: ',
        '!!merge ',
        '!vault ',
        '---\n',
        '...\n',
        '\n  ',
        '- ',
      );
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 80 }), (text) => parsesOrRefuses(text)),
        { numRuns: 500 },
      );
    });
  });

  describe('the real corpus', () => {
    const files = (readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((file) => /\.ya?ml$/.test(file))
      .sort();

    it('has YAML files to read', () => {
      expect(files.length).toBeGreaterThanOrEqual(50);
    });

    it.each(files)('parses %s', (file) => {
      const leaves = yamlFormat.parse(readCorpus(file), file);
      for (const leaf of leaves) {
        expect(leaf.line).toBeGreaterThan(0);
        expect(leaf.column).toBeGreaterThan(0);
      }
    });

    const appConfig = (env: string) => {
      const file = `alphagov__govuk-helm-charts/charts/app-config/values-${env}.yaml`;
      return yamlFormat.parse(readCorpus(file), file);
    };

    it('reads awsAccountId as a quoted string in staging and production (alphagov)', () => {
      expect(leafAt(appConfig('staging'), 'awsAccountId')).toEqual({
        path: ['awsAccountId'],
        value: '696911096973',
        type: 'string',
        line: 10,
        column: 15,
      });
      expect(leafAt(appConfig('production'), 'awsAccountId')).toEqual({
        path: ['awsAccountId'],
        value: '172025368201',
        type: 'string',
        line: 10,
        column: 15,
      });
    });

    it('applies `!!merge <<: *content-store` so draft-content-store inherits its values (alphagov staging)', () => {
      const staging = appConfig('staging');
      // Items with unique names are keyed by name, so the app is `govukApplications.draft-content-store`.
      expect(leafAt(staging, 'govukApplications.draft-content-store.name')).toBeUndefined();
      // Inherited from content-store's anchored helmValues (lines 814-849), placed where they were written.
      expect(leafAt(staging, 'govukApplications.draft-content-store.helmValues.replicaCount')).toEqual({
        path: ['govukApplications', 'draft-content-store', 'helmValues', 'replicaCount'],
        value: 6,
        type: 'number',
        line: 825,
        column: 21,
        namedItems: [1],
      });
      expect(leafAt(staging, 'govukApplications.draft-content-store.helmValues.nginxClientMaxBodySize')).toMatchObject({
        value: '20M',
        line: 824,
      });
      // Written under draft-content-store itself: wins over the merged keys.
      expect(leafAt(staging, 'govukApplications.draft-content-store.helmValues.rails.secretKeyBaseName')).toMatchObject(
        {
          value: 'content-store-rails-secret-key-base',
          line: 881,
        },
      );
    });

    it('merges a list of aliases with the first source winning, through nested merges (alphagov staging)', () => {
      const annotations = 'govukApplications.account-api.helmValues.ingress.annotations';
      const staging = appConfig('staging');
      // `!!merge <<: [*alb-ingress-group-backend, *alb-ingress-defaults]`: both define load-balancer-name.
      expect(leafAt(staging, `${annotations}."alb.ingress.kubernetes.io/load-balancer-name"`)).toMatchObject({
        value: 'backend',
        line: 44,
      });
      // From *alb-ingress-waf-ruleset-backend, itself merged into *alb-ingress-group-backend.
      expect(leafAt(staging, `${annotations}."alb.ingress.kubernetes.io/wafv2-acl-arn"`)).toMatchObject({
        value:
          'arn:aws:wafv2:eu-west-1:696911096973:regional/webacl/backend_public_web_acl/c9585984-e065-462b-8e78-601aae0cabd8',
        line: 39,
      });
      expect(leafAt(staging, `${annotations}."alb.ingress.kubernetes.io/scheme"`)).toMatchObject({
        value: 'internet-facing',
        line: 25,
      });
    });

    it('accepts &max-upload-size redefined, each alias taking the definition before it (alphagov integration)', () => {
      const sizes = appConfig('integration')
        .filter((leaf) => leaf.path.at(-1) === 'nginxClientMaxBodySize' && leaf.value === '500M')
        .map((leaf) => leaf.line);
      // Anchors at 2137, 4009 and 4066; the aliases at 2234, 3381, 3721 and 3880 all follow 2137.
      expect(sizes).toEqual([2137, 2137, 2137, 2137, 2137, 4009, 4066]);
    });

    it('reads `password:` with a trailing comment as null (macrozheng mall-admin dev)', () => {
      const file = 'macrozheng__mall/mall-admin/src/main/resources/application-dev.yml';
      const leaves = yamlFormat.parse(readCorpus(file), file);
      expect(leafAt(leaves, 'spring.redis.password')).toEqual({
        path: ['spring', 'redis', 'password'],
        value: null,
        type: 'null',
        line: 19,
        column: 5,
      });
      expect(leafAt(leaves, 'logging.level."com.macro.mall"')).toEqual({
        path: ['logging', 'level', 'com.macro.mall'],
        value: 'debug',
        type: 'string',
        line: 31,
        column: 21,
      });
    });
  });
});

function parsesOrRefuses(text: string): void {
  try {
    for (const leaf of yamlFormat.parse(text, 'fuzz.yaml')) {
      expect(leaf.line).toBeGreaterThan(0);
      expect(leaf.column).toBeGreaterThan(0);
    }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
  }
}

/** What the leaves of a JSON-like value should be: the YAML format's contract, written the obvious way. */
function flatten(value: unknown, path: PathSegment[] = []): Pick<Leaf, 'path' | 'value' | 'type'>[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value: null, type: 'empty-list' }];
    return value.flatMap((item, index) => flatten(item, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path, value: null, type: 'empty-map' }];
    return entries.flatMap(([key, item]) => flatten(item, [...path, key]));
  }
  if (typeof value === 'string') return [{ path, value, type: 'string' }];
  if (typeof value === 'number') {
    // yaml writes integral numbers below 1e21 as digits, and digits beyond the safe range stay text.
    const digits = Number.isInteger(value) && !Number.isSafeInteger(value) && Math.abs(value) < 1e21;
    return [{ path, value: digits ? String(value) : value, type: 'number' }];
  }
  if (typeof value === 'boolean') return [{ path, value, type: 'boolean' }];
  return [{ path, value: null, type: 'null' }];
}
