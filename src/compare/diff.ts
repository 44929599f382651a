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
  const treeA = treeOf(a);
  const treeB = treeOf(b);
  bucketWideLevels(treeA, treeB);

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

function treeOf(snapshot: Snapshot): Tree {
  const root: Tree = Object.create(null);
  for (const entry of snapshot.entries.values()) {
    const segments = parseKeyPath(entry.key).map((segment) =>
      typeof segment === 'number' ? `[${segment}]` : quoteSegment(segment),
    );
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      let child = node[segment];
      if (typeof child !== 'object') {
        child = Object.create(null) as Tree;
        node[segment] = child;
      }
      node = child;
    }
    node[segments[segments.length - 1] as string] = `${entry.type}\u0000${entry.fingerprint}`;
  }
  return root;
}

/** Splits levels wider than the threshold into the same buckets on both sides, recursively. */
function bucketWideLevels(a: Tree, b: Tree): void {
  const width = Math.max(Object.keys(a).length, Object.keys(b).length);
  if (width > BUCKET_THRESHOLD) {
    const count = Math.ceil(width / (BUCKET_THRESHOLD / 2));
    splitIntoBuckets(a, count);
    splitIntoBuckets(b, count);
    for (const bucket of Object.keys(a)) {
      const other = b[bucket];
      if (typeof other === 'object') bucketChildren(a[bucket] as Tree, other);
    }
    return;
  }
  bucketChildren(a, b);
}

function bucketChildren(a: Tree, b: Tree): void {
  for (const [segment, child] of Object.entries(a)) {
    const other = b[segment];
    if (typeof child === 'object' && typeof other === 'object') bucketWideLevels(child, other);
  }
}

function splitIntoBuckets(tree: Tree, count: number): void {
  const buckets = new Map<string, Tree>();
  for (const [segment, child] of Object.entries(tree)) {
    const name = `${BUCKET_MARK}${hashOf(segment) % count}`;
    let bucket = buckets.get(name);
    if (!bucket) {
      bucket = Object.create(null) as Tree;
      buckets.set(name, bucket);
    }
    bucket[segment] = child;
    delete tree[segment];
  }
  for (const [name, bucket] of buckets) tree[name] = bucket;
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
