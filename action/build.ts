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
 * - better-sqlite3 is a native module: a bundle cannot carry it. The Action
 *   reads a history only when the config asks for one on PostgreSQL (pg is
 *   plain JavaScript and bundled); a SQLite history file meets a stand-in that
 *   says so, and the check fails closed naming it. pg-native, which pg only
 *   tries when asked for, stays out.
 * - Deterministic: paths relative to the repository root, no timestamps,
 *   legal comments gathered at the end of each file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const NO_SQLITE_IN_ACTION =
  'the GitHub Action keeps no SQLite history (better-sqlite3 is a native module the bundle cannot carry); ' +
  'set DRIFTWATCH_DATABASE_URL or history.database to a PostgreSQL history, or run the driftwatch CLI';

const sqliteStandIn: Plugin = {
  name: 'no-sqlite-in-action',
  setup(builder) {
    builder.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'stand-in' }));
    builder.onLoad({ filter: /.*/, namespace: 'stand-in' }, () => ({
      contents: `export default function Database() { throw new Error(${JSON.stringify(NO_SQLITE_IN_ACTION)}); }`,
      loader: 'js',
    }));
  },
};

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
    plugins: [sqliteStandIn],
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
