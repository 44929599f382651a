import { compareCodeUnits } from '../compare-code-units.js';
import type { Leaf, PathSegment } from '../formats/format.js';
import { formatKeyPath } from './key-path.js';

/**
 * Gathers the order of the lists whose items are keyed by name (containers,
 * initContainers, env, middleware) while a snapshot's leaves are flattened.
 * Keyed by name, such a list reads like a map, but its order matters (init
 * containers run in it): this keeps it, as list key path → item names.
 *
 * Leaves arrive in the merged tree's order: for one source the order written;
 * when sources merge a list by name, items a later source adds come after the
 * earlier source's.
 */
export class NamedListOrders {
  readonly #orders = new Map<string, { names: string[]; seen: Set<string> }>();
  /**
   * The leaves of one item share their `namedItems` array (the walker makes
   * one per item), so the item's list keys are formatted once, not per leaf.
   */
  readonly #items = new WeakMap<readonly number[], { offset: number; lists: [list: string, name: string][] }>();

  /** Records the named items on `path`, the leaf's path as placed in the snapshot (after any `prefix:`). */
  add(path: readonly PathSegment[], leaf: Leaf): void {
    const named = leaf.namedItems;
    if (named === undefined) return;
    // A source's `prefix:` puts segments in front of the leaf's own path.
    const offset = path.length - leaf.path.length;
    let item = this.#items.get(named);
    if (item?.offset !== offset) {
      item = { offset, lists: [] };
      for (const index of named) {
        const name = path[index + offset];
        if (typeof name === 'string') item.lists.push([formatKeyPath(path.slice(0, index + offset)), name]);
      }
      this.#items.set(named, item);
    }
    for (const [list, name] of item.lists) {
      let order = this.#orders.get(list);
      if (order === undefined) {
        order = { names: [], seen: new Set() };
        this.#orders.set(list, order);
      }
      if (order.seen.has(name)) continue;
      order.seen.add(name);
      order.names.push(name);
    }
  }

  /** The orders by list key path, sorted by key; undefined when the snapshot has no such list. */
  orders(): ReadonlyMap<string, readonly string[]> | undefined {
    if (this.#orders.size === 0) return undefined;
    const lists = [...this.#orders.keys()].sort(compareCodeUnits);
    return new Map(lists.map((list) => [list, this.#orders.get(list)?.names ?? []]));
  }
}
