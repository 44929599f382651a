import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUDES, effectiveExcludes, ReferencesConfig } from '../../src/references/config.js';

function messages(input: unknown): string[] {
  const result = ReferencesConfig.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('references/config', () => {
  it('defaults to every file, the default excludes and exact matching', () => {
    const config = ReferencesConfig.parse({});
    expect(config).toEqual({ include: ['**/*'], exclude: [], defaultExcludes: true, match: 'exact', extractors: [] });
    expect(effectiveExcludes(config)).toEqual(DEFAULT_EXCLUDES);
    expect(effectiveExcludes({ exclude: ['test/**'], defaultExcludes: false })).toEqual(['test/**']);
  });

  it('accepts a user extractor with a key group', () => {
    const config = ReferencesConfig.parse({
      include: ['src/**'],
      match: 'relaxed',
      extractors: [{ name: 'settings', pattern: String.raw`Settings\.get\('(?<key>[^']+)'\)`, files: ['*.py'] }],
    });
    expect(config.extractors[0]?.files).toEqual(['*.py']);
  });

  it('rejects an invalid regex, a pattern without (?<key>...), and duplicate names, saying where', () => {
    expect(
      messages({
        extractors: [
          { name: 'broken', pattern: 'Settings.get((?<key>' },
          { name: 'nokey', pattern: String.raw`Settings\.get\('([^']+)'\)` },
          { name: 'other', pattern: '(?<name>x)' },
          { name: 'broken', pattern: '(?<key>x)' },
        ],
      }),
    ).toEqual([
      'extractors.0.pattern: not a valid regular expression (Unterminated group)',
      'extractors.1.pattern: the pattern needs a named group (?<key>...) around the key name',
      'extractors.2.pattern: the pattern needs a named group (?<key>...) around the key name',
      "extractors.3.name: another extractor is already named 'broken'",
    ]);
  });

  it('rejects globs that leave the config directory, negations, unknown fields and modes', () => {
    expect(messages({ include: ['../other/**', '/etc/**'], exclude: ['!keep.ts'], match: 'fuzzy', depth: 3 })).toEqual([
      'include.0: globs are relative to the config file and stay below it (no leading / and no ..)',
      'include.1: globs are relative to the config file and stay below it (no leading / and no ..)',
      "exclude.0: negated globs are not supported here; use 'exclude'",
      'match: Invalid option: expected one of "exact"|"relaxed"',
      ': Unrecognized key: "depth"',
    ]);
  });
});
