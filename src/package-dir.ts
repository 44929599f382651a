import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder of the package's package.json, found upward from a module's own
 * folder. The built-in rule packs and the dashboard ship there, beside
 * dist/; the answer is the same from src/ (tests), dist/ (tsc), the bundle the
 * command runs and the Action's bundle, whose modules sit at different depths.
 */
export function packageDir(moduleDir: string): string {
  for (let dir = moduleDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json in ${moduleDir} or above it`);
  }
}
