import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_EXCLUDES } from '../references/config.js';
import { listFiles } from '../references/list-files.js';
import type { RepositoryFiles } from './layout.js';

/**
 * The repository's files as a clone sees them: the tracked ones in a git work
 * tree (new ones included), otherwise every file not ignored by `.gitignore`;
 * dependencies and build output left out as in a reference scan.
 */
export async function repositoryFiles(root: string): Promise<RepositoryFiles> {
  const { files } = await listFiles({ configDir: root, include: ['**/*'], exclude: DEFAULT_EXCLUDES });
  return inMemoryRepository(files, (file) => readFileSync(path.join(root, file), 'utf8'));
}

export function inMemoryRepository(files: readonly string[], read: (file: string) => string): RepositoryFiles {
  const known = new Set(files);
  const directories = new Set<string>();
  for (const file of files) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      directories.add(file.slice(0, slash));
    }
  }
  return {
    files,
    has: (file) => known.has(file),
    isDirectory: (dir) => dir === '' || directories.has(dir),
    read,
  };
}
