/**
 * Bundles the GitHub Action into action/dist/, committed: the runner runs
 * action.yml's `main` straight from the checkout of this repository, with no
 * `npm install`. `npm run build:action` writes it; test/action/bundle.test.ts
 * rebuilds into a temporary folder and fails when the committed bundle differs.
 *
 * - ESM, as the sources are (they find `rules/` and the scan worker from
 *   `import.meta.url`). Bundled CommonJS dependencies call `require`, which
 *   an ES module lacks: the banner makes one.
 * - `index.js` sits in action/dist/ as dist/rules/load-packs.js sits in dist/,
 *   so `../../rules/` is this repository's rules/ folder (the built-in packs)
 *   for both; `scan-worker.js` sits beside it, as scan.ts expects.
 * - SQLite needs no module of ours: on node24, src/store/sqlite-driver.ts
 *   opens a history file with Node's own node:sqlite, and better-sqlite3 (a
 *   native module a bundle cannot carry) is only required on older Nodes, at
 *   run time, so esbuild never sees it. pg is plain JavaScript and bundled;
 *   pg-native, which pg only tries when asked for, stays out.
 * - Deterministic: paths relative to the repository root, no timestamps,
 *   legal comments gathered at the end of each file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Writes index.js and scan-worker.js into `outdir`. */
export async function buildAction(outdir = path.join(ROOT, 'action', 'dist')): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { index: 'src/action/main.ts', 'scan-worker': 'src/references/scan-worker.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    // ESM builds first: jsonc-parser's CommonJS build is UMD, whose requires a bundler cannot follow.
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'node24',
    external: ['pg-native'],
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);",
    },
    legalComments: 'eof',
    charset: 'utf8',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAction();
