import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layouts } from '../../src/init/layouts/index.js';
import { inMemoryRepository } from '../../src/init/repository-files.js';

const LAYOUTS_DIR = path.resolve(import.meta.dirname, '../../src/init/layouts');

describe('init/layouts: every layout module is registered and well formed', () => {
  it('registers every module of src/init/layouts, once, under a unique id', async () => {
    const modules = readdirSync(LAYOUTS_DIR).filter((file) => file.endsWith('.ts') && file !== 'index.ts');
    const exported = await Promise.all(
      modules.map(async (file) => Object.values(await import(path.join(LAYOUTS_DIR, file))).filter(Boolean)),
    );
    for (const [index, values] of exported.entries()) {
      expect(
        values.some((value) => layouts.includes(value as never)),
        modules[index],
      ).toBe(true);
    }
    expect(layouts).toHaveLength(modules.length);
    expect(new Set(layouts.map((layout) => layout.id)).size).toBe(layouts.length);
  });

  it('each finds nothing, and reports nothing, in a repository without configuration', () => {
    const repository = inMemoryRepository(['README.md', 'src/index.ts'], () => '');
    for (const layout of layouts) {
      const result = layout.detect(repository);
      expect([result.matches, result.unplaced], layout.id).toEqual([[], []]);
    }
  });
});
