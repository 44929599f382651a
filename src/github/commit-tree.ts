import path from 'node:path';
import picomatch from 'picomatch';
import { compareCodeUnits } from '../compare-code-units.js';
import { SourceError } from '../errors.js';
import type { FileTree } from '../sources/file-tree.js';
import type { PlatformReader, TreeEntry } from './platform.js';

/** Config files and rule packs larger than this are refused: no real config is 10 MiB, and memory is shared. */
export const MAX_BLOB_BYTES = 10 * 1024 * 1024;

/** A commit's files, listed once, each blob fetched on first read. Paths are relative to `root`. */
export interface CommitTree extends FileTree {
  readonly commitSha: string;
  /** The directory of driftwatch.yaml inside the repository (`''` at the root). */
  readonly root: string;
  /** Every regular file below `root`, relative to it, sorted by code unit. */
  files(): readonly string[];
  /** The tree entry of a file relative to `root`, if the commit has one. */
  entry(file: string): TreeEntry | undefined;
  /** The repository-relative path of a file relative to `root`, or undefined when it would leave the repository. */
  repositoryPath(file: string): string | undefined;
}

/** Blob contents by blob SHA, shared by the base and head of one analysis: unchanged files are fetched once. */
export type BlobCache = Map<string, Promise<Buffer>>;

export interface CommitTreeOptions {
  /** The directory of driftwatch.yaml inside the repository; `''` for the root. */
  readonly root?: string;
  readonly blobs?: BlobCache;
}

/**
 * Lists a commit's tree and serves its files to the check pipeline. Nothing
 * outside the repository can be read, whatever a path says (`../../etc`);
 * symbolic links are not followed and submodules are not files. A listing
 * GitHub cut short fails closed: files missing from it would look deleted.
 */
export async function openCommitTree(
  reader: Pick<PlatformReader, 'tree' | 'blob'>,
  commitSha: string,
  options: CommitTreeOptions = {},
): Promise<CommitTree> {
  const root = normalizeRoot(options.root ?? '');
  const listing = await reader.tree(commitSha);
  if (listing.truncated) {
    throw new SourceError([
      {
        source: commitSha,
        message: `GitHub cut the listing of commit ${commitSha.slice(0, 7)} short (the tree is too large for one request): its files cannot all be read`,
      },
    ]);
  }
  const byPath = new Map(listing.entries.map((entry) => [entry.path, entry]));
  const blobs: BlobCache = options.blobs ?? new Map();
  const prefix = root === '' ? '' : `${root}/`;
  const files = listing.entries
    .filter((entry) => isRegularFile(entry) && entry.path.startsWith(prefix))
    .map((entry) => entry.path.slice(prefix.length))
    .sort(compareCodeUnits);

  const repositoryPath = (file: string): string | undefined => {
    const joined = path.posix.normalize(path.posix.join(root, file.replaceAll('\\', '/')));
    if (path.posix.isAbsolute(file) || joined === '..' || joined.startsWith('../')) return undefined;
    return joined.replace(/^\.\//, '').replace(/\/$/, '');
  };

  return {
    commitSha,
    root,
    files: () => files,
    entry: (file) => {
      const at = repositoryPath(file);
      return at === undefined ? undefined : byPath.get(at);
    },
    repositoryPath,
    async readFile(file) {
      const at = repositoryPath(file);
      const fail = (message: string) => new SourceError([{ source: file, file, message }]);
      if (at === undefined) throw fail('outside the repository: not read');
      const entry = byPath.get(at);
      if (!entry) throw fail('file not found');
      if (entry.type === 'tree') throw fail('is a directory, not a file');
      if (entry.type === 'commit') throw fail('is a submodule, not a file');
      if (entry.mode === '120000') throw fail('is a symbolic link; links are not followed in a pull request');
      if (entry.size !== undefined && entry.size > MAX_BLOB_BYTES) {
        throw fail(`is ${entry.size} bytes, over the ${MAX_BLOB_BYTES}-byte limit for a config file`);
      }
      let content = blobs.get(entry.sha);
      if (!content) {
        content = reader.blob(entry.sha);
        blobs.set(entry.sha, content);
        // A failed fetch must not stay cached: a retried read tries again.
        content.catch(() => blobs.delete(entry.sha));
      }
      return content;
    },
    async glob(pattern) {
      // Resolve the pattern as the disk tree would (relative to root, `..` allowed while inside the repository).
      const resolved = repositoryPath(pattern);
      if (resolved === undefined) return [];
      const matches = picomatch(resolved, { dot: true });
      const found: string[] = [];
      for (const entry of listing.entries) {
        if (isRegularFile(entry) && matches(entry.path)) found.push(path.posix.relative(root, entry.path));
      }
      return found.sort(compareCodeUnits);
    },
    // A commit's files: every one of them is under version control.
    async isTracked(file) {
      const at = repositoryPath(file);
      return at !== undefined && byPath.get(at)?.type === 'blob';
    },
  };
}

/** A file whose bytes are its content: not a directory, a submodule or a symbolic link. */
function isRegularFile(entry: TreeEntry): boolean {
  return entry.type === 'blob' && entry.mode !== '120000';
}

function normalizeRoot(root: string): string {
  const normalized = path.posix
    .normalize(root.replaceAll('\\', '/'))
    .replace(/^\.\/?/, '')
    .replace(/\/$/, '');
  if (normalized === '.' || normalized === '') return '';
  if (normalized.startsWith('../') || normalized === '..' || path.posix.isAbsolute(normalized)) {
    throw new SourceError([{ source: root, message: 'the config directory must be inside the repository' }]);
  }
  return normalized;
}
