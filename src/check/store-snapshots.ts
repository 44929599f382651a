import type { Snapshot } from '../snapshot/snapshot.js';
import { checkShrink } from '../store/shrink-guard.js';
import { openHistory } from './open-history.js';
import type { Workspace } from './workspace.js';

export interface StoreSnapshotsOptions {
  /** Store an environment that lost more than half its keys (or has none) all the same. */
  readonly acceptShrink?: boolean;
  /** The moment retention is judged against. */
  readonly now?: Date;
}

/** What became of one environment's snapshot. */
export type StoredOutcome =
  | {
      readonly env: string;
      readonly keys: number;
      readonly status: 'stored' | 'unchanged';
      readonly snapshotId: number;
    }
  | { readonly env: string; readonly keys: number; readonly status: 'refused'; readonly reason: string };

export interface StoreSnapshotsResult {
  readonly outcomes: readonly StoredOutcome[];
  /** Snapshots retention deleted after storing. */
  readonly pruned: number;
  readonly keepDays: number;
}

/**
 * Records complete snapshots in the history, then prunes what retention lets
 * go. An environment whose snapshot shrank suspiciously is refused (not
 * stored) unless the shrink is accepted: a config read as "a few bytes" must
 * not become the new truth.
 */
export async function storeSnapshots(
  workspace: Workspace,
  snapshots: readonly Snapshot[],
  options: StoreSnapshotsOptions = {},
): Promise<StoreSnapshotsResult> {
  const { config } = workspace;
  const store = await openHistory(config, workspace.env, 'create');
  const outcomes: StoredOutcome[] = [];
  try {
    for (const snapshot of snapshots) {
      const keys = snapshot.entries.size;
      const previous = await store.latestSnapshot(snapshot.env);
      const guard = checkShrink(previous?.keyCount, keys, snapshot.env);
      if (!guard.ok && options.acceptShrink !== true) {
        outcomes.push({ env: snapshot.env, keys, status: 'refused', reason: guard.reason });
        continue;
      }
      const saved = await store.saveSnapshot(snapshot);
      outcomes.push({
        env: snapshot.env,
        keys,
        status: saved.stored ? 'stored' : 'unchanged',
        snapshotId: saved.snapshotId,
      });
    }
    const { keepDays } = config.history;
    const pruned = await store.prune({ keepDays, now: options.now ?? new Date() });
    return { outcomes, pruned: pruned.snapshotsDeleted, keepDays };
  } finally {
    await store.close();
  }
}
