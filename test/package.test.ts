import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** What `npm pack` would put in the tarball, without running any script. */
async function packedFiles(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return (packed?.files ?? []).map((file) => file.path);
}

/**
 * driftwatch is not on the npm registry: people install it from a checkout or
 * a packed tarball (`npm pack`, then `npm install ./driftwatch-0.1.0.tgz`). The
 * tarball must hold everything the installed command reads, and nothing else.
 */
describe('package.json: a tarball that installs and runs', () => {
  it('builds dist before packing, and names what a registry shows', () => {
    expect(manifest.scripts.prepare).toBe('npm run build');
    expect(manifest.scripts.build).toMatch(/clean.*tsc -p tsconfig\.json/);
    expect(manifest.engines.node).toMatch(/^>=20/);
    expect(manifest.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(manifest.keywords.length).toBeGreaterThan(3);
    expect(manifest.license).toBe('MIT');
    expect(manifest.private).toBeUndefined();
  });

  it('points bin at a file that imports the built CLI, and exports only files it ships', () => {
    const bin = readFileSync(path.join(ROOT, manifest.bin.driftwatch), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The bin imports the bundle npm run build makes of src/cli/main.ts (scripts/bundle.ts).
    expect(bin).toContain("import('../dist/bundle/driftwatch.js')");
    expect(existsSync(path.join(ROOT, 'src/cli/main.ts'))).toBe(true);
    for (const target of Object.values(manifest.exports) as string[]) {
      expect(existsSync(path.join(ROOT, target)), target).toBe(true);
    }
  });

  it('packs the command, the built-in rules and the report schema, and no sources, tests or source maps', async () => {
    const files = await packedFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/driftwatch.js',
        'rules/recommended.yaml',
        'schema/report.schema.json',
        // The dashboard's templates, stylesheet and script: read from dashboard/ at the package's root (src/package-dir.ts).
        'dashboard/views/layout.eta',
        'dashboard/assets/dashboard.js',
      ]),
    );
    if (existsSync(path.join(ROOT, 'dist/bundle/driftwatch.js'))) {
      expect(files).toContain('dist/bundle/driftwatch.js');
      // The reference scanner's worker, beside the chunks (src/references/scan.ts).
      expect(files).toContain('dist/bundle/scan-worker.js');
      // The command runs the bundle only: tsc's module-by-module output is not shipped.
      expect(files.filter((file) => file.startsWith('dist/') && !file.startsWith('dist/bundle/'))).toEqual([]);
    }
    expect(files.filter((file) => /^(src|test|bench|examples)\//.test(file) || file.endsWith('.map'))).toEqual([]);
  });
});
