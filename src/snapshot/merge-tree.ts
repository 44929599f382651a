import type { PathSegment } from '../formats/format.js';

/**
 * Sources merge like node-config: maps merge key by key, anything else
 * (scalars, lists) is replaced whole by the later source. Lists are replaced
 * whole because a shorter list in production must not keep staging's tail.
 * Kubernetes lists keyed by name arrive as maps and so merge by name.
 *
 * A path can be both a value and a prefix when one source says so (Java
 * properties `a=1` and `a.b=2`): the branch then holds its own value beside
 * its children, and both stay. Merging treats that value like one more key of
 * the map: a later source's value at the path replaces it (and the keys below
 * stay), a later map without one keeps it. Where the earlier branch has no
 * value of its own, a later plain value replaces the whole map, as node-config
 * does.
 *
 * Leaves are stored in the branches as they are (no wrapper per leaf): a
 * snapshot of 100,000 keys builds this tree once per source.
 */
export class Branch<T = unknown> {
  readonly children = new Map<PathSegment, Branch<T> | T>();
  /** The value written at this branch's own path, when the source also wrote keys below it. */
  own: T | undefined = undefined;

  constructor(readonly kind: 'map' | 'list' = 'map') {}
}

/** Builds one source's tree. Within one source a later leaf at the same path wins. */
export function treeOf<T extends { readonly path: readonly PathSegment[] }>(items: readonly T[]): Branch<T> {
  const root = new Branch<T>();
  for (const item of items) {
    const { path } = item;
    const last = path.length - 1;
    let branch = root;
    for (let i = 0; i < last; i++) {
      const segment = path[i] as PathSegment;
      const kind = typeof path[i + 1] === 'number' ? 'list' : 'map';
      const child = branch.children.get(segment);
      if (child instanceof Branch && child.kind === kind) {
        branch = child;
        continue;
      }
      const created = new Branch<T>(kind);
      // A value already written at this prefix stays, as the branch's own value.
      if (child !== undefined && !(child instanceof Branch)) created.own = child;
      branch.children.set(segment, created);
      branch = created;
    }
    const segment = path[last] as PathSegment;
    const existing = branch.children.get(segment);
    if (existing instanceof Branch) existing.own = item;
    else branch.children.set(segment, item);
  }
  return root;
}

/** Merges `later` into `earlier` (mutating it) and returns it. */
export function mergeInto<T>(earlier: Branch<T>, later: Branch<T>): Branch<T> {
  if (later.own !== undefined) earlier.own = later.own;
  for (const [segment, node] of later.children) {
    const existing = earlier.children.get(segment);
    if (existing instanceof Branch && node instanceof Branch && existing.kind === 'map' && node.kind === 'map') {
      mergeInto(existing, node);
    } else if (existing instanceof Branch && !(node instanceof Branch) && existing.own !== undefined) {
      existing.own = node;
    } else {
      earlier.children.set(segment, node);
    }
  }
  return earlier;
}

/**
 * Every leaf of the tree, own values of branches included, in the order the
 * sources wrote them (an earlier source's keys first, then what later ones
 * add): the order of lists keyed by name is read from it.
 */
export function leavesOf<T>(root: Branch<T>): T[] {
  const leaves: T[] = [];
  const visit = (branch: Branch<T>): void => {
    if (branch.own !== undefined) leaves.push(branch.own);
    for (const node of branch.children.values()) {
      if (node instanceof Branch) visit(node);
      else leaves.push(node);
    }
  };
  visit(root);
  return leaves;
}
