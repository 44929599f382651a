import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const HEAD = ['version: 1', 'environments:', '  staging: {sources: [{path: a.env}]}'];

function problemsOf(lines: readonly string[]) {
  try {
    parseConfig([...HEAD, ...lines].join('\n'), '/repo/driftwatch.yaml', 'driftwatch.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('snapshot/declared-secrets: the secrets: block of driftwatch.yaml', () => {
  it('reads always and never, both empty by default', () => {
    const config = parseConfig(
      [...HEAD, 'secrets:', '  always: [hero.signing_*, "**.pin"]', '  never: [FEATURE_*]'].join('\n'),
      '/repo/driftwatch.yaml',
    );
    expect(config.secrets).toEqual({ always: ['hero.signing_*', '**.pin'], never: ['FEATURE_*'] });
    expect(parseConfig(HEAD.join('\n'), '/repo/driftwatch.yaml').secrets).toEqual({ always: [], never: [] });
  });

  it('names the file, line and column of a bad glob and of a misspelt field', () => {
    expect(problemsOf(['secrets:', '  always:', '    - ok.*', '    - "a..b"', '  nevr: [X]'])).toEqual([
      {
        file: 'driftwatch.yaml',
        line: 7,
        column: 7,
        message: "secrets.always[1]: invalid key glob 'a..b': empty segment",
      },
      { file: 'driftwatch.yaml', line: 8, column: 3, message: "secrets.nevr: unknown field 'nevr'" },
    ]);
  });

  it('refuses a glob that is not a string', () => {
    expect(problemsOf(['secrets: {never: [3]}'])).toMatchObject([{ file: 'driftwatch.yaml', line: 4 }]);
  });
});
