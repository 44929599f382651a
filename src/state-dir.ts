import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** driftwatch's own folder beside driftwatch.yaml: the fingerprint key and the SQLite history. */
export const STATE_DIR = '.driftwatch';

/**
 * Creates `.driftwatch/` beside the config if it is not there, readable by its
 * owner only, with a `.gitignore` of `*` inside: the fingerprint key must never
 * be committed (a printed fingerprint could then be brute-forced), and
 * neither should the history database.
 */
export function ensureStateDir(configDir: string): string {
  const dir = path.join(configDir, STATE_DIR);
  if (existsSync(dir)) return dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path.join(dir, '.gitignore'), '# Written by driftwatch: nothing in here belongs in git.\n*\n', {
      flag: 'wx',
    });
  } catch (error) {
    // Another process created the folder and its .gitignore first.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return dir;
}
