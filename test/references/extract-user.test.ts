import { describe, expect, it } from 'vitest';
import { ReferencesConfig } from '../../src/references/config.js';
import { userExtractor } from '../../src/references/extract-user.js';

describe('references/extract-user', () => {
  it('reads the key group of an in-house reader, guessing the style from dots', () => {
    const [settings] = ReferencesConfig.parse({
      extractors: [{ name: 'settings', pattern: String.raw`\bSettings\.(?:get|require)\(\s*['"](?<key>[\w.-]+)['"]` }],
    }).extractors;
    const extractor = userExtractor(settings as NonNullable<typeof settings>);
    const text =
      "const url = Settings.get('db.url');\nconst token = Settings.require(\"API_TOKEN\");\nSettings.get('');";
    expect(extractor.id).toBe('settings');
    expect(extractor.extract(text)).toEqual({
      references: [
        { name: 'db.url', line: 1, column: 13, style: 'dotted' },
        { name: 'API_TOKEN', line: 2, column: 15, style: 'env' },
      ],
      unresolvable: [],
    });
  });

  it('anchors ^ and $ at line boundaries', () => {
    const extractor = userExtractor({ name: 'envfile', pattern: '^require_env (?<key>\\w+)$' });
    expect(extractor.extract('x\nrequire_env FOO\nrequire_env BAR\n').references.map((r) => r.name)).toEqual([
      'FOO',
      'BAR',
    ]);
  });
});
