import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compareCodeUnits } from '../compare-code-units.js';
import { SourceError } from '../errors.js';
import { effectiveExcludes, type ReferencesConfig } from './config.js';
import type { ReferenceStyle } from './extractor.js';
import { extractorSelector } from './extractors.js';
import { fileFilter, type ListFilesOptions, listFiles } from './list-files.js';
import { type FileScan, readCappedSync, type SkipReason, scanContent } from './scan-file.js';
import type { ScanWorkerData, ScanWorkerRequest, ScanWorkerResponse } from './scan-worker.js';

/** One place code reads a key. `file` is relative to the config dir, `/`-separated. */
export interface ReferenceSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly style: ReferenceStyle;
  /** The read binds every key under the name (Spring `@ConfigurationProperties`). */
  readonly prefix?: boolean;
  /** The read gives a default or only tests for presence: an absent key is not an error there. */
  readonly optional?: boolean;
}

/** A read whose key is computed at run time; it may read any key. */
export interface UnresolvableReference {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly snippet: string;
}

export type SkippedFiles = Record<SkipReason, number>;

export interface ReferenceIndex {
  /** Name as read (`DB_URL`, `db.url`) → its sites, sorted by file, line, column. Names are in sorted order. */
  readonly references: Map<string, ReferenceSite[]>;
  /** Sorted by file, line, column. */
  readonly unresolvable: UnresolvableReference[];
  /** Files not scanned, by reason; `unreadable` includes directories that could not be listed. */
  readonly skipped: SkippedFiles;
  /** Files scanned. */
  readonly files: number;
  /** Bytes scanned. */
  readonly bytes: number;
}

export interface ScanProgress {
  /** Files handled so far, scanned or skipped. */
  readonly files: number;
  /** Bytes scanned so far. */
  readonly bytes: number;
  /** Since the scan started, listing included. */
  readonly elapsedMs: number;
  /** Set on the last call, when the scan is over. */
  readonly done?: boolean;
}

export type ScanThreads = 'auto' | 'main' | 'workers';

export interface ScanOptions {
  /** Directory of driftwatch.yaml; globs and reported paths are relative to it. */
  readonly configDir: string;
  readonly config: ReferencesConfig;
  onProgress?(progress: ScanProgress): void;
  /**
   * Scan these files (relative to `configDir`) instead of listing them, e.g. the
   * files a pull request changed. `include` and `exclude` still apply.
   */
  readonly files?: readonly string[];
  /** How files are listed when `files` is not given. */
  readonly listing?: Pick<ListFilesOptions, 'strategy' | 'gitignore'>;
  /** `auto` (default): worker threads when there are more than `WORKER_THRESHOLD` files to read (today: never). */
  readonly threads?: ScanThreads;
}

/**
 * Above this many files to read, `threads: 'auto'` scans on worker threads.
 * Measured with bench/references.ts on the 2-vCPU VM this was built on, the
 * main thread was faster at every size up to 20,000 files (0.5 s against
 * 1.0 s): reading is system-call bound there and does not scale across
 * threads, and two workers cost ~120 ms of CPU each to start. So `auto`
 * stays on the main thread until a machine shows a crossover; set it then.
 */
export const WORKER_THRESHOLD = Number.POSITIVE_INFINITY;
const WORKER_COUNT = 2;
const BATCH_SIZE = 64;
const YIELD_EVERY_FILES = 256;

/**
 * Finds every place the code under `configDir` reads a configuration key.
 * Never throws for a file it cannot use: binary, minified, oversized and
 * unreadable files are counted in `skipped`. Throws `SourceError` when the
 * files cannot be listed, or when the globs select none (explicit `files`
 * may select none: a pull request that changed only documentation).
 */
export async function scanReferences(options: ScanOptions): Promise<ReferenceIndex> {
  const started = performance.now();
  const { config } = options;
  const configDir = path.resolve(options.configDir);
  const exclude = effectiveExcludes(config);
  let files: string[];
  let unreadableDirectories = 0;
  if (options.files) {
    const listed = options.files.map((file) => file.split(path.sep).join('/').replace(/^\.\//, ''));
    files = [...new Set(listed.filter(fileFilter(config.include, exclude)))].sort(compareCodeUnits);
  } else {
    const listing = await listFiles({ configDir, include: config.include, exclude, ...options.listing });
    files = listing.files;
    unreadableDirectories = listing.unreadable.length;
    // Every configured key would look stale: more likely a typo in the globs than a project without files.
    if (files.length === 0 && unreadableDirectories === 0) {
      throw new SourceError([
        {
          source: 'references',
          message: `no files match include [${config.include.join(', ')}] (after exclude)`,
        },
      ]);
    }
  }
  const select = extractorSelector(config.extractors);
  const toScan = files.filter((file) => select(file).length > 0);

  let handled = 0;
  let bytes = 0;
  const report = (scans: readonly FileScan[]) => {
    handled += scans.length;
    for (const scan of scans) if (scan.status === 'scanned') bytes += scan.bytes;
    options.onProgress?.({ files: handled, bytes, elapsedMs: performance.now() - started });
  };

  const threads = options.threads ?? 'auto';
  const useWorkers = threads === 'workers' || (threads === 'auto' && toScan.length > WORKER_THRESHOLD);
  const scans = useWorkers
    ? await scanInWorkers(configDir, config, toScan, report)
    : await scanOnMainThread(configDir, toScan, select, report);

  const index = buildIndex(scans);
  index.skipped.unreadable += unreadableDirectories;
  options.onProgress?.({ files: handled, bytes, elapsedMs: performance.now() - started, done: true });
  return index;
}

/**
 * Synchronous reads, several times faster than promise round trips per file;
 * the loop yields to the event loop now and then so a server stays responsive.
 */
async function scanOnMainThread(
  configDir: string,
  files: readonly string[],
  select: ReturnType<typeof extractorSelector>,
  report: (scans: readonly FileScan[]) => void,
): Promise<FileScan[]> {
  const scans: FileScan[] = [];
  for (const [index, file] of files.entries()) {
    if (index > 0 && index % YIELD_EVERY_FILES === 0) await new Promise((resolve) => setImmediate(resolve));
    const scan = scanContent(file, readCappedSync(`${configDir}/${file}`), select(file));
    scans.push(scan);
    report([scan]);
  }
  return scans;
}

/**
 * How to start a scan worker. Compiled (`dist/`), the worker is the `.js`
 * file beside this one. Run from TypeScript source (vitest, tsx), it is the
 * `.ts` file, loaded through tsx's ESM API from a small bootstrap: on Node 20,
 * `--import tsx` in a worker's `execArgv` does not apply to the worker's own
 * entry module.
 */
export function scanWorkerEntry(moduleUrl = import.meta.url): { url: URL } | { bootstrap: string } {
  if (!moduleUrl.endsWith('.ts')) return { url: new URL('./scan-worker.js', moduleUrl) };
  const worker = new URL('./scan-worker.ts', moduleUrl).href;
  const api = tsxEsmApi(moduleUrl);
  return {
    bootstrap: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`,
  };
}

/** The file URL of `tsx/esm/api` for `import`, read from tsx's export map (require.resolve would pick the CommonJS one). */
function tsxEsmApi(moduleUrl: string): string {
  const manifest = createRequire(moduleUrl).resolve('tsx/package.json');
  const exportsMap = JSON.parse(readFileSync(manifest, 'utf8')).exports as
    | Record<string, { import?: { default?: string } }>
    | undefined;
  const target = exportsMap?.['./esm/api']?.import?.default;
  if (!target) throw new Error('tsx does not export tsx/esm/api: cannot run scan workers from TypeScript source');
  return new URL(target, pathToFileURL(manifest)).href;
}

async function scanInWorkers(
  configDir: string,
  config: ReferencesConfig,
  files: readonly string[],
  report: (scans: readonly FileScan[]) => void,
): Promise<FileScan[]> {
  const batches: string[][] = [];
  for (let start = 0; start < files.length; start += BATCH_SIZE) batches.push(files.slice(start, start + BATCH_SIZE));
  const results: (readonly FileScan[])[] = new Array(batches.length);
  const entry = scanWorkerEntry();
  const workerData: ScanWorkerData = { configDir, extractors: config.extractors };
  const workers = Array.from({ length: Math.min(WORKER_COUNT, batches.length) }, () =>
    'url' in entry ? new Worker(entry.url, { workerData }) : new Worker(entry.bootstrap, { eval: true, workerData }),
  );
  let nextBatch = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (nextBatch >= batches.length) {
                resolve();
                return;
              }
              const batch = nextBatch++;
              worker.postMessage({ batch, files: batches[batch] as string[] } satisfies ScanWorkerRequest);
            };
            worker.on('message', (response: ScanWorkerResponse) => {
              results[response.batch] = response.scans;
              report(response.scans);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new Error(`reference scan worker exited early with code ${code}`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results.flat();
}

/** The index of scans made elsewhere (a commit's files fetched from GitHub), exactly as a scan of the work tree builds it. */
export function buildIndex(scans: readonly FileScan[]): ReferenceIndex & { skipped: SkippedFiles } {
  const skipped: SkippedFiles = { binary: 0, minified: 0, unreadable: 0, tooLarge: 0 };
  const byName = new Map<string, ReferenceSite[]>();
  const unresolvable: UnresolvableReference[] = [];
  let files = 0;
  let bytes = 0;
  const sorted = [...scans].sort((a, b) => compareCodeUnits(a.file, b.file));
  for (const scan of sorted) {
    if (scan.status === 'notFile') continue;
    if (scan.status !== 'scanned') {
      skipped[scan.status]++;
      continue;
    }
    files++;
    bytes += scan.bytes;
    const seen = new Set<string>();
    for (const reference of [...scan.references].sort(byPosition)) {
      const identity = `${reference.name}\0${reference.line}\0${reference.column}\0${reference.style}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      const { name, ...rest } = reference;
      const sites = byName.get(name);
      const site: ReferenceSite = { file: scan.file, ...rest };
      if (sites) sites.push(site);
      else byName.set(name, [site]);
    }
    for (const site of [...scan.unresolvable].sort(byPosition)) unresolvable.push({ file: scan.file, ...site });
  }
  const references = new Map([...byName.keys()].sort(compareCodeUnits).map((name) => [name, byName.get(name) ?? []]));
  return { references, unresolvable, skipped, files, bytes };
}

function byPosition(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}
