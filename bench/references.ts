/**
 * The reference scanner against ripgrep, on the same files in the same run:
 * this project's own node_modules, real code nobody here wrote. Both walk the
 * tree (no ignore files, hidden files included, symbolic links not followed);
 * ripgrep runs one combined pattern equivalent to the built-in extractors'
 * anchors on two threads, we run the extractors. Target: within 3x of ripgrep.
 *
 * The scanner runs compiled (as from dist/), so that worker threads start as
 * they would for users rather than through tsx.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReferencesConfig } from '../src/references/config.js';
import { extractors } from '../src/references/extractors.js';
import { listFiles } from '../src/references/list-files.js';
import type { ReferenceIndex, ScanOptions } from '../src/references/scan.js';
import { type BenchLine, medianMs } from './bench.js';

const PROJECT = path.resolve(import.meta.dirname, '..');
const TARGET_RATIO = 3;

/**
 * The built-in extractors' anchors as one ripgrep pattern. Rust regex has no
 * look-behind, so it is a little wider; `(?-u)` gives `\b` and `\w` the ASCII
 * meaning they have in JavaScript (Unicode ones make ripgrep ~5x slower).
 */
const RIPGREP_PATTERN = `(?-u)${[
  String.raw`\b(?:process\.env|import\.meta\.env)\b`,
  String.raw`\bconfig\.(?:get|has)\b`,
  String.raw`\b(?:os\.)?(?:environ|getenv)\b`,
  String.raw`\bos\.(?:Getenv|LookupEnv)\b`,
  String.raw`\bSystem\.getenv\b`,
  String.raw`@(?:Value|ConfigurationProperties)\b`,
  String.raw`\bENV\b`,
  String.raw`\$\{[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*`,
  String.raw`\.Values(?:\.\w+)+`,
].join('|')}`;

export async function bench(): Promise<BenchLine[]> {
  const build = compileScanner();
  try {
    return await measure((await import(build.scanModule)) as typeof import('../src/references/scan.js'));
  } finally {
    rmSync(build.directory, { recursive: true, force: true });
  }
}

async function measure({ scanReferences }: typeof import('../src/references/scan.js')): Promise<BenchLine[]> {
  const config = ReferencesConfig.parse({ include: ['node_modules/**'], defaultExcludes: false });
  const listing = { strategy: 'walk', gitignore: false } as const;
  const base: ScanOptions = { configDir: PROJECT, config, listing };
  const globs = ripgrepGlobs();

  // The same file set: what our walk selects for extraction, and what ripgrep's globs select.
  const ours = (await listFiles({ configDir: PROJECT, include: config.include, exclude: [], ...listing })).files.filter(
    (file) => globs.matches(file),
  );
  const theirs = (await ripgrep(['--files', ...globs.args, 'node_modules'])).lines;

  let index: ReferenceIndex | undefined;
  const oursMs = await medianMs(async () => {
    index = await scanReferences(base);
  });
  const mainThreadMs = await medianMs(() => scanReferences({ ...base, threads: 'main' }));
  const workersMs = await medianMs(() => scanReferences({ ...base, threads: 'workers' }));
  const ripgrepMs = await medianMs(() =>
    ripgrep(['-n', '-o', '-e', RIPGREP_PATTERN, '--no-ignore', '--hidden', '-j', '2', ...globs.args, 'node_modules']),
  );

  // Where worker threads start to pay: a few hundred files.
  const small = { ...base, files: ours.slice(0, 250) };
  const smallMainMs = await medianMs(() => scanReferences({ ...small, threads: 'main' }));
  const smallWorkersMs = await medianMs(() => scanReferences({ ...small, threads: 'workers' }));

  const scanned = index as ReferenceIndex;
  const megabytes = scanned.bytes / 1e6;
  const skipped = Object.values(scanned.skipped).reduce((sum, count) => sum + count, 0);
  const ratio = oursMs / ripgrepMs;
  return [
    { name: 'references: files (ours / ripgrep)', value: ours.length, unit: 'files', note: `ripgrep lists ${theirs}` },
    {
      name: 'references: files scanned (rest skipped: minified, >2 MiB)',
      value: scanned.files,
      unit: 'files',
      note: `${skipped} skipped`,
    },
    { name: 'references: MB scanned', value: megabytes, unit: 'MB' },
    { name: "references: scanReferences (threads: 'auto')", value: oursMs, unit: 'ms' },
    { name: 'references: scanReferences, main thread only', value: mainThreadMs, unit: 'ms' },
    { name: 'references: scanReferences, 2 worker threads', value: workersMs, unit: 'ms' },
    { name: 'references: ripgrep -j 2, same files and anchors', value: ripgrepMs, unit: 'ms' },
    {
      name: 'references: ratio to ripgrep',
      value: ratio,
      unit: 'x',
      note: `ratio to rg over the same files; target <= ${TARGET_RATIO}`,
      ok: ratio <= TARGET_RATIO,
    },
    { name: 'references: throughput', value: megabytes / (oursMs / 1000), unit: 'MB/s' },
    { name: 'references: 250 files, main thread', value: smallMainMs, unit: 'ms' },
    { name: 'references: 250 files, 2 worker threads', value: smallWorkersMs, unit: 'ms' },
  ];
}

/** ripgrep globs for every built-in extractor's file endings, and the same test as a function. */
function ripgrepGlobs(): { args: string[]; matches: (file: string) => boolean } {
  const endings = Object.values(extractors).flatMap((extractor) => extractor.extensions);
  return {
    args: endings.flatMap((ending) => ['--iglob', `*${ending}`]),
    matches: (file) => {
      const name = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
      return endings.some((ending) => name.endsWith(ending));
    },
  };
}

/** Runs ripgrep in the project with no user config; resolves with the number of output lines. */
function ripgrep(args: readonly string[]): Promise<{ lines: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('rg', ['--no-config', '--no-ignore', '--hidden', ...args], {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let lines = 0;
    // Counting the output (rather than sending it to /dev/null, which ripgrep detects and short-cuts) keeps it honest.
    child.stdout.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || code === 1 ? resolve({ lines }) : reject(new Error(`rg exited ${code}`)),
    );
  });
}

/** Compiles src/references (and what it imports) to a temporary directory that resolves this project's packages. */
function compileScanner(): { directory: string; scanModule: string } {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-'));
  const tsc = path.join(PROJECT, 'node_modules/typescript/bin/tsc');
  const sources = ['src/references/scan.ts', 'src/references/scan-worker.ts'];
  const options = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'];
  execFileSync(
    process.execPath,
    [tsc, '--ignoreConfig', ...sources, '--outDir', directory, '--rootDir', 'src', ...options, '--skipLibCheck'],
    { cwd: PROJECT, stdio: 'pipe' },
  );
  writeFileSync(path.join(directory, 'package.json'), '{"type":"module"}');
  symlinkSync(path.join(PROJECT, 'node_modules'), path.join(directory, 'node_modules'));
  return { directory, scanModule: pathToFileURL(path.join(directory, 'references/scan.js')).href };
}
