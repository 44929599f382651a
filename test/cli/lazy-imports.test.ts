import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../scripts/bundle.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records the URL of every module the child loads, through a module hook. */
const HOOK = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (!url.startsWith('node:')) appendFileSync(process.env.LOADED_FILE, url + '\\\\n');
  return next(url, context);
}
\`));
`;

/** The modules one command loads, run as the CLI runs it, in a fresh process. */
function modulesLoadedBy(args: readonly string[]): string[] {
  const loaded = path.join(dir, `loaded-${args[0]}.txt`);
  writeFileSync(path.join(dir, 'hook.mjs'), HOOK);
  const main = pathToFileURL(path.join(PROJECT, 'src/cli/main.ts')).href;
  const script = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(['node', 'driftwatch', ...${JSON.stringify(args)}]);`;
  try {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', '--import', path.join(dir, 'hook.mjs'), '--input-type=module', '-e', script],
      {
        cwd: PROJECT,
        env: { ...process.env, LOADED_FILE: loaded, DRIFTWATCH_FINGERPRINT_KEY: '0123456789abcdef'.repeat(4) },
        stdio: 'pipe',
      },
    );
  } catch (error) {
    // check exits 1 on findings; anything else is a failure of the test setup.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  return readFileSync(loaded, 'utf8').split('\n');
}

describe('cli: a command loads only the modules it uses', () => {
  it('check without history or references loads no database driver, no Kysely and no code scanner', () => {
    writeFileSync(path.join(dir, 'a.env'), 'A=1\nB=2\n');
    writeFileSync(path.join(dir, 'b.env'), 'A=1\nB=3\n');
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n  b: {sources: [{path: b.env}]}\n',
    );
    const loaded = modulesLoadedBy(['check', '-c', path.join(dir, 'driftwatch.yaml'), '--format', 'json']);
    // The pipeline did run: the formats and the rules were loaded.
    expect(loaded.some((url) => url.endsWith('/src/formats/dotenv.ts'))).toBe(true);
    expect(loaded.some((url) => url.endsWith('/src/rules/engine.ts'))).toBe(true);
    const unwanted = loaded.filter((url) =>
      /\/node_modules\/(?:kysely|pg|pg-pool|better-sqlite3|deep-diff)\/|\/src\/references\/scan\.ts$|\/src\/store\/kysely-store\.ts$/.test(
        url,
      ),
    );
    expect(unwanted).toEqual([]);
  });

  it('bundles only the English messages of zod, not its forty-odd translations', async () => {
    // zod's `z` is its whole namespace, translations included: the code imports `* as z` (biome.json refuses `{ z }`).
    const metafile = await bundleCli(path.join(dir, 'bundle'));
    // What the chunks hold: every file esbuild read is an input, but a tree-shaken one puts no bytes in any output.
    const inputs = Object.values(metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : [])),
    );
    expect(inputs.filter((input) => input.includes('node_modules/zod/v4/classic/'))).not.toEqual([]);
    expect(inputs.filter((input) => input.includes('node_modules/zod/v4/locales/'))).toEqual([
      'node_modules/zod/v4/locales/en.js',
    ]);
  });
});
