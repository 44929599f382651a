import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodeUnits } from '../../src/compare-code-units.js';
import type { Entry } from '../../src/snapshot/snapshot.js';
import { KeyOrder, SortedEntries } from '../../src/snapshot/sorted-entries.js';

function entry(key: string, value: string): Entry {
  return { key, type: 'string', value, fingerprint: '', sensitive: false, origin: { source: 's', file: 'f' } };
}

/** What a map does with the same entries: the later of a key wins; then sorted by code units. */
function asMap(entries: readonly Entry[]): Entry[] {
  const map = new Map<string, Entry>();
  for (const one of entries) map.set(one.key, one);
  return [...map.values()].sort((a, b) => compareCodeUnits(a.key, b.key));
}

// Short keys over a few characters, astral and surrogate ones included: many repeats, and orders where code units matter.
const key = fc.string({ unit: fc.constantFrom('a', 'b', 'B', '.', '\u00e9', '\u{1f600}', '\ud800'), maxLength: 4 });

describe('snapshot/sorted-entries', () => {
  it('orders entries as a map sorted by key would hold them, placed by a reference environment or not', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), fc.array(key, { maxLength: 40 }), (referenceKeys, keys) => {
        const reference = new SortedEntries(asMap(referenceKeys.map((one) => entry(one, 'ref'))));
        const written = keys.map((one, index) => entry(one, String(index)));
        for (const ranks of [reference, undefined]) {
          const order = new KeyOrder<Entry>(ranks);
          for (const one of written) order.add(one, ranks?.rankOf(one.key));
          expect(order.sorted()).toEqual(asMap(written));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads as the map it stands for: size, lookups and iteration in key order', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 30 }), key, (keys, missing) => {
        const sorted = asMap(keys.map((one, index) => entry(one, String(index))));
        const map = new Map(sorted.map((one) => [one.key, one]));
        const entries = new SortedEntries(sorted);
        expect(entries.size).toBe(map.size);
        expect([...entries]).toEqual([...map]);
        expect([...entries.keys()]).toEqual([...map.keys()]);
        expect([...entries.values()]).toEqual([...map.values()]);
        const seen: string[] = [];
        entries.forEach((value, name, self) => {
          expect(self).toBe(entries);
          expect(value.key).toBe(name);
          seen.push(name);
        });
        expect(seen).toEqual([...map.keys()]);
        for (const one of [...keys, missing]) {
          expect(entries.get(one)).toBe(map.get(one));
          expect(entries.has(one)).toBe(map.has(one));
          const rank = entries.rankOf(one);
          expect(rank === undefined ? undefined : entries.at(rank)).toBe(map.get(one));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
