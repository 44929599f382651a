import type { PathSegment } from '../formats/format.js';
import { parseKeyPath } from '../snapshot/key-path.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';

/** One key across every environment: `entries[i]` belongs to `envs[i]`, undefined where the key is absent. */
export class KeyRow {
  #segments: readonly PathSegment[] | undefined;

  constructor(
    readonly key: string,
    readonly entries: (Entry | undefined)[],
  ) {}

  /** The key's segments, parsed on first use: most rules look keys up and never need them. */
  get segments(): readonly PathSegment[] {
    this.#segments ??= parseKeyPath(this.key);
    return this.#segments;
  }
}

/** All environments' keys aligned in one pass: N environments, one map, no pairwise diffs. */
export interface KeyMatrix {
  readonly envs: readonly string[];
  /** Sorted by key. */
  readonly rows: readonly KeyRow[];
  readonly byKey: ReadonlyMap<string, KeyRow>;
}

export function alignSnapshots(snapshots: readonly Snapshot[]): KeyMatrix {
  const envs = snapshots.map((snapshot) => snapshot.env);
  const byKey = new Map<string, KeyRow>();
  for (const [index, snapshot] of snapshots.entries()) {
    for (const [key, entry] of snapshot.entries) {
      let row = byKey.get(key);
      if (!row) {
        row = new KeyRow(key, new Array<Entry | undefined>(snapshots.length).fill(undefined));
        byKey.set(key, row);
      }
      row.entries[index] = entry;
    }
  }
  const rows = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { envs, rows, byKey };
}
