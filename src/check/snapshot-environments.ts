import type { Problem } from '../errors.js';
import { type SnapshotOptions, type SnapshotResult, selectEnvironments, takeSnapshots } from '../snapshot/build.js';
import { type LiveSources, type LiveSourceUse, snapshotWithStoredSources } from './live-sources.js';
import type { Workspace } from './workspace.js';

export interface Snapshots {
  readonly results: readonly SnapshotResult[];
  /** Every problem of every environment, each tagged with its environment. */
  readonly problems: readonly (Problem & { readonly env: string })[];
  /** With stored live sources: where each source that was not read took its keys from. */
  readonly live: readonly LiveSourceUse[];
}

/** Snapshots the named environments (all by default) of a workspace, concurrently. */
export async function snapshotEnvironments(
  workspace: Workspace,
  names?: readonly string[],
  liveSources: LiveSources = { mode: 'read' },
): Promise<Snapshots> {
  const options: SnapshotOptions = {
    config: workspace.config,
    env: workspace.env,
    fingerprintKey: workspace.fingerprintKey,
    files: workspace.files,
  };
  let results: readonly SnapshotResult[];
  let live: LiveSourceUse[] = [];
  if (liveSources.mode === 'read') {
    results = await takeSnapshots(options, names);
  } else {
    const taken = await Promise.all(
      selectEnvironments(workspace.config, names).map((environment) =>
        snapshotWithStoredSources(environment, options, liveSources.snapshots.get(environment.name)),
      ),
    );
    results = taken;
    live = taken.flatMap((result) => result.live);
  }
  const problems = results.flatMap((result) =>
    result.problems.map((problem) => ({ env: result.snapshot.env, ...problem })),
  );
  return { results, problems, live };
}
