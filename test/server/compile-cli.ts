import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PROJECT = path.resolve(import.meta.dirname, '../..');

/**
 * The CLI as it ships: src compiled by tsc beside a copy of bin/driftwatch.js,
 * the built-in rule packs and the dashboard's views, in a temp directory (the
 * work tree's dist/ is left alone). Returns the directory; `bin/driftwatch.js`
 * inside it is the command.
 */
export function compileCli(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftwatch-cli-'));
  execFileSync(
    process.execPath,
    [
      path.join(PROJECT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.json',
      '--outDir',
      path.join(directory, 'dist'),
    ],
    { cwd: PROJECT, stdio: 'pipe' },
  );
  mkdirSync(path.join(directory, 'bin'));
  copyFileSync(path.join(PROJECT, 'bin/driftwatch.js'), path.join(directory, 'bin/driftwatch.js'));
  writeFileSync(path.join(directory, 'package.json'), '{"type":"module"}');
  symlinkSync(path.join(PROJECT, 'node_modules'), path.join(directory, 'node_modules'));
  // The built-in rule packs and the dashboard ship beside dist/, as in the package.
  symlinkSync(path.join(PROJECT, 'rules'), path.join(directory, 'rules'));
  symlinkSync(path.join(PROJECT, 'dashboard'), path.join(directory, 'dashboard'));
  return directory;
}
