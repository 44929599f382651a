import { sameValue } from '../snapshot/same-value.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';
import { isReordered } from './list-order.js';
import { alignSnapshots } from './matrix.js';

export type DriftKind = 'only-in-a' | 'only-in-b' | 'changed' | 'type-changed' | 'reordered';

/** One key that differs between two snapshots, or one list keyed by name whose items are in another order. */
export interface Drift {
  readonly key: string;
  readonly kind: DriftKind;
  readonly a?: Entry;
  readonly b?: Entry;
  /** For `reordered`: the item names each snapshot lists, in its order (those only one side has included). */
  readonly order?: { readonly a: readonly string[]; readonly b: readonly string[] };
}

/**
 * The differences between two snapshots, sorted by key. Snapshots are flat
 * maps of leaves, each with a fingerprint of its type and value, so aligning
 * their sorted keys (the same k-way merge the rules use) finds every one: a
 * key on one side only, a value whose fingerprint differs, a type that
 * changed. A key that is a value on one side and a map on the other shows as
 * the value only in one and the keys below it only in the other. Lists keyed
 * by name are compared for order apart from their keys (see `isReordered`).
 */
export function diffSnapshots(a: Snapshot, b: Snapshot): Drift[] {
  const matrix = alignSnapshots([a, b]);
  const drifts: Drift[] = [];
  for (const row of matrix.rows) {
    const [entryA, entryB] = row.entries;
    if (entryB === undefined) {
      drifts.push({ key: row.key, kind: 'only-in-a', a: entryA });
    } else if (entryA === undefined) {
      drifts.push({ key: row.key, kind: 'only-in-b', b: entryB });
    } else if (entryA.type !== entryB.type) {
      drifts.push({ key: row.key, kind: 'type-changed', a: entryA, b: entryB });
    } else if (!sameValue(entryA, entryB)) {
      drifts.push({ key: row.key, kind: 'changed', a: entryA, b: entryB });
    }
  }
  const reordered: Drift[] = [];
  for (const list of matrix.lists) {
    const [orderA, orderB] = list.orders;
    if (orderA === undefined || orderB === undefined || !isReordered([orderA, orderB])) continue;
    reordered.push({ key: list.key, kind: 'reordered', order: { a: orderA, b: orderB } });
  }
  return reordered.length === 0 ? drifts : mergeByKey(drifts, reordered);
}

/** Two lists sorted by key as one (a list's key sorts before the keys of its items). */
function mergeByKey(left: readonly Drift[], right: readonly Drift[]): Drift[] {
  const merged: Drift[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const next = left[i];
    const other = right[j];
    if (other === undefined || (next !== undefined && next.key <= other.key)) {
      merged.push(next as Drift);
      i++;
    } else {
      merged.push(other);
      j++;
    }
  }
  return merged;
}
