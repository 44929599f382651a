import path from 'node:path';
import { type Config, DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import type { Problem } from '../errors.js';
import { type SnapshotResult, takeSnapshots } from '../snapshot/build.js';
import { loadFingerprintKey } from '../snapshot/fingerprint.js';
import type { Io } from './io.js';

export interface Workspace {
  readonly config: Config;
  readonly fingerprintKey: Buffer;
  readonly io: Io;
}

/** Loads driftwatch.yaml (default `./driftwatch.yaml`) and the fingerprint key beside it. */
export async function openWorkspace(configOption: string | undefined, io: Io): Promise<Workspace> {
  const file = path.resolve(io.cwd, configOption ?? DEFAULT_CONFIG_FILE);
  const config = await loadConfig(file, path.relative(io.cwd, file) || file);
  return { config, fingerprintKey: loadFingerprintKey(config.dir, io.env), io };
}

export interface Snapshots {
  readonly results: readonly SnapshotResult[];
  /** Every problem of every environment, each tagged with its environment. */
  readonly problems: readonly (Problem & { readonly env: string })[];
}

export async function snapshotEnvironments(workspace: Workspace, names?: readonly string[]): Promise<Snapshots> {
  const results = await takeSnapshots(
    { config: workspace.config, env: workspace.io.env, fingerprintKey: workspace.fingerprintKey },
    names,
  );
  const problems = results.flatMap((result) =>
    result.problems.map((problem) => ({ env: result.snapshot.env, ...problem })),
  );
  return { results, problems };
}
