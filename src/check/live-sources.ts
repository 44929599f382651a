import { compareCodeUnits } from '../compare-code-units.js';
import type { EnvironmentConfig } from '../config/load.js';
import type { Leaf, PathSegment } from '../formats/format.js';
import { type SnapshotOptions, type SnapshotResult, takeSnapshot } from '../snapshot/build.js';
import { parseKeyPath } from '../snapshot/key-path.js';
import { Branch, leavesOf, mergeInto, treeOf } from '../snapshot/merge-tree.js';
import type { Entry, Snapshot, SourceStatus } from '../snapshot/snapshot.js';
import type { SourceKind } from '../sources/source.js';

/**
 * Which sources a check reads itself. `read` (the default): every one.
 * `stored`: only `path` sources, through the workspace's files; the others
 * (url, command, env, git: what a pull request must never make driftwatch
 * run, fetch or read) are taken from each environment's latest stored
 * snapshot, when there is one.
 */
export type LiveSources =
  | { readonly mode: 'read' }
  | { readonly mode: 'stored'; readonly snapshots: ReadonlyMap<string, Snapshot> };

/** Where the keys of one source that was not read came from, in a `stored` check. */
export interface LiveSourceUse {
  readonly env: string;
  /** The source's label, as reports name it. */
  readonly source: string;
  readonly kind: SourceKind;
  /** When the stored snapshot its keys came from was taken; absent when none holds them: not checked. */
  readonly storedAt?: string;
}

export interface StoredSnapshotResult extends SnapshotResult {
  readonly live: readonly LiveSourceUse[];
}

/** An entry in the shape the snapshot's merge takes: only its path matters there. */
interface MergeItem {
  readonly leaf: Leaf;
  readonly path: readonly PathSegment[];
  readonly entry: Entry;
}

/**
 * Snapshots one environment reading only its `path` sources, and puts the
 * keys its other sources contributed to `stored` back in their declared
 * place, merged as a fresh snapshot would merge them (maps key by key,
 * anything else replaced whole by a later source). A stored snapshot keeps
 * only the winning value of each key, so a live value that a file used to
 * override, and that the file no longer sets, cannot come back: the one
 * approximation, and only for keys both kinds of source set.
 */
export async function snapshotWithStoredSources(
  environment: EnvironmentConfig,
  options: SnapshotOptions,
  stored: Snapshot | undefined,
): Promise<StoredSnapshotResult> {
  const files = environment.sources.filter((source) => source.kind === 'path');
  const live = environment.sources.filter((source) => source.kind !== 'path');
  const fresh = await takeSnapshot({ name: environment.name, sources: files }, options);
  if (live.length === 0) return { ...fresh, live: [] };

  const storedStatuses = new Map((stored?.sources ?? []).map((status) => [status.source, status]));
  const uses: LiveSourceUse[] = live.map((source) => {
    const status = storedStatuses.get(source.label);
    const storedAt = stored && status?.status === 'ok' ? stored.takenAt : undefined;
    return { env: environment.name, source: source.label, kind: source.kind, ...(storedAt ? { storedAt } : {}) };
  });
  const available = new Set(uses.filter((use) => use.storedAt !== undefined).map((use) => use.source));
  if (!stored || available.size === 0) return { ...fresh, live: uses };

  // Each source's keys as one tree, in declared order, merged by the snapshot's own rules.
  const merged = new Branch<MergeItem>();
  const statuses: SourceStatus[] = [];
  const freshStatuses = new Map(fresh.snapshot.sources.map((status) => [status.source, status]));
  for (const source of environment.sources) {
    const fromStore = source.kind !== 'path';
    if (fromStore && !available.has(source.label)) continue;
    const from = fromStore ? stored.entries : fresh.snapshot.entries;
    const items: MergeItem[] = [];
    for (const entry of from.values()) {
      if (entry.origin.source !== source.label) continue;
      const path = parseKeyPath(entry.key);
      items.push({ leaf: { path, value: null, type: entry.type, line: 0, column: 0 }, path, entry });
    }
    mergeInto(merged, treeOf(items));
    const status = (fromStore ? storedStatuses : freshStatuses).get(source.label);
    if (status) statuses.push(status);
  }
  const entries = leavesOf(merged)
    .map((item) => item.entry)
    .sort((a, b) => compareCodeUnits(a.key, b.key));
  return {
    snapshot: { ...fresh.snapshot, entries: new Map(entries.map((entry) => [entry.key, entry])), sources: statuses },
    problems: fresh.problems,
    live: uses,
  };
}
