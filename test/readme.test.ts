import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { Problem } from '../src/errors.js';
import { parsePack } from '../src/rules/load-packs.js';

const README = readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');

/** The YAML code blocks of the README that begin with the given text. */
function yamlBlocks(start: string): string[] {
  return [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .filter((block) => block.startsWith(start));
}

describe('README', () => {
  it('shows a driftwatch.yaml that driftwatch accepts', () => {
    const [config] = yamlBlocks('version: 1');
    expect(config).toBeDefined();
    const parsed = parseConfig(config as string, '/repo/driftwatch.yaml');
    expect(parsed.environments.map((environment) => environment.name)).toEqual(['staging', 'production']);
    expect(parsed.environments[1]?.sources.map((source) => source.kind)).toEqual([
      'path',
      'git',
      'url',
      'command',
      'env',
    ]);
    expect(parsed.references?.extractors).toHaveLength(1);
  });

  it('shows rule packs that load without a problem', () => {
    const packs = yamlBlocks('rules:');
    expect(packs.length).toBeGreaterThan(0);
    for (const pack of packs) {
      const problems: Problem[] = [];
      const rules = parsePack(pack, 'README.md', { environments: ['staging', 'production'] }, problems);
      expect(problems).toEqual([]);
      expect(rules.length).toBeGreaterThan(0);
    }
  });
});
