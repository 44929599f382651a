import { effectiveExcludes, type ReferencesConfig } from '../references/config.js';
import { extractorSelector } from '../references/extractors.js';
import { fileFilter } from '../references/list-files.js';
import { buildIndex, type ReferenceIndex } from '../references/scan.js';
import { type FileScan, MAX_FILE_BYTES, scanContent } from '../references/scan-file.js';
import type { FileTree } from '../sources/file-tree.js';
import type { TreeEntry } from './platform.js';

/** A commit's files as the scan needs them: listed, read, and (for GitHub) identified by blob, for the cache. */
export interface ScannableTree extends FileTree {
  files(): readonly string[];
  entry?(file: string): TreeEntry | undefined;
}

/**
 * Scans of files by blob SHA, path and extractor set, kept across analyses:
 * most of a repository is the same from one pull request to the next, and
 * a blob fetched is an API call spent. Bounded; the oldest go first.
 */
export class ScanCache {
  readonly #scans = new Map<string, FileScan>();

  constructor(readonly capacity = 50_000) {}

  get(key: string): FileScan | undefined {
    const scan = this.#scans.get(key);
    if (scan) {
      this.#scans.delete(key);
      this.#scans.set(key, scan);
    }
    return scan;
  }

  set(key: string, scan: FileScan): void {
    this.#scans.delete(key);
    this.#scans.set(key, scan);
    while (this.#scans.size > this.capacity) {
      const oldest = this.#scans.keys().next().value;
      if (oldest === undefined) break;
      this.#scans.delete(oldest);
    }
  }

  get size(): number {
    return this.#scans.size;
  }
}

export interface CommitScanOptions {
  readonly config: ReferencesConfig;
  /** Scan only these files (relative to the config's directory); `include` and `exclude` still apply. */
  readonly only?: readonly string[];
  /** Above this many files to scan, a whole-commit scan is not made (`complete: false`). */
  readonly maxFiles: number;
  readonly cache?: ScanCache;
  /** Blobs fetched at once. */
  readonly concurrency?: number;
}

export type CommitScan =
  | { readonly complete: true; readonly index: ReferenceIndex; readonly files: number }
  /** Too many files: nothing was scanned; `files` says how many there were. */
  | { readonly complete: false; readonly files: number };

/**
 * The reference scan of a commit's files, read through its tree (blobs from
 * GitHub, never the disk), with the same extractors, filters and index as a
 * work-tree scan.
 */
export async function scanCommit(tree: ScannableTree, options: CommitScanOptions): Promise<CommitScan> {
  const { config } = options;
  const keep = fileFilter(config.include, effectiveExcludes(config));
  const select = extractorSelector(config.extractors);
  const listed = options.only ?? tree.files();
  const files = [...new Set(listed)].filter((file) => keep(file) && select(file).length > 0);
  if (options.only === undefined && files.length > options.maxFiles) return { complete: false, files: files.length };

  const extractorsKey = JSON.stringify(config.extractors);
  const scans: FileScan[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const at = next++;
      const file = files[at] as string;
      scans[at] = await scanOne(tree, file, select(file), extractorsKey, options.cache);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, files.length) }, worker));
  return { complete: true, index: buildIndex(scans), files: files.length };
}

async function scanOne(
  tree: ScannableTree,
  file: string,
  extractors: ReturnType<ReturnType<typeof extractorSelector>>,
  extractorsKey: string,
  cache: ScanCache | undefined,
): Promise<FileScan> {
  const entry = tree.entry?.(file);
  if (entry && (entry.type !== 'blob' || entry.mode === '120000')) return { file, status: 'notFile' };
  // Oversized files are skipped as on disk, and not even fetched.
  if (entry?.size !== undefined && entry.size > MAX_FILE_BYTES) return { file, status: 'tooLarge' };
  const key = entry ? `${entry.sha}\0${file}\0${extractorsKey}` : undefined;
  const cached = key === undefined ? undefined : cache?.get(key);
  if (cached) return cached;
  let content: Buffer;
  try {
    content = await tree.readFile(file);
  } catch (error) {
    // A file the pull request lists but the tree lacks (removed) is not code of this commit.
    if (!entry) return { file, status: 'notFile' };
    throw error;
  }
  const scan = scanContent(file, content, extractors);
  if (key !== undefined) cache?.set(key, scan);
  return scan;
}
