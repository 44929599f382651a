import { compareCodeUnits } from '../compare-code-units.js';
import type { Entry } from './snapshot.js';

/**
 * A snapshot's entries as it builds them: an array sorted by key, with the
 * index from key to place made on the first lookup. Iterating (alignment,
 * reports, the history) needs no index; of the environments of one run, only
 * those looked up by key pay for one (the first, which the others are
 * compared with while they are built; see SnapshottedEntries).
 */
export class SortedEntries<E extends Entry = Entry> implements ReadonlyMap<string, E> {
  readonly #sorted: readonly E[];
  #index: Map<string, number> | undefined;

  /** `sorted`: sorted by key, each key once (see inKeyOrder). */
  constructor(sorted: readonly E[]) {
    this.#sorted = sorted;
  }

  get size(): number {
    return this.#sorted.length;
  }

  /** Where `key` is in key order, or undefined when it is not here. */
  rankOf(key: string): number | undefined {
    if (this.#index === undefined) {
      const index = new Map<string, number>();
      const sorted = this.#sorted;
      // Plain indexed loops here and below: they run once per key.
      for (let rank = 0; rank < sorted.length; rank++) index.set((sorted[rank] as E).key, rank);
      this.#index = index;
    }
    return this.#index.get(key);
  }

  /** The entry at `rank` in key order. */
  at(rank: number): E | undefined {
    return this.#sorted[rank];
  }

  get(key: string): E | undefined {
    const rank = this.rankOf(key);
    return rank === undefined ? undefined : this.#sorted[rank];
  }

  has(key: string): boolean {
    return this.rankOf(key) !== undefined;
  }

  forEach(callback: (value: E, key: string, map: ReadonlyMap<string, E>) => void, thisArg?: unknown): void {
    for (const entry of this.#sorted) callback.call(thisArg, entry, entry.key, this);
  }

  *entries(): MapIterator<[string, E]> {
    for (const entry of this.#sorted) yield [entry.key, entry];
  }

  *keys(): MapIterator<string> {
    for (const entry of this.#sorted) yield entry.key;
  }

  values(): MapIterator<E> {
    return this.#sorted.values();
  }

  [Symbol.iterator](): MapIterator<[string, E]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'SortedEntries';
  }
}

/**
 * One environment's entries in key order, each key once: of a key given twice
 * the later entry wins, as in a map. Entries whose key another environment
 * holds come with its rank there and are placed by it, with no comparison;
 * the others are sorted by code units, as `<` compares, and merged in. Most
 * keys are shared between environments, so most of a sort is saved.
 */
export class KeyOrder<E extends Entry> {
  readonly #byRank: (E | undefined)[];
  readonly #unranked: E[] = [];
  #ranked = 0;

  /** `reference`: the entries of the environment ranks are taken from, if any. */
  constructor(reference?: SortedEntries) {
    this.#byRank = reference === undefined ? [] : new Array<E | undefined>(reference.size).fill(undefined);
  }

  add(entry: E, rank: number | undefined): void {
    if (rank === undefined) {
      this.#unranked.push(entry);
      return;
    }
    if (this.#byRank[rank] === undefined) this.#ranked++;
    this.#byRank[rank] = entry;
  }

  sorted(): E[] {
    const ranked: E[] = new Array<E>(this.#ranked);
    let filled = 0;
    for (const entry of this.#byRank) if (entry !== undefined) ranked[filled++] = entry;
    if (this.#unranked.length === 0) return ranked;
    // Stable: of a key given twice, the later one comes last.
    const rest = lastOfEachKey(this.#unranked.sort((a, b) => compareCodeUnits(a.key, b.key)));
    return ranked.length === 0 ? rest : mergeByKey(ranked, rest);
  }
}

/** Of each run of entries with one key, the last; `sorted` itself when each key is there once, as it mostly is. */
function lastOfEachKey<E extends Entry>(sorted: E[]): E[] {
  let repeated = false;
  for (let index = 1; index < sorted.length && !repeated; index++) {
    repeated = (sorted[index] as E).key === (sorted[index - 1] as E).key;
  }
  if (!repeated) return sorted;
  const kept: E[] = [];
  for (let index = 0; index < sorted.length; index++) {
    const entry = sorted[index] as E;
    if (index + 1 < sorted.length && (sorted[index + 1] as E).key === entry.key) continue;
    kept.push(entry);
  }
  return kept;
}

/** Two lists sorted by key, with no key in both, as one. */
function mergeByKey<E extends Entry>(a: readonly E[], b: readonly E[]): E[] {
  const merged: E[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a[i] as E;
    const right = b[j] as E;
    if (left.key < right.key) {
      merged.push(left);
      i++;
    } else {
      merged.push(right);
      j++;
    }
  }
  while (i < a.length) merged.push(a[i++] as E);
  while (j < b.length) merged.push(b[j++] as E);
  return merged;
}
