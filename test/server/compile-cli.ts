import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleCli } from '../../scripts/bundle.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');

/**
 * The CLI as it ships: the bundle `npm run build` makes (scripts/bundle.ts)
 * beside a copy of bin/driftwatch.js, the built-in rule packs and the
 * dashboard's views, in a temp directory (the work tree's dist/ is left
 * alone). Returns the directory; `bin/driftwatch.js` inside it is the command.
 */
export async function compileCli(): Promise<string> {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftwatch-cli-'));
  await bundleCli(path.join(directory, 'dist', 'bundle'));
  mkdirSync(path.join(directory, 'bin'));
  copyFileSync(path.join(PROJECT, 'bin/driftwatch.js'), path.join(directory, 'bin/driftwatch.js'));
  writeFileSync(path.join(directory, 'package.json'), '{"type":"module"}');
  symlinkSync(path.join(PROJECT, 'node_modules'), path.join(directory, 'node_modules'));
  // The built-in rule packs and the dashboard ship beside dist/, as in the package.
  symlinkSync(path.join(PROJECT, 'rules'), path.join(directory, 'rules'));
  symlinkSync(path.join(PROJECT, 'dashboard'), path.join(directory, 'dashboard'));
  return directory;
}
