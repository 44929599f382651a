import type { PathSegment } from '../formats/format.js';
import { parseKeyPath } from '../snapshot/key-path.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';

/** One key across every environment: `entries[i]` belongs to `envs[i]`, undefined where the key is absent. */
export interface KeyRow {
  readonly key: string;
  readonly segments: readonly PathSegment[];
  readonly entries: readonly (Entry | undefined)[];
}

/** All environments' keys aligned in one pass: N environments, one map, no pairwise diffs. */
export interface KeyMatrix {
  readonly envs: readonly string[];
  /** Sorted by key. */
  readonly rows: readonly KeyRow[];
}

export function alignSnapshots(snapshots: readonly Snapshot[]): KeyMatrix {
  const envs = snapshots.map((snapshot) => snapshot.env);
  const rows = new Map<string, (Entry | undefined)[]>();
  for (const [index, snapshot] of snapshots.entries()) {
    for (const [key, entry] of snapshot.entries) {
      let row = rows.get(key);
      if (!row) {
        row = new Array(snapshots.length).fill(undefined);
        rows.set(key, row);
      }
      row[index] = entry;
    }
  }
  const keys = [...rows.keys()].sort();
  return {
    envs,
    rows: keys.map((key) => ({ key, segments: parseKeyPath(key), entries: rows.get(key) as (Entry | undefined)[] })),
  };
}
