/**
 * Bundles the GitHub Action into action/dist/, committed: the runner runs
 * action.yml's `main` straight from the checkout of this repository, with no
 * `npm install`. `npm run build:action` writes it; test/action/bundle.test.ts
 * rebuilds into a temporary folder and fails when the committed bundle differs.
 *
 * - ESM, as the sources are (they find the scan worker from
 *   `import.meta.url`). Bundled CommonJS dependencies call `require`, which
 *   an ES module lacks: the banner makes one (scripts/bundle.ts).
 * - The built-in packs are found from the repository's root, where
 *   package.json is (src/package-dir.ts); `scan-worker.js` sits beside
 *   index.js, as scan.ts expects.
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
import { NODE_BUNDLE } from '../scripts/bundle.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Writes index.js and scan-worker.js into `outdir`. */
export async function buildAction(outdir = path.join(ROOT, 'action', 'dist')): Promise<void> {
  await build({
    ...NODE_BUNDLE,
    entryPoints: { index: 'src/action/main.ts', 'scan-worker': 'src/references/scan-worker.ts' },
    outdir,
    target: 'node24',
    external: ['pg-native'],
    sourcemap: false,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAction();
