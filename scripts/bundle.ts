/**
 * Bundles the command into dist/bundle/, which bin/driftwatch.js runs: one
 * file to load for the command and its parsers instead of some 240 modules,
 * which made start-up several times slower than the work of a small check.
 * `npm run build` writes it after tsc.
 *
 * - Splitting keeps what a command does not use out of its start-up: the
 *   service, the history drivers and the reference scanner stay in chunks of
 *   their own, loaded by the dynamic imports that load them today.
 * - The packages a check needs are bundled; the service's (fastify, pino,
 *   octokit, pg, pg-boss...) stay in node_modules, loaded as they are when
 *   the service starts: bundling them gains nothing at start-up and pino finds
 *   its worker files by path.
 * - `scan-worker.js` sits beside the chunks, as src/references/scan.ts expects
 *   of a compiled build; the rule packs and the dashboard are found from the
 *   package's root (src/package-dir.ts), whatever a chunk's depth.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What every bundle of ours shares: ESM for Node, dependencies' ESM builds, a `require` for the CommonJS ones. */
export const NODE_BUNDLE: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  // ESM builds first: jsonc-parser's CommonJS build is UMD, whose requires a bundler cannot follow.
  mainFields: ['module', 'main'],
  format: 'esm',
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);",
  },
  legalComments: 'eof',
  charset: 'utf8',
  minify: false,
  logLevel: 'warning',
};

/** The dependencies a check loads: bundled. Every other dependency stays external. */
const BUNDLED = new Set([
  'commander',
  'dot-properties',
  'dotenv',
  'ignore',
  'jsonc-parser',
  'picomatch',
  'smol-toml',
  'tinyglobby',
  'yaml',
  'zod',
]);

/** Writes the command's entry (driftwatch.js), its chunks and scan-worker.js into `outdir`; returns what went in. */
export async function bundleCli(outdir = path.join(ROOT, 'dist', 'bundle')): Promise<Metafile> {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const external = Object.keys(manifest.dependencies).filter((name) => !BUNDLED.has(name));
  const result = await build({
    ...NODE_BUNDLE,
    entryPoints: { driftwatch: 'src/cli/main.ts', 'scan-worker': 'src/references/scan-worker.ts' },
    outdir,
    splitting: true,
    target: 'node20',
    // A package's own files (`@octokit/rest/...`) are external with it; pg-native is pg's optional add-on.
    external: [...external, ...external.map((name) => `${name}/*`), 'pg-native'],
    sourcemap: true,
    metafile: true,
  });
  return result.metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
