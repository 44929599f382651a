import type { PathSegment } from '../formats/format.js';
import { parseKeyPath } from '../snapshot/key-path.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';

/** One key across every environment: `entries[i]` belongs to `envs[i]`, undefined where the key is absent. */
export class KeyRow {
  #segments: readonly PathSegment[] | undefined;

  constructor(
    readonly key: string,
    readonly entries: readonly (Entry | undefined)[],
  ) {}

  /** The key's segments, parsed on first use: most rules look keys up and never need them. */
  get segments(): readonly PathSegment[] {
    this.#segments ??= parseKeyPath(this.key);
    return this.#segments;
  }
}

/** All environments' keys aligned in one pass: N environments, one merge, no pairwise diffs. */
export class KeyMatrix {
  #byKey: Map<string, KeyRow> | undefined;

  constructor(
    readonly envs: readonly string[],
    /** Sorted by key. */
    readonly rows: readonly KeyRow[],
  ) {}

  /** Rows by key, built on first use (rules over literal keys look them up). */
  get byKey(): ReadonlyMap<string, KeyRow> {
    this.#byKey ??= new Map(this.rows.map((row) => [row.key, row]));
    return this.#byKey;
  }
}

/**
 * Snapshots keep their entries sorted by key, so aligning them is a k-way
 * merge of sorted lists: linear in the number of entries, no sort, no
 * intermediate map.
 */
export function alignSnapshots(snapshots: readonly Snapshot[]): KeyMatrix {
  const lists = snapshots.map((snapshot) => sortedEntries(snapshot));
  const heads = lists.map(() => 0);
  const rows: KeyRow[] = [];
  for (;;) {
    let smallest: string | undefined;
    for (const [index, list] of lists.entries()) {
      const entry = list[heads[index] as number];
      if (entry !== undefined && (smallest === undefined || entry.key < smallest)) smallest = entry.key;
    }
    if (smallest === undefined) break;
    const cells = new Array<Entry | undefined>(lists.length);
    for (const [index, list] of lists.entries()) {
      const entry = list[heads[index] as number];
      if (entry !== undefined && entry.key === smallest) {
        cells[index] = entry;
        heads[index] = (heads[index] as number) + 1;
      } else {
        cells[index] = undefined;
      }
    }
    rows.push(new KeyRow(smallest, cells));
  }
  return new KeyMatrix(
    snapshots.map((snapshot) => snapshot.env),
    rows,
  );
}

/** Entries in key order; snapshots are built sorted, but a hand-made one may not be. */
function sortedEntries(snapshot: Snapshot): Entry[] {
  const entries = [...snapshot.entries.values()];
  for (let i = 1; i < entries.length; i++) {
    if ((entries[i - 1] as Entry).key > (entries[i] as Entry).key) {
      return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
  }
  return entries;
}
