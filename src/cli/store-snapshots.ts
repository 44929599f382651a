import type { Snapshot } from '../snapshot/snapshot.js';
import { checkShrink } from '../store/shrink-guard.js';
import { EXIT } from './exit-codes.js';
import { openHistory } from './open-history.js';
import { printProblems } from './problems.js';
import type { Workspace } from './workspace.js';

export interface StoreSnapshotsOptions {
  /** Store an environment that lost more than half its keys (or has none) all the same. */
  readonly acceptShrink?: boolean;
  /** The moment retention is judged against. */
  readonly now?: Date;
}

/**
 * `snapshot --store`: records complete snapshots in the history, one line per
 * environment, then prunes what retention lets go. An environment whose
 * snapshot shrank suspiciously is not stored and makes the command fail
 * (exit 2), unless the shrink is accepted.
 */
export async function storeSnapshots(
  workspace: Workspace,
  snapshots: readonly Snapshot[],
  options: StoreSnapshotsOptions = {},
): Promise<number> {
  const { config, io } = workspace;
  const store = await openHistory(config.dir, io.env, 'create');
  let refused = 0;
  try {
    for (const snapshot of snapshots) {
      const keys = plural(snapshot.entries.size, 'key');
      const previous = await store.latestSnapshot(snapshot.env);
      const guard = checkShrink(previous?.keyCount, snapshot.entries.size, snapshot.env);
      if (!guard.ok && options.acceptShrink !== true) {
        printProblems(io.stderr, [{ env: snapshot.env, message: `not stored: ${guard.reason}` }]);
        refused++;
        continue;
      }
      const saved = await store.saveSnapshot(snapshot);
      io.stdout.write(
        saved.stored
          ? `stored ${snapshot.env}: ${keys} (snapshot ${saved.snapshotId})\n`
          : `unchanged ${snapshot.env}: ${keys} (same as snapshot ${saved.snapshotId})\n`,
      );
    }
    const { keepDays } = config.history;
    const pruned = await store.prune({ keepDays, now: options.now ?? new Date() });
    if (pruned.snapshotsDeleted > 0) {
      io.stdout.write(`pruned ${plural(pruned.snapshotsDeleted, 'snapshot')} older than ${plural(keepDays, 'day')}\n`);
    }
  } finally {
    await store.close();
  }
  if (refused === 0) return EXIT.OK;
  io.stderr.write(`driftwatch: ${plural(refused, 'environment')} not stored; failing closed\n`);
  return EXIT.FAILED;
}

function plural(count: number, noun: string): string {
  return count === 1 ? `1 ${noun}` : `${count} ${noun}s`;
}
