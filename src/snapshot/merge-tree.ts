import type { Leaf, PathSegment } from '../formats/format.js';

/**
 * Sources merge like node-config: maps merge key by key, anything else
 * (scalars, lists) is replaced whole by the later source. Lists are replaced
 * whole because a shorter list in production must not keep staging's tail.
 * Kubernetes lists keyed by name arrive as maps and so merge by name.
 */
export interface Branch {
  readonly kind: 'map' | 'list';
  readonly children: Map<PathSegment, Node>;
}

export interface Placed<T> {
  readonly kind: 'leaf';
  readonly item: T;
}

export type Node = Branch | Placed<unknown>;

/** Builds one source's tree. Within one source a later leaf at the same path wins. */
export function treeOf<T extends { readonly leaf: Leaf; readonly path: readonly PathSegment[] }>(
  items: readonly T[],
): Branch {
  const root: Branch = { kind: 'map', children: new Map() };
  for (const item of items) {
    let branch = root;
    const { path } = item;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i] as PathSegment;
      const kind = typeof path[i + 1] === 'number' ? 'list' : 'map';
      let child = branch.children.get(segment);
      if (child === undefined || child.kind !== kind) {
        child = { kind, children: new Map() };
        branch.children.set(segment, child);
      }
      branch = child as Branch;
    }
    branch.children.set(path[path.length - 1] as PathSegment, { kind: 'leaf', item });
  }
  return root;
}

/** Merges `later` into `earlier` (mutating it) and returns it. */
export function mergeInto(earlier: Branch, later: Branch): Branch {
  for (const [segment, node] of later.children) {
    const existing = earlier.children.get(segment);
    if (existing !== undefined && existing.kind === 'map' && node.kind === 'map') {
      mergeInto(existing, node);
    } else {
      earlier.children.set(segment, node);
    }
  }
  return earlier;
}

/** Every leaf of the tree with its path, in no particular order. */
export function* leavesOf<T>(branch: Branch, prefix: PathSegment[] = []): Generator<[PathSegment[], T]> {
  for (const [segment, node] of branch.children) {
    prefix.push(segment);
    if (node.kind === 'leaf') yield [[...prefix], node.item as T];
    else yield* leavesOf<T>(node, prefix);
    prefix.pop();
  }
}
