import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractorSelector, extractors } from '../../src/references/extractors.js';

const all = Object.entries(extractors);

describe('references/extractors', () => {
  it.each(all)('%s is registered under its id and well formed', (id, extractor) => {
    expect(extractor.id).toBe(id);
    expect(extractor.extensions.length).toBeGreaterThan(0);
    for (const ending of extractor.extensions) expect(ending).toBe(ending.toLowerCase());
    expect(extractor.extract('')).toEqual({ references: [], unresolvable: [] });
  });

  it('gives every file ending to one built-in extractor at most', () => {
    const endings = all.flatMap(([, extractor]) => extractor.extensions);
    expect(new Set(endings).size).toBe(endings.length);
  });

  it('selects extractors by file name ending, and user extractors by their globs', () => {
    const select = extractorSelector([
      { name: 'settings', pattern: '(?<key>x)', files: ['src/**/*.ts'] },
      { name: 'anywhere', pattern: '(?<key>y)', files: ['*.conf'] },
      { name: 'everything', pattern: '(?<key>z)' },
    ]);
    const ids = (file: string) => select(file).map((extractor) => extractor.id);
    expect(ids('src/app/server.ts')).toEqual(['javascript', 'settings', 'everything']);
    expect(ids('lib/server.ts')).toEqual(['javascript', 'everything']);
    expect(ids('deploy/Dockerfile')).toEqual(['template', 'everything']);
    expect(ids('etc/nginx/site.conf')).toEqual(['template', 'anywhere', 'everything']);
    expect(ids('deploy/production.env')).toEqual(['template', 'everything']);
    expect(ids('app/Models/User.RB')).toEqual(['ruby', 'everything']);
    expect(extractorSelector()('README.md')).toEqual([]);
  });

  // Tokens that drive every extractor's anchors and sticky patterns into their branches.
  const tokens = [
    'process',
    '.env',
    'import.meta',
    '.',
    '?.',
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    "'",
    '"',
    '`',
    '=',
    '==',
    '??',
    ',',
    '...',
    ':',
    '-',
    ' ',
    '\t',
    '\n',
    '\\',
    '//',
    '/*',
    '*/',
    '*',
    '#',
    'config',
    '.get',
    '.has',
    'os',
    'environ',
    'getenv',
    'Getenv',
    'LookupEnv',
    'System.getenv',
    '@Value',
    '@ConfigurationProperties',
    'prefix',
    'ENV',
    '.fetch',
    'do',
    '$',
    '${',
    '.Values',
    'A',
    'db',
    '_',
    '0',
    'é',
  ];
  const sourceLike = fc.array(fc.constantFrom(...tokens), { maxLength: 120 }).map((parts) => parts.join(''));

  it('never throws and reports positions inside the text, on random token soup', () => {
    const started = performance.now();
    fc.assert(
      fc.property(sourceLike, (text) => {
        const lines = text.split('\n');
        for (const [, extractor] of all) {
          const { references, unresolvable } = extractor.extract(text);
          for (const site of [...references, ...unresolvable]) {
            expect(site.line).toBeGreaterThanOrEqual(1);
            expect(site.line).toBeLessThanOrEqual(lines.length);
            expect(site.column).toBeGreaterThanOrEqual(1);
            expect(site.column).toBeLessThanOrEqual((lines[site.line - 1] as string).length + 1);
          }
          for (const reference of references) expect(reference.name).not.toBe('');
          // The scanner skips files without a needle: whatever an extractor finds must contain one.
          if (references.length + unresolvable.length > 0) {
            expect(extractor.needles?.some((needle) => text.includes(needle)) ?? true).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
    // 3,000 short inputs through six extractors: a backtracking pattern would blow this budget.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('stays linear on a 1 MB line of `process.env.` repeated', () => {
    const repeats = Math.ceil((1024 * 1024) / 'process.env.'.length);
    const text = 'process.env.'.repeat(repeats);
    const started = performance.now();
    const { references } = extractors.javascript.extract(text);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(references).toHaveLength(repeats - 1);
    expect(references[1]).toEqual({ name: 'process', line: 1, column: 13, style: 'env' });
  });

  const adversarial = [
    'process.env[',
    '} = process.env ',
    '{ a, ',
    'config.get(',
    'os.environ[',
    'os.getenv(',
    'os.Getenv(',
    '@Value("',
    '@Value("${a',
    '\\',
    'System.getenv(',
    'ENV.fetch ',
    'ENV[',
    '${a.',
    '${a-',
    '.Values.a',
    '// ',
    '"',
    ' ',
  ];
  it.each(adversarial)('every extractor stays linear on 1 MB of %j', (unit) => {
    const text = unit.repeat(Math.ceil((1024 * 1024) / unit.length));
    for (const [id, extractor] of all) {
      const started = performance.now();
      extractor.extract(text);
      const elapsed = performance.now() - started;
      expect(elapsed, `${id} took ${Math.round(elapsed)} ms`).toBeLessThan(5_000);
    }
  });
});
