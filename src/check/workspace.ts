import path from 'node:path';
import { type Config, loadConfig, parseConfig } from '../config/load.js';
import { ConfigError, DriftwatchError } from '../errors.js';
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
  return {
    config,
    fingerprintKey: loadFingerprintKey(config.dir, options.env),
    env: options.env,
    files: diskFileTree(config.dir),
  };
}

export interface TreeWorkspaceOptions {
  /** The files of the commit (or of a test), by path relative to `dir`. */
  readonly files: FileTree;
  /** driftwatch.yaml's path inside `files`. */
  readonly configFile: string;
  /**
   * The directory the config's paths resolve against, as messages show it
   * (`acme/api@1a2b3c4`): nothing is read from it on disk.
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
  return { config, fingerprintKey: options.fingerprintKey, env: options.env, files: options.files };
}
