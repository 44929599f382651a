import deepDiff from 'deep-diff';
import { parseKeyPath, quoteSegment } from '../snapshot/key-path.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';

export type DriftKind = 'only-in-a' | 'only-in-b' | 'changed' | 'type-changed';

/** One key that differs between two snapshots. */
export interface Drift {
  readonly key: string;
  readonly kind: DriftKind;
  readonly a?: Entry;
  readonly b?: Entry;
}

/**
 * Nested trees for deep-diff. Map keys are rendered key-path segments
 * (`"com.macro.mall"`, `[0]`), so joining a diff path gives the canonical key
 * back. A leaf is `type NUL fingerprint`: two values are equal exactly when
 * their fingerprints are, and no value — secret or not — enters the diff.
 */
type Tree = { [segment: string]: Tree | string };

/** deep-diff finds keys with indexOf, quadratic on wide objects; wider levels are split into buckets. */
const BUCKET_THRESHOLD = 256;
const BUCKET_MARK = '\u0000bucket:';

export function diffSnapshots(a: Snapshot, b: Snapshot): Drift[] {
  const [treeA, treeB] = plainTrees(treeOf(a), treeOf(b));
  const drifts: Drift[] = [];
  const records = deepDiff.diff<Tree, Tree>(treeA, treeB) ?? [];
  for (const record of records) {
    const path = (record.path ?? []).filter((segment: string) => !segment.startsWith(BUCKET_MARK));
    if (record.kind === 'E') {
      const leftLeaf = typeof record.lhs === 'string';
      const rightLeaf = typeof record.rhs === 'string';
      if (leftLeaf && rightLeaf) {
        const key = joinPath(path);
        const entryA = a.entries.get(key) as Entry;
        const entryB = b.entries.get(key) as Entry;
        drifts.push({ key, kind: entryA.type === entryB.type ? 'changed' : 'type-changed', a: entryA, b: entryB });
        continue;
      }
      // A value on one side, a map on the other: every key on each side is one-sided.
      collect(record.lhs, path, a, 'only-in-a', drifts);
      collect(record.rhs, path, b, 'only-in-b', drifts);
      continue;
    }
    if (record.kind === 'D') collect(record.lhs, path, a, 'only-in-a', drifts);
    if (record.kind === 'N') collect(record.rhs, path, b, 'only-in-b', drifts);
  }
  return drifts.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
}

function collect(node: Tree | string, path: string[], snapshot: Snapshot, kind: DriftKind, out: Drift[]): void {
  if (typeof node === 'string') {
    const key = joinPath(path);
    const entry = snapshot.entries.get(key) as Entry;
    out.push(kind === 'only-in-a' ? { key, kind, a: entry } : { key, kind, b: entry });
    return;
  }
  for (const [segment, child] of Object.entries(node)) {
    collect(child, segment.startsWith(BUCKET_MARK) ? path : [...path, segment], snapshot, kind, out);
  }
}

function joinPath(path: readonly string[]): string {
  let key = '';
  for (const segment of path) key += key === '' || segment.startsWith('[') ? segment : `.${segment}`;
  return key;
}

/** Built as Maps first: objects with tens of thousands of keys are slow to build. */
type MapTree = Map<string, MapTree | string>;

function treeOf(snapshot: Snapshot): MapTree {
  const root: MapTree = new Map();
  for (const entry of snapshot.entries.values()) {
    const segments = parseKeyPath(entry.key).map((segment) =>
      typeof segment === 'number' ? `[${segment}]` : quoteSegment(segment),
    );
    let node = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] as string;
      let child = node.get(segment);
      if (typeof child !== 'object') {
        child = new Map();
        node.set(segment, child);
      }
      node = child;
    }
    node.set(segments[segments.length - 1] as string, `${entry.type}\u0000${entry.fingerprint}`);
  }
  return root;
}

/**
 * Turns both Map trees into the plain objects deep-diff walks. A level wider
 * than the threshold on either side is split into the same hash buckets on
 * both sides, so deep-diff compares many small objects instead of one wide one.
 */
function plainTrees(a: MapTree, b: MapTree): [Tree, Tree] {
  const width = Math.max(a.size, b.size);
  const count = width > BUCKET_THRESHOLD ? Math.ceil(width / (BUCKET_THRESHOLD / 2)) : 1;
  const outA: Tree = Object.create(null);
  const outB: Tree = Object.create(null);
  const place = (out: Tree, segment: string, value: Tree | string) => {
    if (count === 1) {
      out[segment] = value;
      return;
    }
    const name = `${BUCKET_MARK}${hashOf(segment) % count}`;
    let bucket = out[name] as Tree | undefined;
    if (!bucket) {
      bucket = Object.create(null) as Tree;
      out[name] = bucket;
    }
    bucket[segment] = value;
  };
  for (const [segment, childA] of a) {
    const childB = b.get(segment);
    if (typeof childA === 'object' && typeof childB === 'object') {
      const [plainA, plainB] = plainTrees(childA, childB);
      place(outA, segment, plainA);
      place(outB, segment, plainB);
      continue;
    }
    place(outA, segment, typeof childA === 'object' ? plainTree(childA) : childA);
    if (childB !== undefined) place(outB, segment, typeof childB === 'object' ? plainTree(childB) : childB);
  }
  for (const [segment, childB] of b) {
    if (!a.has(segment)) place(outB, segment, typeof childB === 'object' ? plainTree(childB) : childB);
  }
  return [outA, outB];
}

/** A subtree only one side has: deep-diff reports it whole, so its width does not matter. */
function plainTree(tree: MapTree): Tree {
  const out: Tree = Object.create(null);
  for (const [segment, child] of tree) out[segment] = typeof child === 'object' ? plainTree(child) : child;
  return out;
}

/** FNV-1a: cheap, stable across runs. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
