import { describe, expect, it } from 'vitest';
import type { PathSegment } from '../../src/formats/format.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';
import { type Branch, leavesOf, mergeInto, treeOf } from '../../src/snapshot/merge-tree.js';

interface Item {
  readonly path: readonly PathSegment[];
  readonly value: string;
}

/** A source's items from `key path → value`, paths as the formats produce them. */
function source(values: Record<string, string>, paths: Record<string, PathSegment[]> = {}): Branch<Item> {
  return treeOf(Object.entries(values).map(([key, value]) => ({ path: paths[key] ?? key.split('.'), value })));
}

function flat(tree: Branch<Item>): Record<string, string> {
  const leaves = leavesOf(tree).map((item) => [formatKeyPath(item.path), item.value] as const);
  return Object.fromEntries(leaves.sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('snapshot/merge-tree', () => {
  it('keeps a value and the keys below it when one source writes both, in either order', () => {
    expect(flat(source({ a: '1', 'a.b': '2', 'a.b.c': '3' }))).toEqual({ a: '1', 'a.b': '2', 'a.b.c': '3' });
    expect(flat(source({ 'a.b.c': '3', 'a.b': '2', a: '1' }))).toEqual({ a: '1', 'a.b': '2', 'a.b.c': '3' });
  });

  it('lets a later leaf at the same path win within one source', () => {
    expect(flat(source({ a: '1' }))).toEqual({ a: '1' });
    expect(
      flat(
        treeOf([
          { path: ['a'], value: '1' },
          { path: ['a'], value: '2' },
        ]),
      ),
    ).toEqual({ a: '2' });
  });

  it('merges maps key by key across sources, later wins', () => {
    expect(flat(mergeInto(source({ 'db.host': 'a', 'db.port': '1' }), source({ 'db.host': 'b' })))).toEqual({
      'db.host': 'b',
      'db.port': '1',
    });
  });

  it('replaces a list whole, so a shorter list does not keep the earlier tail', () => {
    const paths = { h0: ['hosts', 0], h1: ['hosts', 1] };
    expect(flat(mergeInto(source({ h0: 'a', h1: 'b' }, paths), source({ h0: 'c' }, paths)))).toEqual({
      'hosts[0]': 'c',
    });
  });

  it("treats a branch's own value like one more key when sources merge", () => {
    // A later own value replaces the earlier one; the keys below merge.
    expect(flat(mergeInto(source({ a: '1', 'a.b': '2' }), source({ a: '9', 'a.c': '3' })))).toEqual({
      a: '9',
      'a.b': '2',
      'a.c': '3',
    });
    // A later plain value at the path replaces only the value; the keys below stay.
    expect(flat(mergeInto(source({ a: '1', 'a.b': '2' }), source({ a: '9' })))).toEqual({ a: '9', 'a.b': '2' });
    // A later map without an own value keeps the earlier one.
    expect(flat(mergeInto(source({ a: '1', 'a.b': '2' }), source({ 'a.b': '5' })))).toEqual({ a: '1', 'a.b': '5' });
  });

  it('lets a later plain value replace a whole map, and a later map replace a plain value, as node-config does', () => {
    expect(flat(mergeInto(source({ 'a.b': '2', 'a.c': '3' }), source({ a: 'scalar' })))).toEqual({ a: 'scalar' });
    expect(flat(mergeInto(source({ a: 'scalar' }), source({ 'a.b': '2' })))).toEqual({ 'a.b': '2' });
  });
});
