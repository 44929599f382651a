import { execFile } from 'node:child_process';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { compareCodeUnits } from '../compare-code-units.js';
import { SourceError } from '../errors.js';
import { describeReadError } from '../sources/file-tree.js';

export type ListingStrategy = 'auto' | 'git' | 'walk';

export interface FileListing {
  readonly files: string[];
  /** Directories (or .gitignore files) below the root that could not be read: their files are not listed. */
  readonly unreadable: string[];
}

export interface ListFilesOptions {
  /** Paths are listed relative to this directory, `/`-separated. */
  readonly configDir: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /**
   * `auto` (default): the git-tracked files when `configDir` is inside a git
   * work tree, otherwise a walk. `git` fails when it is not.
   */
  readonly strategy?: ListingStrategy;
  /** For the walk: honour `.gitignore` files found under `configDir` (default true). */
  readonly gitignore?: boolean;
}

const YIELD_EVERY_DIRECTORIES = 64;
/** 256 MiB of `git ls-files` output: far beyond any real repository, but not unbounded. */
const GIT_MAX_BUFFER = 256 * 1024 * 1024;

/**
 * The files a reference scan reads, relative to `configDir`, sorted by code
 * unit so that the order is the same on every machine. Inside a git work tree
 * these are the tracked files (untracked files, even unignored ones, are left
 * out: the scan sees what a clone of the repository sees); elsewhere a walk
 * that honours `.gitignore` files, skips `.git` and does not follow symbolic
 * links.
 */
export async function listFiles(options: ListFilesOptions): Promise<FileListing> {
  const excluded = globMatcher(options.exclude);
  const keep = fileFilter(options.include, options.exclude);
  const strategy = options.strategy ?? 'auto';
  const inGit = strategy === 'walk' ? false : await isInsideWorkTree(options.configDir);
  if (strategy === 'git' && !inGit) {
    throw new SourceError([{ source: options.configDir, message: 'not inside a git work tree' }]);
  }
  const listing = inGit
    ? { files: (await gitTrackedFiles(options.configDir)).filter(keep), unreadable: [] }
    : await walk(options.configDir, options.include, excluded, options.gitignore ?? true, keep);
  return { files: listing.files.sort(compareCodeUnits), unreadable: listing.unreadable.sort(compareCodeUnits) };
}

/** Whether a path (relative, `/`-separated) is included and not excluded. Globs match dotfiles too. */
export function fileFilter(include: readonly string[], exclude: readonly string[]): (file: string) => boolean {
  const included = globMatcher(include);
  const excluded = globMatcher(exclude);
  return (file) => included(file) && !excluded(file);
}

function globMatcher(globs: readonly string[]): (file: string) => boolean {
  return globs.length > 0 ? picomatch([...globs], { dot: true }) : () => false;
}

function git(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: GIT_MAX_BUFFER, encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** False when git is not installed, too: then the walk lists the files. */
async function isInsideWorkTree(directory: string): Promise<boolean> {
  try {
    return (await git(['rev-parse', '--is-inside-work-tree'], directory)).trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * Tracked files under `directory`, relative to it, minus those deleted from
 * the work tree, plus new files git does not ignore: code written but not yet
 * committed reads config too.
 */
async function gitTrackedFiles(directory: string): Promise<string[]> {
  try {
    const [tracked, deleted] = await Promise.all([
      git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], directory),
      git(['ls-files', '-z', '--deleted'], directory),
    ]);
    const gone = new Set(splitNul(deleted));
    return [...new Set(splitNul(tracked))].filter((file) => !gone.has(file));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SourceError([{ source: directory, message: `git ls-files failed: ${message}` }]);
  }
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

interface IgnoreScope {
  /** The directory holding the .gitignore, relative to the walk's root ('' for the root). */
  readonly base: string;
  readonly rules: Ignore;
}

async function walk(
  root: string,
  include: readonly string[],
  excluded: (file: string) => boolean,
  honourGitignore: boolean,
  keep: (file: string) => boolean,
): Promise<FileListing> {
  const bases = include.map((glob) => picomatch.scan(glob).base);
  // A directory is worth entering when an include glob can match below it.
  const mayHoldIncluded = (directory: string) =>
    bases.some(
      (base) =>
        base === '' || base === directory || base.startsWith(`${directory}/`) || directory.startsWith(`${base}/`),
    );
  const files: string[] = [];
  const unreadable: string[] = [];

  let listed = 0;
  async function visit(directory: string, scopes: readonly IgnoreScope[]): Promise<void> {
    // Synchronous listing is several times faster than readdir's promises; yielding now and
    // then keeps a server's event loop responsive during a large walk.
    if (++listed % YIELD_EVERY_DIRECTORIES === 0) await new Promise((resolve) => setImmediate(resolve));
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, directory), { withFileTypes: true });
    } catch (error) {
      // The root must be readable; a subdirectory that is not is counted and skipped.
      if (directory !== '') {
        unreadable.push(directory);
        return;
      }
      throw new SourceError([{ source: root, message: `cannot list the directory: ${describeReadError(error)}` }]);
    }
    let here = scopes;
    if (honourGitignore && entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      const gitignoreFile = directory === '' ? '.gitignore' : `${directory}/.gitignore`;
      try {
        const text = readFileSync(path.join(root, gitignoreFile), 'utf8');
        here = [...scopes, { base: directory, rules: ignore().add(text) }];
      } catch {
        // Without its rules the directory could list files that should be ignored: skip it whole.
        unreadable.push(gitignoreFile);
        return;
      }
    }
    const subdirectories: string[] = [];
    for (const entry of entries) {
      if (entry.isSymbolicLink()) continue;
      const relative = directory === '' ? entry.name : `${directory}/${entry.name}`;
      const isDirectory = entry.isDirectory();
      if (isDirectory && entry.name === '.git') continue;
      if (!isDirectory && !entry.isFile()) continue;
      if (isIgnored(here, relative, isDirectory)) continue;
      if (isDirectory) {
        if (!excluded(relative) && mayHoldIncluded(relative)) subdirectories.push(relative);
      } else if (keep(relative)) {
        files.push(relative);
      }
    }
    for (const subdirectory of subdirectories) await visit(subdirectory, here);
  }

  await visit('', []);
  return { files, unreadable };
}

/** The deepest .gitignore with a verdict on the path decides, as in git (a `!pattern` re-includes). */
function isIgnored(scopes: readonly IgnoreScope[], relative: string, isDirectory: boolean): boolean {
  for (let index = scopes.length - 1; index >= 0; index--) {
    const scope = scopes[index] as IgnoreScope;
    const inScope = scope.base === '' ? relative : relative.slice(scope.base.length + 1);
    const verdict = scope.rules.test(isDirectory ? `${inScope}/` : inScope);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
