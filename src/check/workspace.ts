import { existsSync } from 'node:fs';
import path from 'node:path';
import { compareCodeUnits } from '../compare-code-units.js';
import { type Config, loadConfig, parseConfig } from '../config/load.js';
import { ConfigError, DriftwatchError, SourceError } from '../errors.js';
import { loadFingerprintKey } from '../snapshot/fingerprint.js';
import { diskFileTree, type FileTree } from '../sources/file-tree.js';

/** Environment variables: what sources may read (`${VAR}`, `env:`) and where settings come from. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Everything a check needs to start: the validated config, the key that makes
 * fingerprints comparable, the environment variables sources may read, and the
 * files the config's paths name. A channel builds one — the CLI from a work
 * tree, the PR bot from a commit — and hands it to the pipeline.
 */
export interface Workspace {
  readonly config: Config;
  readonly fingerprintKey: Buffer;
  readonly env: Env;
  /** Where rule packs and `path` sources are read. */
  readonly files: FileTree;
  /**
   * Where rule packs are read when not from `files`: a pull request's head is
   * checked with the packs of its base commit, never with its own.
   */
  readonly rulePacks?: FileTree;
  /**
   * The config's folder as a path from the root of its repository
   * (`services/ledger`; '' when the config is at the root, or when there is no
   * repository and its folder stands for the root). Reports for platforms —
   * SARIF, annotations, the JSON contract — name files from the root, which is
   * what code scanning and pull requests attach to.
   */
  readonly repositoryPrefix: string;
}

export interface DiskWorkspaceOptions {
  /** Absolute path of driftwatch.yaml. */
  readonly configFile: string;
  /** How messages name the config file (as the user typed it). */
  readonly displayName?: string;
  readonly env: Env;
}

/** A workspace over a work tree on disk: driftwatch.yaml, and the fingerprint key beside it. */
export async function openDiskWorkspace(options: DiskWorkspaceOptions): Promise<Workspace> {
  const config = await loadConfig(options.configFile, options.displayName ?? options.configFile);
  const root = repositoryRoot(config.dir) ?? config.dir;
  return {
    config,
    fingerprintKey: loadFingerprintKey(config.dir, options.env),
    env: options.env,
    files: diskFileTree(config.dir),
    repositoryPrefix: path.relative(root, config.dir).split(path.sep).join('/'),
  };
}

/**
 * The nearest folder at or above `dir` that holds `.git` (a directory, or the
 * file a worktree or submodule has): git's top level, found without running
 * git, which a check may not have and should not wait for.
 */
export function repositoryRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

export interface TreeWorkspaceOptions {
  /** The files of the commit (or of a test), by path from the root of the repository. */
  readonly files: FileTree;
  /**
   * driftwatch.yaml's path inside `files`: `driftwatch.yaml`, or
   * `services/ledger/driftwatch.yaml` in a monorepo, where its paths resolve
   * against `services/ledger/`.
   */
  readonly configFile: string;
  /**
   * The root of the tree as messages show it (`acme/api@1a2b3c4`): nothing is
   * read from it on disk.
   */
  readonly dir: string;
  readonly fingerprintKey: Buffer;
  readonly env: Env;
}

/**
 * A workspace over files that are not a work tree — a commit's files fetched
 * from GitHub. The config, its rule packs and every `path` source come from
 * `files` and from nowhere else.
 */
export async function openTreeWorkspace(options: TreeWorkspaceOptions): Promise<Workspace> {
  let text: string;
  try {
    text = (await options.files.readFile(options.configFile)).toString('utf8');
  } catch (error) {
    if (!(error instanceof DriftwatchError)) throw error;
    const reason = error.problems[0]?.message ?? 'unreadable';
    throw new ConfigError([{ file: options.configFile, message: `cannot read the config file: ${reason}` }]);
  }
  const config = parseConfig(text, path.posix.join(options.dir, options.configFile), options.configFile);
  const prefix = path.posix.dirname(path.posix.normalize(options.configFile.replaceAll('\\', '/')));
  const repositoryPrefix = prefix === '.' ? '' : prefix;
  return {
    config,
    fingerprintKey: options.fingerprintKey,
    env: options.env,
    files: repositoryPrefix === '' ? options.files : fileTreeAt(options.files, repositoryPrefix),
    repositoryPrefix,
  };
}

/**
 * The files of `tree` as seen from its folder `dir`: what the config's paths
 * are relative to. Errors name files as the config wrote them.
 */
function fileTreeAt(tree: FileTree, dir: string): FileTree {
  const inTree = (file: string) => path.posix.join(dir, file.replaceAll('\\', '/'));
  return {
    async readFile(file) {
      const inside = inTree(file);
      if (inside === '..' || inside.startsWith('../')) {
        throw new SourceError([{ source: file, file, message: 'file not found' }]);
      }
      try {
        return await tree.readFile(inside);
      } catch (error) {
        if (!(error instanceof DriftwatchError)) throw error;
        throw new SourceError([{ source: file, file, message: error.problems[0]?.message ?? 'unreadable' }]);
      }
    },
    async glob(pattern) {
      const matches = await tree.glob(inTree(pattern));
      return matches.map((match) => path.posix.relative(dir, match)).sort(compareCodeUnits);
    },
    async isTracked(file) {
      const inside = inTree(file);
      return inside !== '..' && !inside.startsWith('../') && tree.isTracked(inside);
    },
  };
}
