import type { Problem } from '../errors.js';
import { type SnapshotResult, takeSnapshots } from '../snapshot/build.js';
import type { Workspace } from './workspace.js';

export interface Snapshots {
  readonly results: readonly SnapshotResult[];
  /** Every problem of every environment, each tagged with its environment. */
  readonly problems: readonly (Problem & { readonly env: string })[];
}

/** Snapshots the named environments (all by default) of a workspace, concurrently. */
export async function snapshotEnvironments(workspace: Workspace, names?: readonly string[]): Promise<Snapshots> {
  const results = await takeSnapshots(
    {
      config: workspace.config,
      env: workspace.env,
      fingerprintKey: workspace.fingerprintKey,
      files: workspace.files,
    },
    names,
  );
  const problems = results.flatMap((result) =>
    result.problems.map((problem) => ({ env: result.snapshot.env, ...problem })),
  );
  return { results, problems };
}
