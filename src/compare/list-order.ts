/**
 * Whether lists keyed by name hold their items in different orders. Only the
 * names every list holds are compared, each list's in its own order: an item
 * added or removed is a difference of keys, not of order, so inserting one
 * initContainer is not also a reordering.
 */
export function isReordered(orders: readonly (readonly string[])[]): boolean {
  const { start, end } = differingRange(orders);
  return start < end;
}

/** Each list restricted to the names all of them hold, in its own order. */
export function sharedOrder(orders: readonly (readonly string[])[]): string[][] {
  const [first, ...others] = orders;
  if (first === undefined) return [];
  const sets = others.map((order) => new Set(order));
  const shared = new Set(first.filter((name) => sets.every((set) => set.has(name))));
  return orders.map((order) => order.filter((name) => shared.has(name)));
}

/**
 * Where several item orders part: the names all of them hold, each in its
 * own order, and the range of positions, from the first where they differ to
 * the last, outside which they agree.
 */
export function differingRange(orders: readonly (readonly string[])[]): {
  shared: string[][];
  start: number;
  end: number;
} {
  const shared = sharedOrder(orders);
  const [first = []] = shared;
  const differs = (index: number) => shared.some((order) => order[index] !== first[index]);
  let start = 0;
  while (start < first.length && !differs(start)) start++;
  let end = first.length;
  while (end > start && !differs(end - 1)) end--;
  return { shared, start, end };
}

/**
 * The part of several item orders that differs, one text per order, with
 * `…` for the agreeing names around it: a list of 100 applications with two
 * swapped shows two names, not a hundred.
 */
export function orderDifference(orders: readonly (readonly string[])[]): string[] {
  const { shared, start, end } = differingRange(orders);
  return shared.map((order) =>
    [...(start > 0 ? ['…'] : []), ...order.slice(start, end), ...(end < order.length ? ['…'] : [])].join(', '),
  );
}
