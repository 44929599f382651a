import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { compareCodeUnits } from '../compare-code-units.js';
import { SourceError } from '../errors.js';
import { formatByteSize } from './command.js';

/**
 * The files a check reads — driftwatch.yaml's rule packs and `path` sources —
 * wherever they live: a work tree on disk, or a commit fetched from GitHub.
 * Paths are relative to the directory of driftwatch.yaml and `/`-separated,
 * so that the check pipeline never needs to know which it is.
 */
export interface FileTree {
  /**
   * The bytes of one file. Throws `SourceError` naming the file when it is
   * missing or unreadable, or larger than `maxBytes` (checked before reading).
   */
  readFile(file: string, options?: ReadFileOptions): Promise<Buffer>;
  /** The files a glob matches, sorted by code unit; empty when it matches none (the caller decides if that is an error). */
  glob(pattern: string): Promise<string[]>;
  /**
   * Whether the file is under version control: a secret in it is in plain
   * text for everyone with the repository. A git-ignored `.env.local` is not.
   */
  isTracked(file: string): Promise<boolean>;
}

export interface ReadFileOptions {
  /** A larger file is refused without being read. */
  readonly maxBytes?: number;
}

/** A directory on disk: the work tree the CLI runs in. */
export function diskFileTree(dir: string): FileTree {
  let tracked: Promise<Set<string>> | undefined;
  return {
    async readFile(file, options = {}) {
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        handle = await open(path.resolve(dir, file), 'r');
        // The size of the file opened, not of a path that could change in between.
        const { size } = await handle.stat();
        if (options.maxBytes !== undefined && size > options.maxBytes) throw tooLarge(file, size, options.maxBytes);
        return await handle.readFile();
      } catch (error) {
        if (error instanceof SourceError) throw error;
        throw new SourceError([{ source: file, file, message: describeReadError(error) }]);
      } finally {
        await handle?.close();
      }
    },
    async glob(pattern) {
      const matches = await glob(pattern, { cwd: dir, onlyFiles: true, dot: true, expandDirectories: false });
      return matches.map((match) => match.split(path.sep).join('/')).sort(compareCodeUnits);
    },
    async isTracked(file) {
      tracked ??= gitTrackedFiles(dir);
      return (await tracked).has(normalizeTreePath(file));
    },
  };
}

/** Variables that would make git read another repository than the one `dir` is in. */
const REPOSITORY_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_PREFIX'];
const GIT_MAX_BUFFER = 256 * 1024 * 1024;

/**
 * Every file git tracks in the repository `dir` is in, relative to `dir`
 * (`../shared/base.env` included), asked once. Empty when `dir` is not in a
 * git work tree or git is missing: then nothing is under version control.
 */
function gitTrackedFiles(dir: string): Promise<Set<string>> {
  const env = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return new Promise((resolve) => {
    // `:/` is the top of the repository; paths come back relative to `dir`, exactly as stored (-z).
    execFile(
      'git',
      ['ls-files', '-z', '--cached', '--', ':/'],
      { cwd: dir, env, maxBuffer: GIT_MAX_BUFFER, encoding: 'utf8' },
      (error, stdout) => {
        if (error) {
          resolve(new Set());
          return;
        }
        resolve(
          new Set(
            stdout
              .split('\0')
              .filter((entry) => entry !== '')
              .map(normalizeTreePath),
          ),
        );
      },
    );
  });
}

/** Why a file could not be read, in words: `file not found`, `permission denied`. */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Files held in memory, by path relative to the config's directory: a commit's
 * files fetched from GitHub, or a test's inline fixture. Nothing outside the
 * map can be read, whatever the path says.
 */
export function memoryFileTree(files: ReadonlyMap<string, string | Buffer>): FileTree {
  const paths = [...files.keys()].sort(compareCodeUnits);
  return {
    async readFile(file, options = {}) {
      const content = files.get(normalizeTreePath(file));
      if (content === undefined) throw new SourceError([{ source: file, file, message: 'file not found' }]);
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
        throw tooLarge(file, bytes.length, options.maxBytes);
      }
      return bytes;
    },
    async glob(pattern) {
      const matches = picomatch(normalizeTreePath(pattern), { dot: true });
      return paths.filter((file) => matches(file));
    },
    // A commit's files: every one of them is in the repository.
    async isTracked(file) {
      return files.has(normalizeTreePath(file));
    },
  };
}

function tooLarge(file: string, size: number, maxBytes: number): SourceError {
  const shown = size < 1e6 ? `${size} bytes` : `${(size / 1e6).toFixed(1)} MB`;
  const message = `the file is ${shown}, larger than ${formatByteSize(maxBytes)} (maxBytes); raise maxBytes on the source if it really is configuration`;
  return new SourceError([{ source: file, file, message }]);
}

/** `./config/app.yaml` and `config//app.yaml` are `config/app.yaml`. */
function normalizeTreePath(file: string): string {
  return path.posix.normalize(file.replaceAll('\\', '/')).replace(/^\.\//, '');
}
