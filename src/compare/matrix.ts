import { compareCodeUnits } from '../compare-code-units.js';
import type { PathSegment } from '../formats/format.js';
import { parseKeyPath } from '../snapshot/key-path.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';
import { SortedEntries } from '../snapshot/sorted-entries.js';

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

/**
 * One list keyed by name across every environment: `orders[i]` is the item
 * names in `envs[i]`'s order, undefined where the environment has no such list.
 */
export class ListRow {
  #segments: readonly PathSegment[] | undefined;

  constructor(
    readonly key: string,
    readonly orders: readonly (readonly string[] | undefined)[],
  ) {}

  get segments(): readonly PathSegment[] {
    this.#segments ??= parseKeyPath(this.key);
    return this.#segments;
  }
}

/** All environments' keys aligned in one pass: N environments, one merge, no pairwise diffs. */
export class KeyMatrix {
  constructor(
    readonly envs: readonly string[],
    /** Sorted by key (code units). */
    readonly rows: readonly KeyRow[],
    /** Lists keyed by name (see `Snapshot.namedLists`), sorted by key: their order is compared apart from the keys. */
    readonly lists: readonly ListRow[] = [],
  ) {}

  /** The row of one key: a binary search, no index to build. */
  find(key: string): KeyRow | undefined {
    const row = this.rows[this.#lowerBound(key)];
    return row?.key === key ? row : undefined;
  }

  /** Rows whose key starts with `prefix`: one contiguous range of the sorted rows. */
  withPrefix(prefix: string): readonly KeyRow[] {
    const start = this.#lowerBound(prefix);
    let end = start;
    while (end < this.rows.length && (this.rows[end] as KeyRow).key.startsWith(prefix)) end++;
    return this.rows.slice(start, end);
  }

  #lowerBound(key: string): number {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.rows[middle] as KeyRow).key < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/**
 * Snapshots keep their entries sorted by key, so aligning them is a k-way
 * merge of sorted lists: linear in the number of entries, no sort, no
 * intermediate map.
 */
export function alignSnapshots(snapshots: readonly Snapshot[]): KeyMatrix {
  // One cursor per environment over its entries, which snapshots keep sorted.
  const cursors = snapshots.map((snapshot) => sortedValues(snapshot));
  const count = cursors.length;
  const heads = cursors.map((cursor) => cursor.next().value as Entry | undefined);
  const rows: KeyRow[] = [];
  // Plain indexed loops: this runs once per key of every environment.
  for (;;) {
    let smallest: string | undefined;
    for (let index = 0; index < count; index++) {
      const entry = heads[index];
      if (entry !== undefined && (smallest === undefined || entry.key < smallest)) smallest = entry.key;
    }
    if (smallest === undefined) break;
    const cells = new Array<Entry | undefined>(count);
    for (let index = 0; index < count; index++) {
      const entry = heads[index];
      if (entry !== undefined && entry.key === smallest) {
        cells[index] = entry;
        heads[index] = (cursors[index] as Iterator<Entry>).next().value as Entry | undefined;
      } else {
        cells[index] = undefined;
      }
    }
    rows.push(new KeyRow(smallest, cells));
  }
  return new KeyMatrix(
    snapshots.map((snapshot) => snapshot.env),
    rows,
    alignNamedLists(snapshots),
  );
}

/** The named lists of every environment, by key: few (a manifest's containers and env lists), so a map will do. */
function alignNamedLists(snapshots: readonly Snapshot[]): ListRow[] {
  const orders = new Map<string, (readonly string[] | undefined)[]>();
  for (const [index, snapshot] of snapshots.entries()) {
    for (const [key, names] of snapshot.namedLists ?? []) {
      let row = orders.get(key);
      if (row === undefined) {
        row = new Array<readonly string[] | undefined>(snapshots.length).fill(undefined);
        orders.set(key, row);
      }
      row[index] = names;
    }
  }
  return [...orders.keys()].sort(compareCodeUnits).map((key) => new ListRow(key, orders.get(key) ?? []));
}

/** Entries in key order. Snapshots are built sorted; a hand-made one that is not gets sorted here. */
function sortedValues(snapshot: Snapshot): Iterator<Entry> {
  if (snapshot.entries instanceof SortedEntries) return snapshot.entries.values();
  let previous = '';
  for (const key of snapshot.entries.keys()) {
    if (key < previous) {
      return [...snapshot.entries.values()].sort((a, b) => compareCodeUnits(a.key, b.key)).values();
    }
    previous = key;
  }
  return snapshot.entries.values();
}
